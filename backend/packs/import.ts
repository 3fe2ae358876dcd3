import { LockupError } from '../../core/errors.ts';
import { loadDocument, type PartnerDocument, type Template } from '../../core/model/index.ts';
import type { Catalogue } from '../catalogue.ts';
import { sha256Hex } from '../util/hash.ts';
import type { ArchiveLimits } from './archive.ts';
import { fingerprint } from './keys.ts';
import { verifyPack, type VerifiedPack } from './pack.ts';
import { PackStore } from './store.ts';

/**
 * Importing a verified pack into the catalogue. `planImport` says what would
 * happen (and refuses rollbacks) without writing; `importPack` re-plans and
 * applies inside one transaction, so a failure anywhere leaves the catalogue
 * exactly as it was.
 */

export interface TemplateChange {
  id: string;
  name: string;
  from?: number;
  to?: number;
}

export interface DraftOutcome {
  draftId: string;
  templateId: string;
  status: 'migrated' | 'flagged';
  fromVersion: number;
  toVersion?: number;
  note: string;
}

export interface ImportPlan {
  publisher: { id: string; name: string; fingerprint: string; publicKey: string };
  pack: { id: string; version: number; created: string };
  /** new: first pack from this publisher; pinned: same key as before; changed: a different key (needs explicit trust). */
  keyStatus: 'new' | 'pinned' | 'changed';
  pinnedFingerprint?: string;
  previousVersion: number | null;
  /** same: these exact bytes were imported already (nothing to do). */
  status: 'new' | 'update' | 'same';
  brand: { id: string; name: string; replacesLocal: boolean };
  changes: { added: TemplateChange[]; changed: TemplateChange[]; withdrawn: TemplateChange[]; unchanged: TemplateChange[] };
  drafts: DraftOutcome[];
  revocations: number;
}

function rollback(message: string, details?: Record<string, unknown>): never {
  throw new LockupError('pack-rollback', message, details);
}

/** Can a draft follow its template to `next`? Returns the moved document, or why not. */
export function migrateDraft(doc: PartnerDocument, prev: Template, next: Template): { document: PartnerDocument } | { problems: string[] } {
  const problems: string[] = [];
  const nextFields = new Map(next.fields.map((f) => [f.key, f]));
  const prevKeys = new Set(prev.fields.map((f) => f.key));
  for (const [key, value] of Object.entries(doc.fields)) {
    const f = nextFields.get(key);
    if (!f) {
      if (prevKeys.has(key)) problems.push(`the field "${prev.fields.find((p) => p.key === key)!.label}" was removed`);
      continue;
    }
    if (f.maxChars !== undefined && [...value].length > f.maxChars) problems.push(`"${f.label}" is now limited to ${f.maxChars} characters`);
  }
  const zones = new Map(next.pages.flatMap((p) => p.zones).map((z) => [z.id, z]));
  for (const id of Object.keys(doc.styles)) if (zones.get(id)?.kind !== 'partner-text' || zones.get(id)?.lock !== 'editable') problems.push(`the text zone "${id}" you styled was removed or locked`);
  for (const id of Object.keys(doc.logos)) if (zones.get(id)?.kind !== 'partner-logo') problems.push(`the logo slot "${id}" was removed`);
  if (problems.length > 0) return { problems };
  return { document: loadDocument({ ...doc, templateVersion: next.version }) };
}

export function planImport(catalogue: Catalogue, pack: VerifiedPack): ImportPlan {
  const store = new PackStore(catalogue);
  const { manifest, contents } = pack;
  const pub = manifest.publisher;
  const pinned = store.publisher(pub.id);
  const keyStatus = !pinned ? 'new' : pinned.publicKey === pub.key.public ? 'pinned' : 'changed';

  if (store.hasPublishedAs(pub.id)) {
    throw new LockupError('forbidden', `This catalogue publishes as "${pub.id}" itself; open packs from ${pub.name} in a partner's or distributor's catalogue`);
  }
  const last = store.latestImport(pub.id, manifest.pack.id);
  let status: ImportPlan['status'] = last ? 'update' : 'new';
  if (last) {
    if (manifest.pack.version < last.version) {
      rollback(`This is version ${manifest.pack.version} of ${pub.name}'s pack "${manifest.pack.id}", older than version ${last.version} you already have; older packs are refused`, {
        version: manifest.pack.version,
        current: last.version,
      });
    }
    if (manifest.pack.version === last.version) {
      if (pack.manifestSha256 !== last.manifestSha256) {
        rollback(`Version ${last.version} of "${manifest.pack.id}" was already imported with different content; a publisher must give every change a new version`, { version: last.version });
      }
      status = 'same';
    }
  }

  const brand = contents.brand;
  const brandOwner = catalogue.brandIds().includes(brand.id) ? store.brandPublisher(brand.id) : undefined;
  if (brandOwner && brandOwner !== pub.id) {
    throw new LockupError('forbidden', `The brand "${brand.id}" in this catalogue came from publisher "${brandOwner}"; a pack from "${pub.id}" cannot replace it`);
  }

  const changes: ImportPlan['changes'] = { added: [], changed: [], withdrawn: [], unchanged: [] };
  const nextById = new Map<string, Template>();
  for (const t of contents.templates) {
    const owner = store.templateOwner(t.id);
    if (owner !== undefined && owner !== brand.id) throw new LockupError('forbidden', `Template id "${t.id}" already belongs to brand "${owner}" in this catalogue`);
    const have = catalogue.latestVersion(t.id);
    if (have === 0) {
      changes.added.push({ id: t.id, name: t.name, to: t.version });
    } else if (t.version > have) {
      changes.changed.push({ id: t.id, name: t.name, from: have, to: t.version });
    } else if (t.version < have) {
      rollback(`Template "${t.name}" is version ${t.version} in this pack, older than version ${have} you already have`, { template: t.id });
    } else {
      const current = catalogue.getTemplate(`${t.id}@${t.version}`);
      if (sha256Hex(JSON.stringify(current)) !== sha256Hex(JSON.stringify(t))) {
        rollback(`Template "${t.name}" version ${t.version} in this pack differs from the version ${t.version} you already have; packs cannot change a published version`, { template: t.id });
      }
      changes.unchanged.push({ id: t.id, name: t.name, from: have, to: have });
    }
    nextById.set(t.id, t);
  }
  for (const id of brandOwner === undefined && !catalogue.brandIds().includes(brand.id) ? [] : store.activeTemplateIds(brand.id)) {
    if (!nextById.has(id)) {
      const t = catalogue.getTemplate(id);
      changes.withdrawn.push({ id, name: t.name, from: t.version });
    }
  }

  const drafts: DraftOutcome[] = [];
  // Every draft behind its template's new current version: those changed now, and those flagged by an earlier pack.
  for (const c of [...changes.changed, ...changes.unchanged]) {
    const next = nextById.get(c.id)!;
    for (const d of store.draftsOf(c.id)) {
      if (d.version >= next.version) continue;
      const prev = catalogue.getTemplate(`${c.id}@${d.version}`);
      const r = migrateDraft(loadDocument(JSON.parse(d.document)), prev, next);
      drafts.push(
        'document' in r
          ? { draftId: d.id, templateId: c.id, status: 'migrated', fromVersion: d.version, toVersion: next.version, note: `Moved to version ${next.version}; nothing you entered was lost` }
          : { draftId: d.id, templateId: c.id, status: 'flagged', fromVersion: d.version, note: `Version ${next.version} of "${next.name}" changed: ${r.problems.join('; ')}. Your draft stays on version ${d.version} until you review it.` },
      );
    }
  }
  for (const w of changes.withdrawn) {
    for (const d of store.draftsOf(w.id)) {
      drafts.push({ draftId: d.id, templateId: w.id, status: 'flagged', fromVersion: d.version, note: `${pub.name} withdrew "${w.name}"; your draft is kept but the template no longer appears in the gallery.` });
    }
  }

  const plan: ImportPlan = {
    publisher: { id: pub.id, name: pub.name, fingerprint: pack.fingerprint, publicKey: pub.key.public },
    pack: manifest.pack,
    keyStatus,
    previousVersion: last?.version ?? null,
    status,
    brand: { id: brand.id, name: brand.name, replacesLocal: brandOwner === null },
    changes,
    drafts,
    revocations: contents.revocations.length,
  };
  if (pinned && keyStatus === 'changed') plan.pinnedFingerprint = fingerprint(pinned.publicKey);
  return plan;
}

export interface ImportOptions {
  /** The user saw that the publisher's key changed and chose to trust the new one. */
  trustNewKey?: boolean;
  limits?: ArchiveLimits;
}

function keyChanged(plan: ImportPlan): never {
  throw new LockupError(
    'pack-key-changed',
    `${plan.publisher.name} ("${plan.publisher.id}") signed this pack with a different key than the one you trusted before (was ${plan.pinnedFingerprint}, now ${plan.publisher.fingerprint}). ` +
      `Someone may be impersonating them. Import it only if ${plan.publisher.name} told you their key changed, and then choose to trust the new key.`,
    { was: plan.pinnedFingerprint, now: plan.publisher.fingerprint, publisher: plan.publisher.id },
  );
}

/** Verifies and plans a pack without touching the catalogue (File → Open pack… shows this first). */
export function inspectPack(catalogue: Catalogue, bytes: Uint8Array, options: ImportOptions = {}): ImportPlan {
  return planImport(catalogue, verifyPack(bytes, options.limits));
}

/** Verifies everything, then imports in one transaction. */
export function importPack(catalogue: Catalogue, bytes: Uint8Array, options: ImportOptions = {}): ImportPlan {
  const pack = verifyPack(bytes, options.limits);
  const store = new PackStore(catalogue);
  return catalogue.transaction(() => {
    const plan = planImport(catalogue, pack);
    if (plan.keyStatus === 'changed' && !options.trustNewKey) keyChanged(plan);
    if (plan.status === 'same') return plan;
    const { manifest, contents } = pack;
    store.savePublisher(plan.publisher.id, plan.publisher.name, plan.publisher.publicKey, plan.keyStatus === 'changed');
    for (const [ref, bytes] of contents.assets) {
      const stored = catalogue.putAsset(bytes, `${contents.brand.id}-${ref.slice(7, 19)}`);
      if (stored !== ref) throw new LockupError('internal', `Asset ${ref} stored as ${stored}`);
    }
    catalogue.saveBrand(contents.brand);
    store.setBrandPublisher(contents.brand.id, plan.publisher.id);
    for (const t of contents.templates) {
      catalogue.addTemplateVersion(t);
      store.setWithdrawn(t.id, false);
    }
    for (const w of plan.changes.withdrawn) store.setWithdrawn(w.id, true);
    store.replaceRevocations(plan.publisher.id, contents.revocations);
    const byId = new Map(contents.templates.map((t) => [t.id, t]));
    for (const d of plan.drafts) {
      if (d.status === 'migrated') {
        const row = store.draftsOf(d.templateId).find((r) => r.id === d.draftId)!;
        const moved = migrateDraft(loadDocument(JSON.parse(row.document)), catalogue.getTemplate(`${d.templateId}@${d.fromVersion}`), byId.get(d.templateId)!);
        if (!('document' in moved)) throw new LockupError('internal', `Draft ${d.draftId} could not be moved after all`);
        store.moveDraft(d.draftId, d.toVersion!, JSON.stringify(moved.document));
      } else {
        store.flagDraft(d.draftId, d.note);
      }
    }
    store.recordImport({ publisherId: plan.publisher.id, packId: manifest.pack.id, version: manifest.pack.version, manifestSha256: pack.manifestSha256, templates: contents.templates.map((t) => t.id) });
    return plan;
  });
}
