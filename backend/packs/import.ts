import { LockupError } from '../../core/errors.ts';
import { loadDocument, type PartnerDocument, type Template } from '../../core/model/index.ts';
import type { Catalogue } from '../catalogue.ts';
import { LearningStore } from '../learning/store.ts';
import { MdfStore } from '../mdf/store.ts';
import { sha256Hex } from '../util/hash.ts';
import type { ArchiveLimits } from './archive.ts';
import { fingerprint } from './keys.ts';
import { isDerivedPack, verifyDerivedPack, type VerifiedDerivedPack } from './derived.ts';
import type { DistributorScope } from './distributor.ts';
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
  /** Product blocks in the pack: they replace the brand's blocks in the catalogue. */
  products: number;
  /** Playbooks in the pack: they replace the brand's playbooks (a partner's ticked steps are kept). */
  playbooks: number;
  /** Training modules in the pack: they replace the brand's modules (attempts and certifications earned are kept). */
  training: number;
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

/** Templates added, changed, withdrawn and unchanged against what the catalogue holds, and what happens to drafts. */
function planTemplateChanges(catalogue: Catalogue, brandId: string, templates: readonly Template[], activeIds: readonly string[], who: string): Pick<ImportPlan, 'changes' | 'drafts'> {
  const store = new PackStore(catalogue);
  const changes: ImportPlan['changes'] = { added: [], changed: [], withdrawn: [], unchanged: [] };
  const nextById = new Map<string, Template>();
  for (const t of templates) {
    const owner = store.templateOwner(t.id);
    if (owner !== undefined && owner !== brandId) throw new LockupError('forbidden', `Template id "${t.id}" already belongs to brand "${owner}" in this catalogue`);
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
  for (const id of activeIds) {
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
      drafts.push({ draftId: d.id, templateId: w.id, status: 'flagged', fromVersion: d.version, note: `${who} withdrew "${w.name}"; your draft is kept but the template no longer appears in the gallery.` });
    }
  }
  return { changes, drafts };
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

  for (const t of contents.templates) {
    if (store.derivation(t.id)) throw new LockupError('forbidden', `Template id "${t.id}" is a distributor's derived template in this catalogue; ${pub.name}'s pack cannot replace it`, { template: t.id });
  }
  // Playbook and module ids are catalogue-wide, as template ids are.
  const learning = new LearningStore(catalogue);
  for (const pb of contents.playbooks) {
    const owner = learning.getPlaybook(pb.id)?.playbook.brand;
    if (owner !== undefined && owner !== brand.id) throw new LockupError('forbidden', `Playbook id "${pb.id}" already belongs to brand "${owner}" in this catalogue`, { playbook: pb.id });
  }
  for (const m of contents.training) {
    const owner = learning.getModule(m.id)?.brand;
    if (owner !== undefined && owner !== brand.id) throw new LockupError('forbidden', `Training module id "${m.id}" already belongs to brand "${owner}" in this catalogue`, { module: m.id });
  }
  const activeIds = brandOwner === undefined && !catalogue.brandIds().includes(brand.id) ? [] : store.activeTemplateIds(brand.id);
  const { changes, drafts } = planTemplateChanges(catalogue, brand.id, contents.templates, activeIds, pub.name);

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
    products: contents.products.length,
    playbooks: contents.playbooks.length,
    training: contents.training.length,
  };
  if (pinned && keyStatus === 'changed') plan.pinnedFingerprint = fingerprint(pinned.publicKey);
  return plan;
}

export interface ImportOptions {
  /** The user saw that the publisher's (or distributor's) key changed and chose to trust the new one. */
  trustNewKey?: boolean;
  limits?: ArchiveLimits;
  /** The time credentials are checked against (tests). */
  now?: Date;
}

function keyChanged(plan: ImportPlan): never {
  throw new LockupError(
    'pack-key-changed',
    `${plan.publisher.name} ("${plan.publisher.id}") signed this pack with a different key than the one you trusted before (was ${plan.pinnedFingerprint}, now ${plan.publisher.fingerprint}). ` +
      `Someone may be impersonating them. Import it only if ${plan.publisher.name} told you their key changed, and then choose to trust the new key.`,
    { was: plan.pinnedFingerprint, now: plan.publisher.fingerprint, publisher: plan.publisher.id },
  );
}

/** Writes a planned vendor pack into the catalogue (inside the caller's transaction). */
function applyVendorPack(catalogue: Catalogue, pack: VerifiedPack, plan: ImportPlan): void {
  const store = new PackStore(catalogue);
  const { manifest, contents } = pack;
  if (plan.status === 'same') return;
  store.savePublisher(plan.publisher.id, plan.publisher.name, plan.publisher.publicKey, plan.keyStatus === 'changed');
  for (const [ref, bytes] of contents.assets) {
    const stored = catalogue.putAsset(bytes, `${contents.brand.id}-${ref.slice(7, 19)}`);
    if (stored !== ref) throw new LockupError('internal', `Asset ${ref} stored as ${stored}`);
  }
  catalogue.saveBrand(contents.brand);
  store.setBrandPublisher(contents.brand.id, plan.publisher.id);
  // A pack holds the publisher's whole list of blocks (none in packs made before products).
  catalogue.replaceProducts(contents.brand.id, contents.products);
  for (const t of contents.templates) {
    catalogue.addTemplateVersion(t);
    store.setWithdrawn(t.id, false);
  }
  // Likewise the whole list of playbooks and (protected) modules; none in packs made before them.
  const learning = new LearningStore(catalogue);
  learning.replacePlaybooks(contents.brand.id, contents.playbooks);
  learning.replaceModules(contents.brand.id, contents.training);
  // The brand's MDF program: the pack's replaces the one before; a pack without one removes it (verifyPack checked it is the brand's).
  new MdfStore(catalogue).saveProgram(contents.brand.id, contents.mdfProgram ?? null);
  for (const w of plan.changes.withdrawn) store.setWithdrawn(w.id, true);
  store.replaceRevocations(plan.publisher.id, contents.revocations);
  applyDrafts(catalogue, plan.drafts, new Map(contents.templates.map((t) => [t.id, t])));
  store.recordImport({ publisherId: plan.publisher.id, packId: manifest.pack.id, version: manifest.pack.version, manifestSha256: pack.manifestSha256, templates: contents.templates.map((t) => t.id) });
}

function applyDrafts(catalogue: Catalogue, drafts: readonly DraftOutcome[], byId: ReadonlyMap<string, Template>): void {
  const store = new PackStore(catalogue);
  for (const d of drafts) {
    if (d.status === 'migrated') {
      const row = store.draftsOf(d.templateId).find((r) => r.id === d.draftId)!;
      const moved = migrateDraft(loadDocument(JSON.parse(row.document)), catalogue.getTemplate(`${d.templateId}@${d.fromVersion}`), byId.get(d.templateId)!);
      if (!('document' in moved)) throw new LockupError('internal', `Draft ${d.draftId} could not be moved after all`);
      store.moveDraft(d.draftId, d.toVersion!, JSON.stringify(moved.document));
    } else {
      store.flagDraft(d.draftId, d.note);
    }
  }
}

// ---- derived packs (docs/decisions/0020)

/** What importing a distributor's derived pack adds on top of the vendor pack it carries. */
export interface DerivedPlan {
  distributor: { id: string; name: string; fingerprint: string; publicKey: string };
  keyStatus: 'new' | 'pinned' | 'changed';
  pinnedFingerprint?: string;
  credential: { id: string; issuedAt: string; expiresAt: string; scope: DistributorScope };
  overlay: { id: string; version: number; created: string };
  previousVersion: number | null;
  status: 'new' | 'update' | 'same';
  vendorPack: { publisher: string; pack: string; version: number; sha256: string };
  /** Derived templates checked: every vendor-locked element identical to the vendor's. */
  lockedChecked: number;
  changes: ImportPlan['changes'];
  drafts: DraftOutcome[];
}

export type PackImportPlan = ImportPlan & { derived?: DerivedPlan };

/** Plans a derived pack: the carried vendor pack as usual, then the overlay. Writes nothing. */
export function planDerivedImport(catalogue: Catalogue, pack: VerifiedDerivedPack): PackImportPlan {
  const store = new PackStore(catalogue);
  const m = pack.manifest;
  const dist = m.distributor;
  let vendorPlan: ImportPlan;
  try {
    vendorPlan = planImport(catalogue, pack.vendor);
  } catch (err) {
    if (err instanceof LockupError && err.code === 'pack-rollback') {
      rollback(`${dist.name}'s derived pack carries an older vendor pack than you have. ${err.message}`, { ...(err.details ?? {}), distributor: dist.id });
    }
    throw err;
  }
  const publisherId = pack.vendor.manifest.publisher.id;
  // A vendor revokes a distributor's authorisation by its id, in the pack it carries or one imported here before.
  const revoked = pack.vendor.contents.revocations.find((r) => r.id === pack.credential.id) ?? store.revocation(publisherId, pack.credential.id);
  if (revoked) {
    throw new LockupError(
      'credential-revoked',
      `${pack.vendor.manifest.publisher.name} revoked its authorisation of ${dist.name} on ${revoked.revokedAt.slice(0, 10)}${revoked.reason ? ` (${revoked.reason})` : ''}; this derived pack is refused`,
      { credential: pack.credential.id, distributor: dist.id },
    );
  }
  const pinned = store.distributor(publisherId, dist.id);
  const keyStatus = !pinned ? 'new' : pinned.publicKey === dist.key.public ? 'pinned' : 'changed';

  const last = store.latestOverlay(publisherId, dist.id, m.overlay.id);
  let status: DerivedPlan['status'] = last ? 'update' : 'new';
  if (last) {
    if (m.overlay.version < last.version) {
      rollback(`This is version ${m.overlay.version} of ${dist.name}'s derived pack "${m.overlay.id}", older than version ${last.version} you already have; older packs are refused`, {
        version: m.overlay.version,
        current: last.version,
      });
    }
    if (m.overlay.version === last.version) {
      if (pack.manifestSha256 !== last.manifestSha256) rollback(`Version ${last.version} of ${dist.name}'s derived pack "${m.overlay.id}" was already imported with different content`, { version: last.version });
      status = 'same';
    }
  }
  const brandId = pack.vendor.contents.brand.id;
  const templates = pack.templates.map((t) => t.template);
  for (const t of templates) {
    const owner = store.templateOwner(t.id);
    const d = store.derivation(t.id);
    if (owner !== undefined && d?.distributorId !== dist.id) {
      throw new LockupError('forbidden', `Template id "${t.id}" already belongs to ${d ? `distributor "${d.distributorId}"` : `brand "${owner}"`} in this catalogue`, { template: t.id });
    }
  }
  const activeIds = catalogue.brandIds().includes(brandId) ? store.activeDerivedIds(brandId, dist.id) : [];
  const { changes, drafts } = planTemplateChanges(catalogue, brandId, templates, activeIds, dist.name);
  const c = pack.credential;
  const derived: DerivedPlan = {
    distributor: { id: dist.id, name: dist.name, fingerprint: pack.fingerprint, publicKey: dist.key.public },
    keyStatus,
    credential: { id: c.id, issuedAt: c.issuedAt, expiresAt: c.expiresAt, scope: c.scope },
    overlay: m.overlay,
    previousVersion: last?.version ?? null,
    status,
    vendorPack: { publisher: m.vendorPack.publisher, pack: m.vendorPack.pack, version: m.vendorPack.version, sha256: m.vendorPack.sha256 },
    lockedChecked: pack.templates.length,
    changes,
    drafts,
  };
  if (pinned && keyStatus === 'changed') derived.pinnedFingerprint = fingerprint(pinned.publicKey);
  return { ...vendorPlan, derived };
}

function distributorKeyChanged(d: DerivedPlan, vendorName: string): never {
  throw new LockupError(
    'distributor-key-changed',
    `${d.distributor.name} ("${d.distributor.id}") signed this derived pack with a different key than the one you trusted before (was ${d.pinnedFingerprint}, now ${d.distributor.fingerprint}), although ${vendorName} authorised the new key. ` +
      `Import it only if ${d.distributor.name} told you their key changed, and then choose to trust the new key.`,
    { was: d.pinnedFingerprint, now: d.distributor.fingerprint, distributor: d.distributor.id },
  );
}

function importDerived(catalogue: Catalogue, pack: VerifiedDerivedPack, options: ImportOptions): PackImportPlan {
  const store = new PackStore(catalogue);
  return catalogue.transaction(() => {
    const plan = planDerivedImport(catalogue, pack);
    const d = plan.derived!;
    if (plan.keyStatus === 'changed' && !options.trustNewKey) keyChanged(plan);
    if (d.keyStatus === 'changed' && !options.trustNewKey) distributorKeyChanged(d, plan.publisher.name);
    applyVendorPack(catalogue, pack.vendor, plan);
    if (d.status === 'same') return plan;
    const publisherId = plan.publisher.id;
    store.saveDistributor(
      { publisherId, id: d.distributor.id, name: d.distributor.name, publicKey: d.distributor.publicKey, profile: pack.profile, credential: pack.credentialText },
      d.keyStatus === 'changed',
    );
    for (const [ref, bytes] of pack.assets) {
      const stored = catalogue.putAsset(bytes, `${d.distributor.id}-${ref.slice(7, 19)}`);
      if (stored !== ref) throw new LockupError('internal', `Asset ${ref} stored as ${stored}`);
    }
    // The distributor's own blocks, under its id (other vendors' overlays from the same distributor keep theirs).
    for (const p of pack.products) catalogue.saveProduct(p);
    for (const { vendorId, template } of pack.templates) {
      catalogue.addTemplateVersion(template);
      store.setDerivation(template.id, d.distributor.id, vendorId);
      store.setWithdrawn(template.id, false);
    }
    for (const w of d.changes.withdrawn) store.setWithdrawn(w.id, true);
    applyDrafts(catalogue, d.drafts, new Map(pack.templates.map((t) => [t.template.id, t.template])));
    store.recordOverlay({
      publisherId,
      distributorId: d.distributor.id,
      overlayId: d.overlay.id,
      version: d.overlay.version,
      manifestSha256: pack.manifestSha256,
      vendorPackId: d.vendorPack.pack,
      vendorPackVersion: d.vendorPack.version,
      templates: pack.templates.map((t) => t.template.id),
      profile: pack.profile,
    });
    return plan;
  });
}

/** Verifies and plans a pack (a vendor's, or a distributor's derived pack) without touching the catalogue. */
export function inspectPack(catalogue: Catalogue, bytes: Uint8Array, options: ImportOptions = {}): PackImportPlan {
  if (isDerivedPack(bytes, options.limits)) return planDerivedImport(catalogue, verifyDerivedPack(bytes, options.limits, options.now));
  return planImport(catalogue, verifyPack(bytes, options.limits));
}

/** Verifies everything, then imports in one transaction. Derived packs import their vendor pack and overlay together. */
export function importPack(catalogue: Catalogue, bytes: Uint8Array, options: ImportOptions = {}): PackImportPlan {
  if (isDerivedPack(bytes, options.limits)) return importDerived(catalogue, verifyDerivedPack(bytes, options.limits, options.now), options);
  const pack = verifyPack(bytes, options.limits);
  return catalogue.transaction(() => {
    const plan = planImport(catalogue, pack);
    if (plan.keyStatus === 'changed' && !options.trustNewKey) keyChanged(plan);
    applyVendorPack(catalogue, pack, plan);
    return plan;
  });
}
