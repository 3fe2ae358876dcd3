import fs from 'node:fs';
import path from 'node:path';
import type { PACK_API, CredentialView } from '../../core/contracts/pack-api.ts';
import { LockupError } from '../../core/errors.ts';
import { accessProfile, importCredential, pinnedKeyOf } from '../packs/access.ts';
import { credentialState, readCredential, type CredentialClaims } from '../packs/credential.ts';
import { importPack, inspectPack, type PackImportPlan } from '../packs/import.ts';
import { fingerprint, generateSigningKey, readSigningKey, writeKeyFiles, type SigningKey } from '../packs/keys.ts';
import { PACK_EXTENSION } from '../packs/pack.ts';
import { contentsFromCatalogue, publishPack } from '../packs/publish.ts';
import { PackStore } from '../packs/store.ts';
import { readInputFile } from '../util/files.ts';
import type { Catalogue } from '../catalogue.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

/** Where the app keeps its publishing key: the data folder, owner-only (see docs/decisions/0011). */
const KEY_SETTING = 'publishing-key';

function decode(data: string): Uint8Array {
  const buf = Buffer.from(data, 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

function planView(plan: PackImportPlan) {
  const { publicKey: _k, ...publisher } = plan.publisher;
  if (!plan.derived) return { ...plan, publisher };
  const { publicKey: _d, ...distributor } = plan.derived.distributor;
  return { ...plan, publisher, derived: { ...plan.derived, distributor } };
}

/** The catalogue's publishing key (a vendor's, or a distributor's signing key), if one was made. */
export function loadPublishingKey(catalogue: Catalogue): SigningKey | undefined {
  const file = catalogue.getSetting(KEY_SETTING);
  return file && fs.existsSync(file) ? readSigningKey(file) : undefined;
}

export function packHandlers(ctx: HandlerContext): HandlersFor<typeof PACK_API> {
  const { catalogue } = ctx;
  const store = new PackStore(catalogue);
  const loadKey = () => loadPublishingKey(catalogue);
  const keyView = (k: SigningKey) => ({ publisher: k.publisher, publicKey: k.publicKey, fingerprint: fingerprint(k.publicKey) });

  /** `issuer`: the distributor authorisation a distributor-issued credential was issued under; revoking it revokes the credential. */
  const credentialView = (claims: CredentialClaims, publisherName: string, issuer?: { id: string }, now = new Date()): CredentialView => {
    const state = credentialState(claims, store.revocation(claims.publisher, claims.id) ?? (issuer ? store.revocation(claims.publisher, issuer.id) : undefined), now);
    return {
      publisher: { id: claims.publisher, name: publisherName },
      company: claims.company,
      partner: claims.partner,
      tier: claims.tier,
      type: claims.type ?? null,
      region: claims.region ?? null,
      certifications: claims.certifications,
      expires: claims.expires,
      status: state.status,
      message: state.status === 'valid' ? null : state.message,
    };
  };

  const packIdFor = (brandId: string) => brandId;

  return {
    'pack:key': () => {
      const k = loadKey();
      return k ? keyView(k) : null;
    },

    'pack:key-create': ({ publisherId, publisherName }) => {
      if (loadKey()) throw new LockupError('forbidden', 'This catalogue already has a publishing key; packs must keep being signed with it');
      const key = generateSigningKey({ id: publisherId, name: publisherName });
      const file = path.join(ctx.dataDir, 'keys', `${publisherId}.key`);
      writeKeyFiles(file, key);
      catalogue.setSetting(KEY_SETTING, file);
      return keyView(key);
    },

    'pack:publish-info': ({ brandId }) => {
      const brand = catalogue.getBrand(brandId);
      const key = loadKey();
      const packId = packIdFor(brandId);
      const last = store.latestPublished(packId);
      const owner = store.brandPublisher(brandId);
      const templates = store.activeTemplateIds(brandId).map((id) => {
        const t = catalogue.getTemplate(id);
        return { id, version: t.version, name: t.name };
      });
      const nextVersion = (last?.version ?? 0) + 1;
      const blocked = owner
        ? `${brand.name} came in a pack from "${owner}"; only its publisher can publish it.`
        : !key
          ? 'Create a publishing key first.'
          : templates.length === 0
            ? 'Publish at least one template in the designer first.'
            : store.publisher(key.publisher.id)
              ? `This catalogue imported packs from "${key.publisher.id}"; publish from the vendor's own catalogue.`
              : null;
      return {
        key: key ? keyView(key) : null,
        packId,
        lastVersion: last?.version ?? null,
        nextVersion,
        templates,
        revocations: key ? store.issuedRevocations(key.publisher.id).length : 0,
        fileName: `${packId}-v${nextVersion}${PACK_EXTENSION}`,
        folder: ctx.exportDir,
        blocked,
      };
    },

    'pack:publish': ({ brandId, path: target }) => {
      const key = loadKey();
      if (!key) throw new LockupError('key-invalid', 'Create a publishing key first');
      const packId = packIdFor(brandId);
      const version = (store.latestPublished(packId)?.version ?? 0) + 1;
      const file = path.resolve(target ?? path.join(ctx.exportDir, `${packId}-v${version}${PACK_EXTENSION}`));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const r = publishPack(catalogue, contentsFromCatalogue(catalogue, brandId, key.publisher.id), key, file, { packId, version });
      return { path: r.file, fileName: path.basename(r.file), version: r.manifest.pack.version, byteLength: r.byteLength, fingerprint: fingerprint(key.publicKey), templates: r.templates.length };
    },

    'pack:download': ({ path: file }) => {
      const target = path.resolve(file);
      // Only packs this catalogue published may be read back.
      if (!store.isPublishedFile(target)) throw new LockupError('forbidden', 'Only packs published by this catalogue can be downloaded');
      return { fileName: path.basename(target), data: Buffer.from(readInputFile(target, 'Pack')).toString('base64') };
    },

    'pack:inspect': ({ data }) => planView(inspectPack(catalogue, decode(data))),

    'pack:import': ({ data, trustNewKey }) => planView(importPack(catalogue, decode(data), { trustNewKey })),

    'credential:import': ({ text }) => {
      const r = importCredential(catalogue, text);
      return credentialView(r.claims, r.publisherName);
    },

    'credential:status': () => {
      const profile = ctx.currentProfile() ?? { id: 'anyone', company: 'This partner', contact: {}, certifications: [] };
      return store.publishers().map((p) => {
        const brandId = catalogue.brandIds().find((b) => store.brandPublisher(b) === p.id);
        const access = brandId ? accessProfile(catalogue, brandId, profile) : undefined;
        const stored = store.credential(p.id);
        let credential: CredentialView | null = null;
        if (stored) {
          try {
            const read = readCredential(stored.raw, (id) => (id === p.id ? pinnedKeyOf(catalogue, id) : undefined));
            credential = credentialView(read.claims, p.name, read.issuer);
          } catch {
            credential = { ...credentialView(stored.claims, p.name), status: 'invalid', message: `No longer matches ${p.name}'s key` };
          }
        }
        return {
          publisher: { id: p.id, name: p.name, fingerprint: fingerprint(p.publicKey) },
          packVersion: store.latestImportOf(p.id)?.version ?? null,
          credential,
          notice: access?.notice ?? null,
        };
      });
    },
  };
}
