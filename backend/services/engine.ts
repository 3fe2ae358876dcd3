import fs from 'node:fs';
import path from 'node:path';
import { LockupError } from '../../core/errors.ts';
import { compileTemplate, type CompiledTemplate } from '../../core/compose/compile.ts';
import { compose, type Composition, type DistributorLayer, type OutputProfile } from '../../core/compose/compose.ts';
import { loadDocument, loadProfile, DOCUMENT_FORMAT, DOCUMENT_FORMAT_VERSION, type Brand, type PartnerDocument, type PartnerProfile, type Template } from '../../core/model/index.ts';
import { PdfWriter, type WriteOptions } from '../../core/pdf/writer.ts';
import { nodeDeflate } from '../assets/image-store.ts';
import { readJsonFile } from '../content/bundle.ts';
import { ResourceCache, type AssetSource } from '../resources.ts';
import { printOutput } from './print-profile.ts';
import { readInputFile } from '../util/files.ts';
import { sha256Hex } from '../util/hash.ts';

export const PRODUCER = 'Lockup 0.1.0 (pdf-lib 1.17)';

export interface RenderOptions {
  output: OutputProfile;
  /** Byte-reproducible output: fixed dates and a file ID derived from the inputs. */
  fixedDate?: Date;
  /** The export manifest and logo files, and XMP facts (backend/services/provenance.ts). */
  attachments?: WriteOptions['attachments'];
  xmp?: WriteOptions['xmp'];
}

/**
 * The export pipeline shared by the CLI, the batch workers and (later) the
 * desktop app: compile templates once, compose per partner, write PDF.
 * Holds per-process caches; create one per process or worker.
 */
export class ExportEngine {
  readonly resources: ResourceCache;
  private readonly writer = new PdfWriter(nodeDeflate);
  private readonly compiled = new Map<string, CompiledTemplate>();
  /** Logo files already taken in, by path, with the size and time they had. */
  private readonly logoFiles = new Map<string, { size: number; mtimeMs: number; ref: string }>();
  /** The bytes of logo files taken in, by asset ref: exports embed them (docs/decisions/0017). */
  private readonly logoSources = new Map<string, Uint8Array>();

  /**
   * @param isolateImages validate new image files in a separate, killable
   *   worker (the default). Batch workers pass false: they are themselves
   *   the isolation boundary, watched and terminated by the batch runner.
   */
  constructor(source: AssetSource, private readonly isolateImages = true) {
    this.resources = new ResourceCache(source);
  }

  async compile(brand: Brand, template: Template): Promise<CompiledTemplate> {
    const key = `${brand.id}|${template.id}@${template.version}|${brandDigest(brand)}`;
    let hit = this.compiled.get(key);
    if (!hit) {
      await this.resources.preload(brand, template);
      hit = compileTemplate(template, brand, this.resources.resourcesFor(brand));
      this.compiled.set(key, hit);
    }
    return hit;
  }

  /**
   * Reads a partner profile file: validates it and takes in its logo files
   * (checked in an isolated worker), replacing paths with asset refs.
   */
  async readProfileFile(file: string): Promise<PartnerProfile> {
    const profile = loadProfile(readJsonFile(file, 'Partner profile'));
    return this.intakeProfileLogos(profile, path.dirname(path.resolve(file)));
  }

  async intakeProfileLogos(profile: PartnerProfile, baseDir: string): Promise<PartnerProfile> {
    const intake = async (p: string | undefined) => (p === undefined ? undefined : this.intakeLogo(path.resolve(baseDir, p)));
    if (typeof profile.logo === 'string') return { ...profile, logo: await intake(profile.logo) };
    if (profile.logo) {
      const light = await intake(profile.logo.light);
      const dark = await intake(profile.logo.dark);
      return { ...profile, logo: { ...(light ? { light } : {}), ...(dark ? { dark } : {}) } };
    }
    return profile;
  }

  /** Validates a logo file in isolation and returns its asset ref. */
  async intakeLogo(file: string): Promise<string> {
    const known = this.logoFiles.get(file);
    if (known) {
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (st && st.size === known.size && st.mtimeMs === known.mtimeMs) return known.ref;
    }
    const bytes = readInputFile(file, 'Logo file');
    const st = fs.statSync(file);
    try {
      const name = path.basename(file);
      const image = this.isolateImages ? await this.resources.images.prepareUntrusted(bytes, name) : await this.resources.images.prepareTrusted(bytes, name);
      this.logoFiles.set(file, { size: st.size, mtimeMs: st.mtimeMs, ref: image.key });
      this.logoSources.set(image.key, bytes);
      return image.key;
    } catch (err) {
      if (err instanceof LockupError) throw new LockupError(err.code, `Logo ${err.message}`, { ...err.details, path: file });
      throw err;
    }
  }

  /** A logo file taken in by `intakeLogo`, by its asset ref. */
  logoBytes(ref: string): Uint8Array | undefined {
    return this.logoSources.get(ref);
  }

  /**
   * Composes and checks a document. `distributor` is the distributor layer of
   * a derived template (backend/packs/distributor-layer.ts), prepared with
   * `prepareDistributor`; absent for a template straight from the vendor.
   */
  check(compiled: CompiledTemplate, profile: PartnerProfile, document: PartnerDocument, output: OutputProfile, distributor?: DistributorLayer): Composition {
    return compose(compiled, { profile, document, output, ...(distributor ? { distributor } : {}) });
  }

  /**
   * Prepares a distributor layer's logos from the catalogue (compose is
   * synchronous). A logo that cannot be prepared is left out here and
   * reported by compose as a finding on the lockup.
   */
  async prepareDistributor(layer: DistributorLayer | undefined): Promise<DistributorLayer | undefined> {
    if (!layer) return undefined;
    for (const ref of new Set([layer.logos.light, layer.logos.dark])) {
      if (ref === undefined) continue;
      try {
        await this.resources.imageByRef(ref);
      } catch (err) {
        if (!(err instanceof LockupError)) throw err;
      }
    }
    return layer;
  }

  async render(composition: Composition, options: RenderOptions, idSeed: string): Promise<Uint8Array> {
    return this.writer.write(composition.plan, {
      colorMode: options.output === 'print' ? 'cmyk' : 'rgb',
      producer: PRODUCER,
      idSeed,
      ...(options.fixedDate ? { fixedDate: options.fixedDate } : {}),
      ...(options.output === 'print' ? { print: printOutput() } : {}),
      ...(options.attachments ? { attachments: options.attachments } : {}),
      ...(options.xmp ? { xmp: options.xmp } : {}),
    });
  }
}

/** A document for a template with the given field values. */
export function newDocument(template: Template, fields: Record<string, string> = {}): PartnerDocument {
  return loadDocument({ format: DOCUMENT_FORMAT, formatVersion: DOCUMENT_FORMAT_VERSION, templateId: template.id, templateVersion: template.version, fields });
}

/**
 * A stable identity for everything an export depends on — template version,
 * brand kit, partner profile, document and output profile — used for the
 * PDF file ID and the ledger.
 */
export function inputsDigest(template: Template, brand: Brand, profile: PartnerProfile, document: PartnerDocument, output: OutputProfile): string {
  return sha256Hex(JSON.stringify({ t: `${template.id}@${template.version}`, b: brandDigest(brand), p: profile, d: document, o: output }));
}

const brandDigests = new WeakMap<Brand, string>();
function brandDigest(brand: Brand): string {
  let d = brandDigests.get(brand);
  if (!d) brandDigests.set(brand, (d = sha256Hex(JSON.stringify(brand))));
  return d;
}
