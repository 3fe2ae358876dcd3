import path from 'node:path';
import type { DISTRIBUTOR_API, DistributorTemplateView, ProductView, SourceView, WorkspaceView } from '../../core/contracts/distributor-api.ts';
import { compileTemplate } from '../../core/compose/compile.ts';
import { compose, type DistributorLayer } from '../../core/compose/compose.ts';
import { sampleProfile } from '../../core/designer/samples.ts';
import { LockupError } from '../../core/errors.ts';
import { formatPrice, ProductBlock } from '../../core/model/product.ts';
import type { Template, Zone } from '../../core/model/template.ts';
import { sampleLogos } from '../designer/sample-logo.ts';
import { DistributorWorkspace, type Sheet, type SourceRow } from '../distributor/workspace.ts';
import { isDerivedPack } from '../packs/derived.ts';
import { applyDerivation, DerivationSpec } from '../packs/derived-rules.ts';
import { overlayFromSpecs, publishDerived } from '../packs/derive.ts';
import { checkDistributorWindow, describeScope, issueDistributorCredential, readDistributorCredential, type DistributorClaims, type DistributorScope } from '../packs/distributor.ts';
import { issueCredential } from '../packs/credential.ts';
import { fingerprint, type SigningKey } from '../packs/keys.ts';
import { PACK_EXTENSION, verifyPack, type VerifiedPack } from '../packs/pack.ts';
import { accessLevelsFor } from '../packs/publish.ts';
import { PackStore } from '../packs/store.ts';
import { newDocument } from '../services/engine.ts';
import { reproducibleDate } from '../services/export.ts';
import { assetRef } from '../util/hash.ts';
import type { HandlerContext, HandlersFor } from './context.ts';
import { loadPublishingKey } from './pack-ops.ts';

/**
 * The distributor's workspace and the vendor's authorisation of
 * distributors (docs/decisions/0021). Every sheet is checked by the same
 * derivation rules a partner's Lockup applies when it opens the derived
 * pack (backend/packs/derived-rules.ts), when it is saved and again when
 * the pack is built, so what the workspace accepts always verifies.
 */

const decode = (data: string) => {
  const buf = Buffer.from(data, 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
};

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'partner';

function productView(p: ProductBlock): ProductView {
  return { id: p.id, publisher: p.publisher, owner: p.owner, name: p.name, sku: p.sku, copy: p.copy, price: p.price, priceText: formatPrice(p.price), section: p.section ?? null, locked: p.locked, image: p.image ?? null };
}

const distributorZones = (t: Template) => t.pages.flatMap((p) => p.zones).filter((z) => z.owner === 'distributor');
const showsDistributorLogo = (t: Template) => t.pages.some((p) => p.zones.some((z) => (z.kind === 'lockup' && z.order.includes('distributor')) || (z.kind === 'partner-logo' && z.owner === 'distributor')));

export function distributorHandlers(ctx: HandlerContext): HandlersFor<typeof DISTRIBUTOR_API> {
  const { catalogue, engine } = ctx;
  const ws = new DistributorWorkspace(catalogue);
  const verified = new Map<string, VerifiedPack>();

  const requireKey = (): SigningKey => {
    const key = loadPublishingKey(catalogue);
    if (!key) throw new LockupError('key-invalid', 'Create your signing key first: a vendor authorises that key');
    return key;
  };

  const vendorPack = (row: SourceRow): VerifiedPack => {
    let v = verified.get(row.packSha256);
    if (!v) {
      v = verifyPack(row.pack);
      verified.set(row.packSha256, v);
    }
    return v;
  };

  const credentialOf = (row: SourceRow, v: VerifiedPack): DistributorClaims =>
    readDistributorCredential(row.credential, { publisherId: v.manifest.publisher.id, name: v.manifest.publisher.name, publicKey: v.manifest.publisher.key.public });

  const vendorProducts = (v: VerifiedPack): ProductBlock[] => v.contents.products ?? [];

  /** The derived template for a sheet, checked by the derivation rules; throws with the reason. */
  const derive = (v: VerifiedPack, key: SigningKey, base: Template, sheet: Sheet, version: number): Template => {
    const spec = specFor(base, sheet);
    const own = ws.products();
    return applyDerivation(base, spec, key.publisher.id, version, v.contents.brand.access, (ref, what) => {
      if (catalogue.hasAsset(ref)) return ref;
      throw new LockupError('asset-missing', `${what} refers to ${ref}, which is not in this workspace`);
    }, { vendor: new Map(vendorProducts(v).map((p) => [p.id, p])), own: new Map(own.map((p) => [p.id, p])) });
  };

  const specFor = (base: Template, sheet: Sheet): DerivationSpec => {
    const zones: Record<string, Record<string, unknown>> = {};
    const byId = new Map(base.pages.flatMap((p) => p.zones).map((z) => [z.id, z]));
    for (const [zoneId, entries] of Object.entries(sheet.areas)) {
      const z = byId.get(zoneId);
      if (!z || z.kind !== 'block-area' || z.owner !== 'distributor') throw new LockupError('derived-vendor-locked', `"${base.name}" has no bundle area "${zoneId}" for you to fill`, { template: base.id, zone: zoneId });
      zones[zoneId] = { entries };
    }
    for (const [zoneId, text] of Object.entries(sheet.texts)) {
      const z = byId.get(zoneId);
      if (!z || z.kind !== 'static-text' || z.owner !== 'distributor') throw new LockupError('derived-vendor-locked', `"${base.name}" has no text "${zoneId}" for you to fill`, { template: base.id, zone: zoneId });
      zones[zoneId] = { text };
    }
    return DerivationSpec.parse({ template: base.id, zones });
  };

  const templateView = (v: VerifiedPack, t: Template, claims: DistributorClaims, sheet: { sheet: Sheet; savedAt: string } | undefined): DistributorTemplateView | undefined => {
    const mine = distributorZones(t);
    const logo = showsDistributorLogo(t);
    if (mine.length === 0 && !logo) return undefined;
    const products = vendorProducts(v);
    const name = (z: Zone) => z.name ?? z.id;
    return {
      id: t.id,
      name: t.name,
      inScope: claims.scope.templates === 'all' || claims.scope.templates.includes(t.id),
      blockAreas: mine.flatMap((z) =>
        z.kind === 'block-area'
          ? [{ zoneId: z.id, name: name(z), offered: products.filter((p) => z.offered.length === 0 || z.offered.includes(p.id)).map(productView), allowOwn: z.allowOwn, layout: z.layout, columns: z.layout === 'list' ? 1 : z.columns }]
          : [],
      ),
      texts: mine.flatMap((z) => (z.kind === 'static-text' ? [{ zoneId: z.id, name: name(z), text: sheet?.sheet.texts[z.id] ?? z.text, multiline: true }] : [])),
      showsLogo: logo,
      sheet: sheet ? { areas: sheet.sheet.areas, texts: sheet.sheet.texts, savedAt: sheet.savedAt } : null,
    };
  };

  const sourceView = (row: SourceRow): SourceView => {
    const v = vendorPack(row);
    const claims = credentialOf(row, v);
    let status: 'valid' | 'expired' = 'valid';
    let message: string | null = null;
    try {
      checkDistributorWindow(claims, new Date());
    } catch (err) {
      if (!(err instanceof LockupError)) throw err;
      status = 'expired';
      message = err.message;
    }
    const sheets = ws.sheets(row.vendorId);
    const overlayId = `${claims.distributor.id}.${v.manifest.pack.id}`;
    const store = new PackStore(catalogue);
    const last = store.latestPublished(overlayId);
    const lastFile = last ? store.publishedFile(overlayId, last.version) : undefined;
    const tiers = v.contents.brand.access.tiers;
    const max = claims.scope.maxTier ? tiers.findIndex((t) => t.id === claims.scope.maxTier) : -1;
    return {
      vendor: { id: v.manifest.publisher.id, name: v.manifest.publisher.name, fingerprint: v.fingerprint },
      pack: { id: v.manifest.pack.id, version: v.manifest.pack.version },
      credential: {
        id: claims.id,
        expiresAt: claims.expiresAt,
        scope: describeScope(claims.scope),
        maxTier: claims.scope.maxTier ?? null,
        tiers: tiers.slice(0, max + 1).map((t) => ({ id: t.id, name: t.name })),
        status,
        message,
      },
      templates: v.contents.templates.flatMap((t) => templateView(v, t, claims, sheets.get(t.id)) ?? []),
      published: last && lastFile ? { version: last.version, path: lastFile, fileName: path.basename(lastFile) } : null,
    };
  };

  const workspace = (): WorkspaceView => {
    const key = loadPublishingKey(catalogue);
    const settings = ws.settings();
    return {
      key: key ? { publisher: key.publisher, publicKey: key.publicKey, fingerprint: fingerprint(key.publicKey) } : null,
      profile: key && settings ? { id: key.publisher.id, name: settings.name, contact: settings.contact, logo: settings.logo } : null,
      sources: ws.sources().map(sourceView),
      ownProducts: ws.products().map(productView),
    };
  };

  const layerFor = (key: SigningKey): DistributorLayer => {
    const s = ws.settings();
    return { id: key.publisher.id, name: s?.name ?? key.publisher.name, logos: s?.logo ? { light: s.logo.ref } : {} };
  };

  const baseTemplate = (v: VerifiedPack, templateId: string): Template => {
    const t = v.contents.templates.find((x) => x.id === templateId);
    if (!t) throw new LockupError('template-unknown', `${v.manifest.publisher.name}'s pack has no template "${templateId}"`);
    return t;
  };

  return {
    'distributor:authorise': ({ distributorId, distributorName, publicKey, templates, maxTier, days }) => {
      const key = loadPublishingKey(catalogue);
      if (!key) throw new LockupError('key-invalid', 'Create your publishing key first (Publish tab): the credential is signed with it');
      const levels = accessLevelsFor(catalogue, key.publisher.id);
      if (maxTier && levels && !levels.tiers.some((t) => t.id === maxTier)) {
        throw new LockupError('distributor-credential-invalid', `Tier "${maxTier}" is not one of ${levels.tiers.map((t) => t.id).join(', ') || '(none defined)'}`);
      }
      const now = new Date();
      const scope: DistributorScope = { templates, ...(maxTier ? { maxTier } : {}) };
      const expires = new Date(now.getTime() + days * 86_400_000).toISOString();
      const { text, claims } = issueDistributorCredential({ distributor: { id: distributorId, name: distributorName, publicKey: publicKey.trim() }, expires, scope }, key, now);
      ws.recordAuthorisation({ id: claims.id, distributorId, name: distributorName, fingerprint: claims.distributor.fingerprint, issuedAt: claims.issuedAt, expiresAt: claims.expiresAt, scope: claims.scope });
      return { fileName: `${key.publisher.id}-authorises-${distributorId}.cred`, text, id: claims.id, expiresAt: claims.expiresAt, fingerprint: claims.distributor.fingerprint, scope: describeScope(claims.scope) };
    },

    'distributor:authorised': () => {
      const key = loadPublishingKey(catalogue);
      const revoked = new Map((key ? new PackStore(catalogue).issuedRevocations(key.publisher.id) : []).map((r) => [r.id, r]));
      return ws.authorisations().map((a) => {
        const r = revoked.get(a.id);
        return { id: a.id, distributorId: a.distributorId, name: a.name, fingerprint: a.fingerprint, issuedAt: a.issuedAt, expiresAt: a.expiresAt, scope: describeScope(a.scope as DistributorScope), revoked: r ? { at: r.revokedAt, reason: r.reason } : null };
      });
    },

    'distributor:revoke': ({ id, reason }) => {
      const key = loadPublishingKey(catalogue);
      if (!key) throw new LockupError('key-invalid', 'Create your publishing key first');
      if (!ws.authorisations().some((a) => a.id === id)) throw new LockupError('invalid-argument', `This catalogue issued no distributor authorisation "${id}"`);
      const store = new PackStore(catalogue);
      store.revokeIssued(key.publisher.id, id, reason);
      return { revokedAt: store.issuedRevocations(key.publisher.id).find((r) => r.id === id)!.revokedAt };
    },

    'distributor:workspace': () => workspace(),

    'distributor:profile-save': async ({ name, contact, logo }) => {
      requireKey();
      const current = ws.settings();
      let logoView = current?.logo ?? null;
      if (logo) {
        const bytes = decode(logo.data);
        const image = await engine.resources.images.prepareUntrusted(bytes, logo.fileName);
        catalogue.putAsset(bytes, logo.fileName);
        logoView = { ref: image.key, name: logo.fileName, width: image.info.width, height: image.info.height };
      }
      ws.saveSettings({ name, contact, logo: logoView });
      return workspace();
    },

    'distributor:add-source': ({ pack, credential }) => {
      const key = requireKey();
      const bytes = decode(pack);
      if (isDerivedPack(bytes)) throw new LockupError('derived-vendor-pack', "This is a distributor's derived pack; add the vendor's own pack (the .lockup file the vendor published)");
      const v = verifyPack(bytes);
      const vendor = { publisherId: v.manifest.publisher.id, name: v.manifest.publisher.name, publicKey: v.manifest.publisher.key.public };
      const claims = readDistributorCredential(credential, vendor);
      checkDistributorWindow(claims, new Date());
      const revoked = v.contents.revocations.find((r) => r.id === claims.id);
      if (revoked) throw new LockupError('credential-revoked', `${vendor.name} revoked this authorisation on ${revoked.revokedAt.slice(0, 10)}${revoked.reason ? ` (${revoked.reason})` : ''}; ask ${vendor.name} for a new one`);
      if (claims.distributor.key.public !== key.publicKey) {
        throw new LockupError('distributor-key-mismatch', `${vendor.name}'s authorisation is for the key ${claims.distributor.fingerprint}, not this workspace's key (${fingerprint(key.publicKey)}); send ${vendor.name} your public key`);
      }
      if (claims.distributor.id !== key.publisher.id) {
        throw new LockupError('distributor-key-mismatch', `${vendor.name} authorised "${claims.distributor.id}", but this workspace signs as "${key.publisher.id}"`);
      }
      const existing = ws.hasSource(vendor.publisherId);
      if (existing) {
        if (existing.vendorKey !== vendor.publicKey) {
          throw new LockupError('pack-key-changed', `${vendor.name} signed this pack with a different key than the pack you added before (was ${fingerprint(existing.vendorKey)}, now ${v.fingerprint})`);
        }
        if (existing.packId === v.manifest.pack.id && v.manifest.pack.version < existing.packVersion) {
          throw new LockupError('pack-rollback', `This is version ${v.manifest.pack.version} of ${vendor.name}'s pack; you already work from version ${existing.packVersion}`, { current: existing.packVersion });
        }
      }
      catalogue.transaction(() => {
        for (const [ref, data] of v.contents.assets) {
          const stored = catalogue.putAsset(data, `${v.contents.brand.id}-${ref.slice(7, 19)}`);
          if (stored !== ref) throw new LockupError('internal', `Asset ${ref} stored as ${stored}`);
        }
        ws.putSource({ vendorId: vendor.publisherId, vendorName: vendor.name, vendorKey: vendor.publicKey, packId: v.manifest.pack.id, packVersion: v.manifest.pack.version, pack: bytes, credential });
      });
      return workspace();
    },

    'distributor:product-save': async ({ image, ...input }) => {
      const key = requireKey();
      const current = ws.product(input.id);
      let imageRef = current?.image;
      let imageBytes: Uint8Array | undefined;
      if (image === null) imageRef = undefined;
      else if (image !== undefined) {
        imageBytes = decode(image);
        const prepared = await engine.resources.images.prepareUntrusted(imageBytes, `${input.id}.img`);
        imageRef = prepared.key;
      }
      const parsed = ProductBlock.safeParse({ format: 'lockup.product', formatVersion: 1, publisher: key.publisher.id, owner: 'distributor', ...input, ...(imageRef ? { image: imageRef } : {}) });
      if (!parsed.success) throw new LockupError('invalid-argument', `The product is invalid: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
      for (const row of ws.sources()) {
        if (vendorProducts(vendorPack(row)).some((p) => p.id === input.id)) throw new LockupError('invalid-argument', `"${input.id}" is the id of a ${row.vendorName} product; give yours another id`);
      }
      catalogue.transaction(() => {
        if (imageBytes) catalogue.putAsset(imageBytes, `${input.id}-image`);
        ws.putProduct(parsed.data);
      });
      return workspace();
    },

    'distributor:product-delete': ({ id }) => {
      for (const row of ws.sources()) {
        for (const [templateId, s] of ws.sheets(row.vendorId)) {
          if (Object.values(s.sheet.areas).some((entries) => entries.some((e) => e.product === id))) {
            throw new LockupError('in-use', `"${id}" is on your sheet for ${row.vendorName}'s "${templateId}"; take it off the sheet first`);
          }
        }
      }
      if (!ws.deleteProduct(id)) throw new LockupError('invalid-argument', `You have no product "${id}"`);
      return workspace();
    },

    'distributor:sheet-save': async ({ vendor, template, areas, texts }) => {
      const key = requireKey();
      const row = ws.source(vendor);
      const v = vendorPack(row);
      const claims = credentialOf(row, v);
      const base = baseTemplate(v, template);
      if (claims.scope.templates !== 'all' && !claims.scope.templates.includes(template)) {
        throw new LockupError('derived-out-of-scope', `${v.manifest.publisher.name} has not authorised you for "${base.name}"`, { template });
      }
      const sheet: Sheet = { areas, texts };
      // Checked before it is stored: a sheet the rules refuse is never saved.
      const derived = derive(v, key, base, sheet, 1);
      const revision = ws.putSheet(vendor, template, sheet);
      const preview = await previewOf(v, key, derived, revision);
      return { workspace: workspace(), pages: preview.pages, findings: preview.findings };
    },

    'distributor:sheet-preview': async ({ vendor, template }) => {
      const key = requireKey();
      const row = ws.source(vendor);
      const v = vendorPack(row);
      const saved = ws.sheets(vendor).get(template);
      const base = baseTemplate(v, template);
      const derived = derive(v, key, base, saved?.sheet ?? { areas: {}, texts: {} }, 1);
      const preview = await previewOf(v, key, derived, saved?.revision ?? 0);
      return { pages: preview.pages, findings: preview.findings, pdf: Buffer.from(preview.pdf).toString('base64') };
    },

    'distributor:publish': ({ vendor, path: target }) => {
      const key = requireKey();
      const settings = ws.settings();
      if (!settings) throw new LockupError('profile-invalid', 'Save your distributor profile (name and logo) first: partners see it on every sheet');
      const row = ws.source(vendor);
      const v = vendorPack(row);
      const claims = credentialOf(row, v);
      checkDistributorWindow(claims, new Date());
      const sheets = ws.sheets(vendor);
      if (sheets.size === 0) throw new LockupError('usage', `Build at least one sheet from ${row.vendorName}'s templates first`);
      const own = ws.products();
      const assets = new Map<string, Uint8Array>();
      const addAsset = (ref: string | undefined) => {
        if (!ref || v.contents.assets.has(ref)) return;
        const a = catalogue.assetBytes(ref);
        if (!a) throw new LockupError('asset-missing', `The workspace lost ${ref}; add the picture again`);
        assets.set(ref, a.bytes);
      };
      addAsset(settings.logo?.ref);
      for (const p of own) addAsset(p.image);
      const specs = [...sheets].map(([templateId, s]) => specFor(baseTemplate(v, templateId), s.sheet));
      const profile = {
        format: 'lockup.distributor' as const,
        formatVersion: 1 as const,
        id: key.publisher.id,
        name: settings.name,
        contact: settings.contact,
        logos: settings.logo ? [{ id: 'logo', file: settings.logo.ref }] : [],
      };
      // The same publishing path as `lockup pack derive`: versions only go up, recorded and written in one transaction.
      const r = publishDerived(
        catalogue,
        key,
        { vendorPack: row.pack, credentialText: row.credential, overlay: (vendorPack, version) => overlayFromSpecs(vendorPack, key.publisher.id, version, { profile, specs, products: own, assets }) },
        (overlayId, version) => target ?? path.join(ctx.exportDir, `${overlayId}-v${version}${PACK_EXTENSION}`),
      );
      return { path: r.file, fileName: path.basename(r.file), version: r.manifest.overlay.version, byteLength: r.byteLength, templates: r.templates.map((t) => ({ id: t.id, from: t.from })) };
    },

    'distributor:credential-issue': ({ vendor, company, partner, tier, type, region, days }) => {
      const key = requireKey();
      const row = ws.source(vendor);
      const v = vendorPack(row);
      const claims = credentialOf(row, v);
      const now = new Date();
      const expires = new Date(Math.min(now.getTime() + days * 86_400_000, Date.parse(claims.expiresAt))).toISOString();
      const r = issueCredential(
        { partner: partner ?? slug(company), company, tier, type, region, expires },
        key,
        now,
        { credentialText: row.credential, claims },
        v.contents.brand.access.tiers.map((t) => t.id),
      );
      return { fileName: `${slug(company)}-${v.manifest.publisher.id}.cred`, text: r.text, id: r.claims.id, expires: r.claims.expires, tier: r.claims.tier };
    },
  };

  /** The derived sheet for a sample partner of the distributor, as the partner's Lockup composes it. */
  async function previewOf(v: VerifiedPack, key: SigningKey, derived: Template, revision: number) {
    const brand = v.contents.brand;
    const template: Template = { ...derived, version: revision + 1 };
    const logos = sampleLogos();
    const light = assetRef(logos.light);
    const dark = assetRef(logos.dark);
    await engine.resources.images.prepareTrusted(logos.light, 'sample-partner-logo.png', light);
    await engine.resources.images.prepareTrusted(logos.dark, 'sample-partner-logo-dark.png', dark);
    const tier = brand.access.tiers.at(-1)?.id;
    const layer = layerFor(key);
    // The sample partner buys through this distributor: its name fills the distributor line.
    const profile = { ...sampleProfile('typical', { ...(tier ? { tier } : {}), distributor: true }), distributor: layer.name, logo: { light, dark } };
    await engine.resources.preload(brand, template);
    const compiled = compileTemplate(template, brand, engine.resources.resourcesFor(brand));
    const composition = compose(compiled, { profile, document: newDocument(template), output: 'screen', distributor: layer });
    const pdf = await engine.render(composition, { output: 'screen', fixedDate: reproducibleDate() }, `preview:${template.id}`);
    return { pages: composition.plan.pages.length, findings: composition.findings.filter((f) => f.code !== 'access-denied'), pdf };
  }
}
