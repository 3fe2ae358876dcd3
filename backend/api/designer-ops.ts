import { compileTemplate } from '../../core/compose/compile.ts';
import type { DESIGNER_API, DesignerBrand, DraftView } from '../../core/contracts/designer-api.ts';
import { planView } from '../../core/contracts/plan-view.ts';
import { artworkTemplate, blankTemplate, templateIdFrom } from '../../core/designer/new-template.ts';
import { renderableDraft, showEverything } from '../../core/designer/renderable.ts';
import { sampleFields, sampleProfile, type SampleAttributes } from '../../core/designer/samples.ts';
import { checkDraft, type DraftIssue } from '../../core/designer/validate.ts';
import { LockupError } from '../../core/errors.ts';
import { evaluateAccess, evaluateCondition, type Brand, type PartnerAttributes, type Template } from '../../core/model/index.ts';
import { intakeArtwork } from '../designer/artwork.ts';
import { DraftStore, newDraftId, type DraftRow } from '../designer/drafts.ts';
import { sampleDistributorLogos, sampleLogos } from '../designer/sample-logo.ts';
import { newDocument } from '../services/engine.ts';
import { assetRef } from '../util/hash.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

/** Drafts larger than this are refused: a template is a few KB; megabytes mean a runaway client. */
const MAX_DRAFT_BYTES = 4 * 1024 * 1024;

function decode(data: string): Uint8Array {
  // A fresh Uint8Array, never a pooled Buffer slice (pdf-lib ignores byteOffset).
  return new Uint8Array(Buffer.from(data, 'base64'));
}

/**
 * The template designer (issue #4): drafts that are private to this
 * catalogue, previews from the real engine with sample partners, and
 * publishing as immutable versions. Every refused request leaves the
 * catalogue as it was: inputs are checked in full before anything is written,
 * and writes that span rows run in one transaction.
 */
export function designerHandlers(ctx: HandlerContext): HandlersFor<typeof DESIGNER_API> {
  const { catalogue, engine } = ctx;
  const drafts = new DraftStore(catalogue.db);
  const hasAsset = (ref: string) => catalogue.hasAsset(ref);

  /** A brand whose templates this catalogue may change: it exists and did not arrive in a signed pack. */
  const writableBrand = (brandId: string): Brand => {
    const { exists, publisher } = drafts.brandPublisher(brandId);
    if (!exists) throw new LockupError('brand-unknown', `The catalogue has no brand "${brandId}"`);
    const brand = catalogue.getBrand(brandId);
    if (publisher !== null) {
      throw new LockupError('read-only', `"${brand.name}" arrived in a signed pack from ${publisher}: its templates are read-only here. Change them in the publisher's catalogue and publish a new pack.`, { publisher });
    }
    return brand;
  };

  const designerBrand = (brand: Brand): DesignerBrand => ({
    id: brand.id,
    name: brand.name,
    palette: brand.palette.map((p) => ({ id: p.id, name: p.name, hex: p.hex })),
    fonts: brand.fonts.map((f) => ({ id: f.id, family: f.family, weight: f.weight, style: f.style, asset: f.file })),
    logos: brand.logos.map((l) => ({ id: l.id, name: l.name, background: l.background })),
    access: brand.access,
    publisher: drafts.brandPublisher(brand.id).publisher,
  });

  const issuesOf = (template: unknown, brand: Brand): DraftIssue[] => checkDraft(template, brand, hasAsset).issues;

  const view = (d: DraftRow): DraftView => {
    const brand = catalogue.getBrand(d.brandId);
    return {
      draftId: d.id,
      templateId: d.templateId,
      brandId: d.brandId,
      baseVersion: d.baseVersion,
      nextVersion: catalogue.latestVersion(d.templateId) + 1,
      updatedAt: d.updatedAt,
      template: d.template,
      issues: issuesOf(d.template, brand),
      brand: designerBrand(brand),
    };
  };

  const chooseId = (requested: string | undefined, name: string): string => {
    if (requested === undefined) return templateIdFrom(name, (id) => drafts.idTaken(id));
    if (drafts.idTaken(requested)) throw new LockupError('template-version-conflict', `A template or draft with the id "${requested}" already exists; choose another id`, { id: requested });
    return requested;
  };

  /** The draft body as stored: the draft's own id, brand and next version, whatever the client sent. */
  const pinned = (template: Template, d: Pick<DraftRow, 'templateId' | 'brandId'>): Template => ({
    ...template,
    format: 'lockup.template',
    formatVersion: 1,
    id: d.templateId,
    brand: d.brandId,
    version: catalogue.latestVersion(d.templateId) + 1,
  });

  /** Makes sure the engine can draw the sample partner's (or distributor's) logos; returns their refs. */
  const sampleLogoRefs = async (logos = sampleLogos()): Promise<{ light: string; dark: string }> => {
    const light = assetRef(logos.light);
    const dark = assetRef(logos.dark);
    await engine.resources.images.prepareTrusted(logos.light, 'sample-partner-logo.png', light);
    await engine.resources.images.prepareTrusted(logos.dark, 'sample-partner-logo-dark.png', dark);
    return { light, dark };
  };

  return {
    'designer:list': ({ brandId }) => {
      const { exists, publisher } = drafts.brandPublisher(brandId);
      if (!exists) throw new LockupError('brand-unknown', `The catalogue has no brand "${brandId}"`);
      const brand = catalogue.getBrand(brandId);
      const own = drafts.listForBrand(brandId);
      const published = drafts.publishedForBrand(brandId);
      const publishedIds = new Set(published.map((t) => t.id));
      return {
        brand: { id: brand.id, name: brand.name, publisher },
        templates: published.map((t) => ({
          id: t.id,
          name: t.name,
          category: t.category,
          latestVersion: t.latest,
          versions: t.versions,
          publishedAt: t.updatedAt,
          withdrawn: t.withdrawn,
          draftId: own.find((d) => d.templateId === t.id)?.id ?? null,
        })),
        drafts: own
          .filter((d) => !publishedIds.has(d.templateId))
          .map((d) => ({
            draftId: d.id,
            templateId: d.templateId,
            name: typeof d.template.name === 'string' && d.template.name.trim() !== '' ? d.template.name : d.templateId,
            baseVersion: d.baseVersion,
            updatedAt: d.updatedAt,
            issueCount: issuesOf(d.template, brand).length,
          })),
      };
    },

    'designer:new': ({ brandId, name, id, size, orientation, bleed }) => {
      const brand = writableBrand(brandId);
      const templateId = chooseId(id, name);
      const template = blankTemplate({ id: templateId, name, brand: brand.id, size, orientation, bleed });
      return view(drafts.create({ id: newDraftId(), brandId, templateId, baseVersion: null, template }));
    },

    'designer:from-pdf': async ({ brandId, name, id, fileName, data, page }) => {
      const brand = writableBrand(brandId);
      const templateId = chooseId(id, name);
      // Everything is read and checked before the catalogue is touched.
      const pages = await intakeArtwork(engine.resources.images, decode(data), fileName, page ?? 'all');
      const row = catalogue.transaction(() => {
        const refs = pages.map((p) => catalogue.putAsset(p.bytes, pages.length === 1 ? fileName : `${fileName.replace(/\.pdf$/i, '')} (page ${p.number}).pdf`));
        const template = artworkTemplate({ id: templateId, name, brand: brand.id }, pages.map((p, i) => ({ ...p, asset: refs[i]! })));
        return drafts.create({ id: newDraftId(), brandId, templateId, baseVersion: null, template });
      });
      return view(row);
    },

    'designer:edit': ({ templateId }) => {
      const existing = drafts.forTemplate(templateId);
      if (existing) return view(existing);
      const latest = catalogue.getTemplate(templateId);
      writableBrand(latest.brand);
      const template: Template = { ...latest, version: latest.version + 1 };
      return view(drafts.create({ id: newDraftId(), brandId: latest.brand, templateId, baseVersion: latest.version, template }));
    },

    'designer:get': ({ draftId }) => view(drafts.get(draftId)),

    'designer:save': ({ draftId, template }) => {
      const d = drafts.get(draftId);
      const brand = writableBrand(d.brandId);
      const body = pinned(template, d);
      if (JSON.stringify(body).length > MAX_DRAFT_BYTES) throw new LockupError('too-large', `The template is larger than ${MAX_DRAFT_BYTES / 1024 / 1024} MB; a template is a few KB — remove what does not belong in it`);
      const updatedAt = drafts.save(draftId, body);
      return { updatedAt, issues: issuesOf(body, brand) };
    },

    'designer:preview': async ({ source, mode, partner, sample, output }) => {
      const t0 = performance.now();
      let raw: unknown;
      let brand: Brand;
      if ('draftId' in source) {
        const d = drafts.get(source.draftId);
        raw = d.template;
        brand = catalogue.getBrand(d.brandId);
      } else if ('template' in source) {
        raw = source.template;
        brand = catalogue.getBrand(source.template.brand);
      } else {
        raw = catalogue.getTemplate(source.templateRef);
        brand = catalogue.getBrand((raw as Template).brand);
      }
      const issues = issuesOf(raw, brand);
      const drawable = renderableDraft(raw, brand, hasAsset);
      const hidden: { zoneId: string; reason: string }[] = drawable.dropped.map((zoneId) => ({ zoneId, reason: `not drawn: ${issues.find((i) => i.zoneId === zoneId)?.message ?? 'the zone is invalid'}` }));
      const values: Record<string, string> = {};
      if (!drawable.template) return { plan: null, findings: [], hidden, issues, values, ms: performance.now() - t0 };

      const attrs: SampleAttributes = { tier: partner.tier, type: partner.type, region: partner.region, certifications: partner.certifications, distributor: partner.distributor };
      const logos = await sampleLogoRefs();
      const profile = { ...sampleProfile(sample, attrs), logo: logos };
      if (mode === 'partner') {
        const who: PartnerAttributes = { tier: profile.tier, type: profile.type, region: profile.region, distributor: profile.distributor, certifications: profile.certifications };
        const fields = sampleFields(drawable.template, sample, attrs);
        const read = (attr: string) => (attr.startsWith('field:') ? fields[attr.slice(6)] : (who[attr as keyof PartnerAttributes] as string | undefined));
        for (const z of drawable.template.pages.flatMap((p) => p.zones)) {
          if (z.visibleWhen && !evaluateCondition(z.visibleWhen, read)) hidden.push({ zoneId: z.id, reason: 'hidden: its visibility condition does not hold for this partner' });
          else if (z.access) {
            const decision = evaluateAccess(z.access, who, brand.access);
            if (!decision.allowed) hidden.push({ zoneId: z.id, reason: `hidden: ${decision.reasons.join('; ')}` });
          }
        }
      }
      const template = mode === 'design' ? showEverything(drawable.template) : drawable.template;
      const document = newDocument(template, sampleFields(template, sample, attrs));
      let compiled;
      try {
        await engine.resources.preload(brand, template);
        // Compiled afresh every time: drafts change without changing id@version, so the engine's cache does not apply.
        compiled = compileTemplate(template, brand, engine.resources.resourcesFor(brand));
      } catch (err) {
        if (!(err instanceof LockupError)) throw err;
        return { plan: null, findings: [], hidden, issues: [...issues, { path: '(root)', message: err.message, zoneId: null }], values, ms: performance.now() - t0 };
      }
      // A sample partner who buys through a distributor sees the sample distributor's logo in lockups.
      const distributor = attrs.distributor ? { id: 'sample-distributor', name: profile.distributor ?? 'Distributor', logos: await sampleLogoRefs(sampleDistributorLogos()) } : undefined;
      const composition = engine.check(compiled, profile, document, output, distributor);
      return { plan: planView(composition.plan), findings: composition.findings, hidden, issues, values: composition.values, ms: performance.now() - t0 };
    },

    'designer:sample-logos': () => {
      const view = (bytes: Uint8Array) => ({ ref: assetRef(bytes), data: Buffer.from(bytes).toString('base64') });
      const logos = sampleLogos();
      const dist = sampleDistributorLogos();
      return { light: view(logos.light), dark: view(logos.dark), distributor: { light: view(dist.light), dark: view(dist.dark) } };
    },

    'designer:add-image': async ({ brandId, fileName, data }) => {
      writableBrand(brandId);
      const bytes = decode(data);
      let image;
      try {
        image = await engine.resources.images.prepareUntrusted(bytes, fileName);
      } catch (err) {
        if (err instanceof LockupError && err.code === 'pdf-logo-invalid' && typeof err.details?.['pages'] === 'number') {
          throw new LockupError('pdf-logo-invalid', `"${fileName}" has ${err.details['pages']} pages; an image zone shows one page. Use "New from PDF…" for page artwork, or save the page you want on its own`, err.details);
        }
        throw err;
      }
      const ref = catalogue.putAsset(bytes, fileName);
      return { ref, format: image.info.format, width: image.info.width, height: image.info.height, vector: image.info.vector };
    },

    'designer:publish': async ({ draftId }) => {
      const d = drafts.get(draftId);
      const brand = writableBrand(d.brandId);
      const { template, issues } = checkDraft(d.template, brand, hasAsset);
      if (!template || issues.length > 0) {
        const first = issues[0]!;
        const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
        throw new LockupError('template-invalid', `"${d.template.name || d.templateId}" cannot be published yet: ${first.path}: ${first.message}${more}`, { issues });
      }
      // The engine compiles it as partners' exports will: a fault only compiling shows (a font file that will not load) stops it here.
      await engine.resources.preload(brand, template);
      compileTemplate(template, brand, engine.resources.resourcesFor(brand));
      const version = catalogue.latestVersion(d.templateId) + 1;
      catalogue.transaction(() => {
        catalogue.addTemplateVersion({ ...template, version });
        drafts.delete(draftId);
      });
      const published = drafts.versions(d.templateId).find((v) => v.version === version)!;
      return { templateId: d.templateId, version, publishedAt: published.createdAt };
    },

    'designer:delete': ({ draftId }) => {
      drafts.delete(draftId);
      return { deleted: true as const };
    },

    'designer:versions': ({ templateId }) => {
      const versions = drafts.versions(templateId);
      if (versions.length === 0) throw new LockupError('template-unknown', `The catalogue has no published template "${templateId}"`, { id: templateId });
      return versions;
    },
  };
}
