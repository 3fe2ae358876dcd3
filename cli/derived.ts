import path from 'node:path';
import { LockupError } from '../core/errors.ts';
import type { AccessLevels } from '../core/model/index.ts';
import type { Catalogue } from '../backend/catalogue.ts';
import { readJsonFile } from '../backend/content/bundle.ts';
import { pinnedKeyOf } from '../backend/packs/access.ts';
import type { IssuingDistributor } from '../backend/packs/credential.ts';
import { publishDerived } from '../backend/packs/derive.ts';
import { verifyDerivedPack, type VerifiedDerivedPack } from '../backend/packs/derived.ts';
import { describeScope, issueDistributorCredential, parseDistributorCredential, readDistributorCredential, type DistributorScope } from '../backend/packs/distributor.ts';
import type { DerivedPlan } from '../backend/packs/import.ts';
import { fingerprint, PublicKeyFile, type SigningKey } from '../backend/packs/keys.ts';
import { verifyPack } from '../backend/packs/pack.ts';
import { readInputFile, readTextFile, writeFileAtomic } from '../backend/util/files.ts';
import { need, parse, parseVersion, Usage, withCatalogue, type Io, type Outcome } from './common.ts';
import { EXIT } from './exit-codes.ts';

/** Distributors: authorising a key, deriving packs, and the chain `pack verify` reports (docs/decisions/0020). */

export const DISTRIBUTOR_USAGE = `  distributor authorise --key vendor.key --distributor-pubkey dist.pub --out FILE.cred
             [--id ID] [--name NAME] [--expires YYYY-MM-DD | --days N] [--templates a,b | all]
             [--max-tier TIER] [--regions a,b] [--partner-types a,b]
                                                  authorise a distributor's key (vendor)
  pack derive --key dist.key --credential dist.cred --vendor-pack vendor.lockup --from DIR
             --out FILE.lockup [--overlay-id ID] [--version N]
                                                  sign a derived pack (distributor); DIR holds
                                                  distributor.json, *.derive.json, products/*.product.json
  credential issue --key dist.key --distributor-credential dist.cred [--vendor-pack vendor.lockup] …
                                                  partner credentials within the vendor's scope
`;

const list = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);

export function readPublicKey(file: string): PublicKeyFile {
  const parsed = PublicKeyFile.safeParse(readJsonFile(path.resolve(file), 'Public key file'));
  if (!parsed.success) throw new LockupError('key-invalid', `${file} is not a Lockup public key file (made by "lockup keygen")`);
  return parsed.data;
}

export async function cmdDistributor(args: string[], io: Io, deps: { readKey: (file: string | undefined, io: Io) => SigningKey; expiryFrom: (v: { expires?: string | undefined; days?: string | undefined }, now: Date) => string; levelsFor: (c: Catalogue, publisherId: string) => AccessLevels | undefined }): Promise<Outcome> {
  const [sub, ...rest] = args;
  if (sub !== 'authorise' && sub !== 'authorize') throw new Usage('Use "lockup distributor authorise"');
  const { values } = parse(rest, {
    key: { type: 'string' },
    'distributor-pubkey': { type: 'string' },
    id: { type: 'string' },
    name: { type: 'string' },
    expires: { type: 'string' },
    days: { type: 'string' },
    templates: { type: 'string' },
    'max-tier': { type: 'string' },
    regions: { type: 'string' },
    'partner-types': { type: 'string' },
    out: { type: 'string' },
  });
  const key = deps.readKey(values.key, io);
  const pub = readPublicKey(need(values['distributor-pubkey'], 'distributor-pubkey'));
  const out = path.resolve(need(values.out, 'out'));
  const now = new Date();
  const expires = deps.expiryFrom(values, now);
  const templates = values.templates === undefined || values.templates === 'all' ? 'all' : list(values.templates)!;
  const scope: DistributorScope = {
    templates: templates.length === 0 ? 'all' : templates,
    ...(values['max-tier'] ? { maxTier: values['max-tier'] } : {}),
    ...(values.regions ? { regions: list(values.regions)! } : {}),
    ...(values['partner-types'] ? { partnerTypes: list(values['partner-types'])! } : {}),
  };
  return withCatalogue(values['data-dir'], io, async (catalogue) => {
    // Names must be the vendor's own tiers, regions and types when its brand is here.
    const levels = deps.levelsFor(catalogue, key.publisher.id);
    if (levels) {
      const known = (entries: { id: string }[], ids: string[] | undefined, what: string) => {
        for (const v of ids ?? []) if (!entries.some((e) => e.id === v)) throw new LockupError('distributor-credential-invalid', `${what} "${v}" is not one of ${entries.map((e) => e.id).join(', ') || '(none defined)'}`);
      };
      known(levels.tiers, scope.maxTier ? [scope.maxTier] : [], 'tier');
      known(levels.regions, scope.regions, 'region');
      known(levels.partnerTypes, scope.partnerTypes, 'partner type');
    }
    const { text, claims } = issueDistributorCredential({ distributor: { id: values.id ?? pub.publisher.id, name: values.name ?? pub.publisher.name, publicKey: pub.public }, expires, scope }, key, now);
    writeFileAtomic(out, text);
    return {
      exit: EXIT.ok,
      json: { file: out, credential: claims },
      text: [
        `Wrote ${out}: ${key.publisher.name} authorises ${claims.distributor.name} (${claims.distributor.id}), key ${claims.distributor.fingerprint},`,
        `  until ${claims.expiresAt.slice(0, 10)}; scope: ${describeScope(claims.scope)}. Credential id ${claims.id}.`,
      ],
    };
  });
}

export async function cmdPackDerive(args: string[], io: Io, readKey: (file: string | undefined, io: Io) => SigningKey): Promise<Outcome> {
  const { values } = parse(args, {
    key: { type: 'string' },
    credential: { type: 'string' },
    'vendor-pack': { type: 'string' },
    from: { type: 'string' },
    'from-catalogue': { type: 'boolean', default: false },
    out: { type: 'string' },
    'overlay-id': { type: 'string' },
    version: { type: 'string' },
  });
  if (values['from-catalogue']) throw new Usage('pack derive builds from an overlay folder (--from DIR); deriving from the catalogue is not available yet');
  const key = readKey(values.key, io);
  const credentialText = readTextFile(path.resolve(need(values.credential, 'credential')), 'Distributor credential');
  const vendorPack = readInputFile(path.resolve(need(values['vendor-pack'], 'vendor-pack')), 'Vendor pack', 256 * 1024 * 1024);
  const dir = path.resolve(need(values.from, 'from'));
  const out = need(values.out, 'out');
  const version = parseVersion(values.version);
  return withCatalogue(
    values['data-dir'],
    io,
    async (catalogue) => {
      const r = publishDerived(catalogue, key, { vendorPack, credentialText, dir }, out, { ...(values['overlay-id'] ? { overlayId: values['overlay-id'] } : {}), ...(version ? { version } : {}) });
      const m = r.manifest;
      return {
        exit: EXIT.ok,
        json: { file: r.file, byteLength: r.byteLength, overlay: m.overlay, distributor: { id: m.distributor.id, name: m.distributor.name, fingerprint: fingerprint(key.publicKey) }, vendorPack: m.vendorPack, templates: r.templates, products: r.products },
        text: [
          `Wrote ${r.file} (${(r.byteLength / 1024).toFixed(0)} KB): derived pack "${m.overlay.id}" version ${m.overlay.version}, signed by ${m.distributor.name} (${fingerprint(key.publicKey)}),`,
          `  over ${r.vendor.manifest.publisher.name}'s pack "${m.vendorPack.pack}" version ${m.vendorPack.version}.`,
          ...r.templates.map((t) => `  ${t.id}@${t.version}  derived from ${t.from}`),
          ...r.products.map((p) => `  product ${p.id}  ${p.name} (your own)`),
        ],
      };
    },
    { seed: false },
  );
}

/** `lockup pack verify` for a derived pack: the whole chain. */
export function derivedVerifyOutcome(file: string, bytes: Uint8Array, expectedVendorKey: PublicKeyFile | undefined, pubkeyName: string | undefined): Outcome {
  let v: VerifiedDerivedPack;
  try {
    v = verifyDerivedPack(bytes);
  } catch (err) {
    if (!(err instanceof LockupError)) throw err;
    return { exit: EXIT.badInput, json: { verdict: 'refused', file, reason: { code: err.code, message: err.message } }, text: [`REFUSED ${file}`, `  ${err.message}`] };
  }
  const vm = v.vendor.manifest;
  const c = v.credential;
  const keyMatches = expectedVendorKey ? expectedVendorKey.public === vm.publisher.key.public : null;
  const ok = keyMatches !== false;
  return {
    exit: ok ? EXIT.ok : EXIT.badInput,
    json: {
      verdict: ok ? 'valid' : 'refused',
      file,
      kind: 'derived',
      publisher: { id: vm.publisher.id, name: vm.publisher.name, fingerprint: v.vendor.fingerprint },
      pack: vm.pack,
      distributor: { id: v.manifest.distributor.id, name: v.manifest.distributor.name, fingerprint: v.fingerprint },
      credential: { id: c.id, issuedAt: c.issuedAt, expiresAt: c.expiresAt, scope: c.scope },
      overlay: v.manifest.overlay,
      entries: v.manifest.entries.length,
      templates: v.templates.map((t) => ({ id: t.template.id, version: t.template.version, name: t.template.name, derivedFrom: t.vendorId })),
      products: v.products.map((p) => p.id),
      lockedChecked: v.templates.length,
      keyMatches,
      ...(ok ? {} : { reason: { code: 'pack-key-changed', message: `The vendor pack is signed by ${v.vendor.fingerprint}, not by the expected key ${expectedVendorKey!.fingerprint}` } }),
    },
    text: [
      `${ok ? 'VALID' : 'REFUSED'} ${file} (derived pack)`,
      `  Vendor:      ${vm.publisher.name} (${vm.publisher.id}), pack "${vm.pack.id}" version ${vm.pack.version}, key ${v.vendor.fingerprint}${keyMatches === null ? '' : keyMatches ? ` — matches ${pubkeyName}` : ` — does NOT match ${pubkeyName}`}`,
      `  Distributor: ${v.manifest.distributor.name} (${v.manifest.distributor.id}), key ${v.fingerprint}`,
      `  Authorised by ${vm.publisher.name} from ${c.issuedAt.slice(0, 10)} until ${c.expiresAt.slice(0, 10)}; scope: ${describeScope(c.scope)}`,
      `  Overlay "${v.manifest.overlay.id}" version ${v.manifest.overlay.version}: ${v.manifest.entries.length} entries checked, ${v.templates.length} derived template${v.templates.length === 1 ? '' : 's'}, ${v.assets.size} asset${v.assets.size === 1 ? '' : 's'}${v.products.length > 0 ? `, ${v.products.length} own product block${v.products.length === 1 ? '' : 's'}` : ''}`,
      ...v.templates.map((t) => `    ${t.template.id}@${t.template.version}  derived from ${t.vendorId}@${v.vendor.contents.templates.find((x) => x.id === t.vendorId)!.version}`),
      `  Vendor-locked content identical: ${v.templates.length} template${v.templates.length === 1 ? '' : 's'} checked`,
    ],
  };
}

export function derivedPlanText(d: DerivedPlan): string[] {
  return [
    `  Distributor: ${d.distributor.name} (${d.distributor.id}) — overlay "${d.overlay.id}" version ${d.overlay.version}${d.previousVersion ? ` (you had version ${d.previousVersion})` : ''}`,
    `  Distributor key: ${d.keyStatus === 'new' ? 'pinned now' : d.keyStatus === 'pinned' ? 'matches the pinned key' : 'CHANGED — trusted on your instruction'} · fingerprint ${d.distributor.fingerprint}`,
    `  Authorised until ${d.credential.expiresAt.slice(0, 10)}; scope: ${describeScope(d.credential.scope)}`,
    `  Vendor-locked content identical: ${d.lockedChecked} template${d.lockedChecked === 1 ? '' : 's'} checked`,
    ...(d.status === 'same' ? ['  Nothing to do for the overlay: this exact version was imported before.'] : []),
    ...d.changes.added.map((t) => `    added ${t.name} (${t.id}@${t.to})`),
    ...d.changes.changed.map((t) => `    changed ${t.name} (${t.id}: version ${t.from} → ${t.to})`),
    ...d.changes.withdrawn.map((t) => `    withdrawn ${t.name} (${t.id})`),
    ...d.drafts.map((x) => `    draft ${x.templateId}: ${x.status} — ${x.note}`),
  ];
}

/**
 * A distributor issuing partner credentials: its vendor-signed credential,
 * checked against the vendor's key and tiers, from the vendor pack given or
 * the one this catalogue imported.
 */
export function issuingDistributor(catalogue: Catalogue, credentialFile: string, vendorPackFile: string | undefined): { issuing: IssuingDistributor; tiers: string[] } {
  const credentialText = readTextFile(path.resolve(credentialFile), 'Distributor credential');
  const vendorId = parseDistributorCredential(credentialText).claims.vendor.publisher;
  let vendor: { publisherId: string; name: string; publicKey: string; tiers: string[] };
  if (vendorPackFile) {
    const v = verifyPack(readInputFile(path.resolve(vendorPackFile), 'Vendor pack', 256 * 1024 * 1024));
    vendor = { publisherId: v.manifest.publisher.id, name: v.manifest.publisher.name, publicKey: v.manifest.publisher.key.public, tiers: v.contents.brand.access.tiers.map((t) => t.id) };
  } else {
    const pinned = pinnedKeyOf(catalogue, vendorId);
    if (!pinned?.tiers) throw new Usage(`Give --vendor-pack (the pack of "${vendorId}" you derive from) so the credential and tiers can be checked`);
    vendor = { publisherId: vendorId, name: pinned.publisherName, publicKey: pinned.publicKey, tiers: [...pinned.tiers] };
  }
  const claims = readDistributorCredential(credentialText, vendor);
  return { issuing: { credentialText, claims }, tiers: vendor.tiers };
}
