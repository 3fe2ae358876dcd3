import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planView } from '../../core/contracts/plan-view.ts';
import { API, CORE_API, isOpName, type OpArgs, type OpName, type OpOutput, type Envelope } from '../../core/contracts/api.ts';
import { LockupError, toWireError } from '../../core/errors.ts';
import { loadDocument, loadProfile, pageSize, type PartnerDocument, type PartnerProfile, type Template } from '../../core/model/index.ts';
import { describeIssues } from '../../core/model/validate.ts';
import type { Catalogue } from '../catalogue.ts';
import { ExportEngine, newDocument } from '../services/engine.ts';
import { distributorFor, exportDocument, reproducibleDate } from '../services/export.ts';
import { LearningStore } from '../learning/store.ts';
import { recordActivity } from '../insights/ledger.ts';
import { isInsightExport } from '../insights/report.ts';
import { MdfStore } from '../mdf/store.ts';
import { PackStore } from '../packs/store.ts';
import { readInputFile } from '../util/files.ts';
import { slug } from '../util/slug.ts';
import { batchHandlers } from './batch-ops.ts';
import type { HandlerContext, HandlersFor } from './context.ts';
import { designerHandlers } from './designer-ops.ts';
import { distributorHandlers } from './distributor-ops.ts';
import { insightsHandlers } from './insights-ops.ts';
import { learningHandlers } from './learning-ops.ts';
import { mdfHandlers } from './mdf-ops.ts';
import { logoHandlers } from './logo-ops.ts';
import { logoSlots, logoView } from './logo-view.ts';
import { packHandlers } from './pack-ops.ts';
import { printHandlers } from './print-ops.ts';
import { vendorHandlers } from './vendor-ops.ts';
import { verifyHandlers } from './verify-ops.ts';

export interface ServiceOptions {
  catalogue: Catalogue;
  dataDir: string;
  transport: 'electron' | 'web';
  version: string;
  /** Where exports go when the renderer gives no path. */
  exportDir?: string;
  /** Shows a file in the OS file manager (Electron only). */
  reveal?: (file: string) => boolean;
  /** The clock handlers read (training attempts and cool-downs); the system clock by default. */
  clock?: () => Date;
}

type Handlers = { [K in OpName]: (args: OpArgs<K>) => Promise<OpOutput<K>> | OpOutput<K> };

const PROFILE_SETTING = 'current-profile';
const ROLE_SETTING = 'role';


/**
 * The backend side of the API: one handler per operation, over the
 * catalogue and the export engine. `dispatch` validates the operation name
 * and its input before any handler runs, and returns an envelope; nothing
 * thrown escapes as anything but `{ code, message }`.
 */
export class ApiService {
  readonly engine: ExportEngine;
  private readonly handlers: Handlers;
  private readonly packs: PackStore;
  private readonly learning: LearningStore;

  constructor(private readonly options: ServiceOptions) {
    this.engine = new ExportEngine(options.catalogue);
    this.packs = new PackStore(options.catalogue);
    this.learning = new LearningStore(options.catalogue);
    this.handlers = this.createHandlers();
  }

  async dispatch(op: unknown, input: unknown): Promise<Envelope<unknown>> {
    try {
      if (!isOpName(op)) throw new LockupError('unknown-operation', `There is no operation ${JSON.stringify(op)}`);
      const parsed = API[op].input.safeParse(input ?? {});
      if (!parsed.success) {
        const issues = describeIssues(parsed.error);
        throw new LockupError('invalid-argument', `Invalid input for ${op} at ${issues[0]!.path}: ${issues[0]!.message}`, { issues });
      }
      const handler = this.handlers[op] as (args: unknown) => Promise<unknown> | unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      return { ok: false, error: toWireError(err) };
    }
  }

  private get catalogue(): Catalogue {
    return this.options.catalogue;
  }

  private currentProfile(): PartnerProfile | undefined {
    const id = this.catalogue.getSetting(PROFILE_SETTING);
    return id ? this.catalogue.getProfile(id) : undefined;
  }

  private requireProfile(): PartnerProfile {
    const p = this.currentProfile();
    if (!p) throw new LockupError('profile-invalid', 'Set up your partner profile first');
    return p;
  }

  private async compiledFor(document: PartnerDocument) {
    const template = this.catalogue.getTemplate(`${document.templateId}@${document.templateVersion}`);
    const brand = this.catalogue.getBrand(template.brand);
    await this.preloadLogos(document);
    // A distributor's derived template draws the distributor's logos in its lockups.
    const distributor = await distributorFor(this.catalogue, this.engine, template);
    return { template, brand, compiled: await this.engine.compile(brand, template), distributor };
  }

  /** Partner logos live in the catalogue; make sure the engine has them prepared. */
  private async preloadLogos(document: PartnerDocument): Promise<void> {
    const profile = this.currentProfile();
    const refs = new Set<string>(Object.values(document.logos));
    if (profile?.logo) for (const r of typeof profile.logo === 'string' ? [profile.logo] : Object.values(profile.logo)) if (r) refs.add(r);
    for (const ref of refs) await this.engine.resources.imageByRef(ref);
  }

  private exportDir(): string {
    return this.options.exportDir ?? path.join(os.homedir(), 'Documents', 'Lockup');
  }

  private fileNameFor(template: Template, profile: PartnerProfile, output: 'screen' | 'print'): string {
    return `${slug(template.name) || 'partner'}-${slug(profile.company) || 'partner'}${output === 'print' ? '-print' : ''}.pdf`;
  }

  private createHandlers(): Handlers {
    const ctx: HandlerContext = {
      catalogue: this.catalogue,
      engine: this.engine,
      dataDir: this.options.dataDir,
      transport: this.options.transport,
      exportDir: this.exportDir(),
      currentProfile: () => this.currentProfile(),
      now: () => this.options.clock?.() ?? new Date(),
    };
    return { ...this.coreHandlers(), ...vendorHandlers(ctx), ...designerHandlers(ctx), ...packHandlers(ctx), ...logoHandlers(ctx), ...printHandlers(ctx), ...verifyHandlers(ctx), ...batchHandlers(ctx), ...distributorHandlers(ctx), ...learningHandlers(ctx), ...mdfHandlers(ctx), ...insightsHandlers(ctx) };
  }

  private coreHandlers() {
    return {
      'app:info': () => ({
        version: this.options.version,
        dataDir: this.options.dataDir,
        transport: this.options.transport,
        role: (this.catalogue.getSetting(ROLE_SETTING) ?? null) as 'partner' | 'distributor' | 'vendor' | null,
        brands: this.catalogue.brandIds().map((id) => {
          const brand = this.catalogue.getBrand(id);
          return { id, name: brand.name, access: brand.access };
        }),
      }),

      'app:set-role': ({ role }) => {
        this.catalogue.setSetting(ROLE_SETTING, role);
        return { role };
      },

      'profile:get': () => this.currentProfile() ?? null,

      'profile:save': async (edit) => {
        const current = this.currentProfile();
        const profile = loadProfile({ ...edit, id: edit.id ?? current?.id ?? (slug(edit.company) || 'partner') });
        for (const ref of typeof profile.logo === 'string' ? [profile.logo] : Object.values(profile.logo ?? {})) {
          if (ref && !this.catalogue.hasAsset(ref)) throw new LockupError('asset-missing', 'The logo was not taken in; add it again');
        }
        this.catalogue.transaction(() => {
          this.catalogue.saveProfile(profile);
          this.catalogue.setSetting(PROFILE_SETTING, profile.id);
        });
        return profile;
      },

      'logo:intake': async ({ name, data }) => {
        const bytes = new Uint8Array(Buffer.from(data, 'base64'));
        const image = await this.engine.resources.images.prepareUntrusted(bytes, name);
        this.catalogue.putAsset(bytes, name);
        return logoView(image, image.key, name, () => logoSlots(this.catalogue, this.currentProfile(), this.catalogue.getSetting(ROLE_SETTING) === 'vendor'));
      },

      'logo:describe': async ({ ref }) => {
        const image = await this.engine.resources.imageByRef(ref);
        const name = this.catalogue.assetBytes(ref)?.name ?? ref;
        return logoView(image, ref, name, () => logoSlots(this.catalogue, this.currentProfile(), this.catalogue.getSetting(ROLE_SETTING) === 'vendor'));
      },

      'asset:get': ({ ref }) => {
        const asset = this.catalogue.assetBytes(ref);
        if (!asset) throw new LockupError('asset-missing', `No asset ${ref}`);
        return { ref, mediaType: asset.mediaType, data: Buffer.from(asset.bytes).toString('base64') };
      },

      'templates:list': () => {
        const profile = this.currentProfile();
        return this.catalogue.templatesFor(profile).map((t) => {
          const size = pageSize(this.catalogue.getTemplate(`${t.id}@${t.version}`));
          return {
            id: t.id,
            version: t.version,
            name: t.name,
            description: t.description,
            category: t.category,
            pageSize: t.pageSize,
            width: size.width,
            height: size.height,
            available: t.decision.allowed,
            reasons: t.decision.reasons,
            requirements: t.requirements,
            hasDraft: profile ? this.catalogue.getDraft(`${profile.id}:${t.id}`) !== undefined : false,
            notice: t.notice ?? null,
            draftNote: profile ? this.packs.draftNote(`${profile.id}:${t.id}`) : null,
          };
        });
      },

      'template:open': ({ id }) => {
        const profile = this.requireProfile();
        const template = this.catalogue.getTemplate(id);
        const card = this.catalogue.templatesFor(profile).find((t) => t.id === template.id);
        if (card && !card.decision.allowed) {
          throw new LockupError('template-not-entitled', `"${template.name}" is not available to ${profile.company}: ${card.decision.reasons.join('; ')}`, { reasons: card.decision.reasons });
        }
        const brand = this.catalogue.getBrand(template.brand);
        recordActivity(this.catalogue, { kind: 'template-open', subject: template.id, brand: template.brand, partner: profile.id }, this.options.clock?.() ?? new Date());
        const draft = this.catalogue.getDraft(`${profile.id}:${template.id}`);
        let document = newDocument(template);
        let fromDraft = false;
        if (draft) {
          // A draft for an older version keeps the fields the new version still has.
          const known = new Set(template.fields.map((f) => f.key));
          const fields = Object.fromEntries(Object.entries(draft.document.fields).filter(([k]) => known.has(k)));
          document = draft.document.templateVersion === template.version ? draft.document : newDocument(template, fields);
          fromDraft = true;
        }
        return {
          template,
          brand: {
            id: brand.id,
            name: brand.name,
            palette: brand.palette.map((p) => ({ id: p.id, name: p.name, hex: p.hex })),
            fonts: brand.fonts.map((f) => ({ id: f.id, family: f.family, weight: f.weight, style: f.style, asset: f.file })),
          },
          document,
          fromDraft,
        };
      },

      'template:thumbnail': async ({ id }) => {
        const template = this.catalogue.getTemplate(id);
        const typed = this.currentProfile() ?? loadProfile({ id: 'sample', company: 'Your Company' });
        const profile = this.catalogue.accessProfile(template.brand, typed).profile;
        const document = newDocument(template);
        const { compiled, distributor } = await this.compiledFor(document);
        const composition = this.engine.check(compiled, profile, document, 'screen', distributor);
        const bytes = await this.engine.render(composition, { output: 'screen', fixedDate: reproducibleDate() }, `thumb:${id}`);
        return { pdf: Buffer.from(bytes).toString('base64') };
      },

      'document:check': async ({ document, output }) => {
        const doc = loadDocument(document);
        const { compiled, template, distributor } = await this.compiledFor(doc);
        // Access policies see the credential's claims for a brand from a signed pack.
        const profile = this.catalogue.accessProfile(template.brand, this.requireProfile()).profile;
        const t0 = performance.now();
        const composition = this.engine.check(compiled, profile, doc, output, distributor);
        const ms = performance.now() - t0;
        return { findings: composition.findings, plan: planView(composition.plan), values: composition.values, ms };
      },

      'draft:save': ({ document }) => {
        const profile = this.requireProfile();
        const doc = loadDocument(document);
        this.catalogue.getTemplate(`${doc.templateId}@${doc.templateVersion}`);
        this.catalogue.saveDraft(`${profile.id}:${doc.templateId}`, profile.id, doc);
        return { savedAt: new Date().toISOString() };
      },

      'export:suggest': ({ document, output }) => {
        const profile = this.requireProfile();
        const template = this.catalogue.getTemplate(`${document.templateId}@${document.templateVersion}`);
        return { fileName: this.fileNameFor(template, profile, output), folder: this.exportDir() };
      },

      'export:pdf': async ({ document, output, path: target }) => {
        const profile = this.requireProfile();
        const doc = loadDocument(document);
        await this.preloadLogos(doc);
        const template = this.catalogue.getTemplate(`${doc.templateId}@${doc.templateVersion}`);
        const file = path.resolve(target ?? path.join(this.exportDir(), this.fileNameFor(template, profile, output)));
        if (!file.toLowerCase().endsWith('.pdf')) throw new LockupError('invalid-argument', 'The export path must end in .pdf');
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const t0 = performance.now();
        // The same export path as the CLI: refused on errors, written atomically with its ledger row.
        const r = await exportDocument(this.catalogue, this.engine, { template: `${template.id}@${template.version}`, profile, fields: {}, document: doc, output, out: file, tool: 'app' });
        return { path: r.path, fileName: path.basename(r.path), byteLength: r.byteLength, findings: r.findings, ms: performance.now() - t0 };
      },

      'export:download': ({ path: file }) => {
        // Only files this catalogue exported may be read back (the export ledger, or a playbook, certificate or completion export).
        const target = path.resolve(file);
        if (!this.catalogue.isExported(target) && !this.learning.isExported(target) && !new MdfStore(this.catalogue).isWritten(target) && !isInsightExport(this.catalogue, target)) throw new LockupError('forbidden', 'Only files exported by Lockup can be downloaded');
        return { fileName: path.basename(target), data: Buffer.from(readInputFile(target, 'Export')).toString('base64') };
      },

      'file:reveal': ({ path: file }) => {
        // Only files this catalogue exported: the renderer cannot point the file manager anywhere else.
        const target = path.resolve(file);
        if (!this.catalogue.isExported(target) && !this.learning.isExported(target) && !new MdfStore(this.catalogue).isWritten(target) && !isInsightExport(this.catalogue, target) && !this.packs.isPublishedFile(target)) {
          throw new LockupError('forbidden', 'Only files exported or published by Lockup can be shown');
        }
        return { shown: this.options.reveal ? this.options.reveal(target) : false };
      },
    } satisfies HandlersFor<typeof CORE_API>;
  }
}
