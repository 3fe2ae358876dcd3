import zlib from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import type { CompiledTemplate } from '../../core/compose/compile.ts';
import type { PlanItem, RenderPlan } from '../../core/compose/plan.ts';
import { LockupError } from '../../core/errors.ts';
import type { PreparedImage } from '../../core/images/prepare.ts';
import { ExportManifest, MANIFEST_ATTACHMENT, type ManifestLogo } from '../../core/model/export-manifest.ts';
import { AttachmentError, readAttachments, type ReadAttachment } from '../../core/pdf/attachments.ts';
import { compareDocuments, type ObjectDifference } from '../../core/pdf/compare.ts';
import { itemOps, type ResourceNames } from '../../core/pdf/content.ts';
import { EmbeddedImageError, readEmbeddedImage } from '../../core/pdf/embedded-image.ts';
import { imageResourceName } from '../../core/pdf/writer.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import type { Template } from '../../core/model/index.ts';
import { nodeInflate } from '../assets/image-store.ts';
import type { Catalogue } from '../catalogue.ts';
import { PackStore } from '../packs/store.ts';
import { sha256Hex } from '../util/hash.ts';
import { ExportEngine, PRODUCER } from './engine.ts';
import { distributorFor } from './export.ts';
import { brandSha256, embeddedImageSha256, logoRefs, renderVerifiable, templateSha256 } from './provenance.ts';

/**
 * `lockup verify` and the app's Verify screen (docs/decisions/0017, 0018):
 * re-render a PDF from this catalogue's template and the inputs embedded in
 * the file, and compare. Nothing read from the file is trusted before it is
 * checked: the file and its attachments have size limits, the manifest must
 * parse strictly and be canonical JSON, attached logo files must match their
 * hashes and go through the same isolated validation as any new logo, and a
 * raster logo rebuilt from the page's image must be an image Lockup writes
 * whose content hash is the manifest's.
 */

export type Verdict = 'authentic' | 'modified' | 'unknown-template' | 'not-lockup';

export interface Difference {
  /** Where, in words: "page 1 content stream 2 (zone partner-name)", "the manifest", "an image on page 1". */
  where: string;
  page: number | null;
  zoneIds: string[];
  kind: 'content' | 'image' | 'font' | 'manifest' | 'attachment' | 'logo' | 'metadata' | 'structure';
}

export interface VerifyResult {
  verdict: Verdict;
  /** One sentence for people. */
  summary: string;
  differences: Difference[];
  /** The embedded manifest once it parsed (what the file claims), else null. */
  manifest: ExportManifest | null;
  /** True when the re-render is byte for byte the file (false when equal only once streams are decoded). */
  byteIdentical: boolean;
  notes: string[];
}

export const VERIFY_LIMITS = { fileBytes: 128 * 1024 * 1024, streamBytes: 64 * 1024 * 1024, totalStreamBytes: 512 * 1024 * 1024, manifestBytes: 1024 * 1024, attachmentBytes: 16 * 1024 * 1024, attachments: 32 };

const result = (verdict: Verdict, summary: string, extra: Partial<VerifyResult> = {}): VerifyResult => ({ verdict, summary, differences: [], manifest: null, byteIdentical: false, notes: [], ...extra });

/**
 * pdf-lib inflates object streams while it parses, with no limit. Before it
 * sees the file, every zlib stream that follows a `stream` keyword is
 * inflated here with a hard output limit (and once more if its output is
 * itself zlib data), so a decompression bomb is refused instead of
 * exhausting memory.
 */
function checkStreamSizes(bytes: Uint8Array): void {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  const bounded = (data: Uint8Array): Uint8Array | undefined => {
    if (data.byteLength < 2 || data[0] !== 0x78) return undefined;
    try {
      const out = zlib.inflateSync(data, { maxOutputLength: VERIFY_LIMITS.streamBytes, finishFlush: zlib.constants.Z_SYNC_FLUSH });
      total += out.byteLength;
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new LockupError('file-too-large', `A stream in the file decompresses to more than ${VERIFY_LIMITS.streamBytes / 1024 / 1024} MB`);
      return undefined;
    }
  };
  for (let at = text.indexOf('stream'); at >= 0; at = text.indexOf('stream', at + 6)) {
    if (at >= 3 && text.toString('latin1', at - 3, at) === 'end') continue;
    let start = at + 6;
    if (text[start] === 0x0d) start++;
    if (text[start] === 0x0a) start++;
    const end = text.indexOf('endstream', start);
    const inner = bounded(bytes.subarray(start, end < 0 ? bytes.byteLength : end));
    if (inner) bounded(inner);
    if (total > VERIFY_LIMITS.totalStreamBytes) throw new LockupError('file-too-large', `The file's streams decompress to more than ${VERIFY_LIMITS.totalStreamBytes / 1024 / 1024} MB`);
  }
}

async function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  if (bytes.byteLength > VERIFY_LIMITS.fileBytes) throw new LockupError('file-too-large', `The file is larger than ${VERIFY_LIMITS.fileBytes / 1024 / 1024} MB`);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (!head.includes('%PDF-')) throw new LockupError('pdf-invalid', 'This file is not a PDF');
  checkStreamSizes(bytes);
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : String(err);
    throw new LockupError('pdf-invalid', `This PDF cannot be read: ${why}`);
  }
}

function zoneNames(): ResourceNames {
  // The writer's resource names (core/pdf/writer.ts pdfName); used only to find each zone's operators.
  const pdfName = (prefix: string, id: string) => prefix + id.replace(/[^A-Za-z0-9._-]/g, '_');
  return { font: (f) => pdfName('F-', f.id), image: (img) => imageResourceName(img.key) };
}

/** Zones whose operators, in the expected content stream, cover the first differing byte. */
function zonesAt(plan: RenderPlan, colorMode: 'rgb' | 'cmyk', page: number, expected: Uint8Array | undefined, offset: number | undefined): string[] {
  const p = plan.pages[page - 1];
  if (!p || !expected || offset === undefined) return [];
  const text = new TextDecoder('latin1').decode(expected);
  const names = zoneNames();
  const frame = { height: plan.height, bleed: plan.bleed, colorMode };
  let cursor = 0;
  let best: PlanItem | undefined;
  for (const item of p.items) {
    let ops: string;
    try {
      ops = itemOps(item, frame, names);
    } catch {
      continue;
    }
    if (ops.length === 0) continue;
    const at = text.indexOf(ops, cursor);
    if (at < 0) continue;
    cursor = at + ops.length;
    if (offset >= at && offset < cursor) return item.zoneId ? [item.zoneId] : [];
    if (at <= offset) best = item;
  }
  return best?.zoneId ? [best.zoneId] : [];
}

function describe(d: ObjectDifference, manifestName: string, plan: RenderPlan, colorMode: 'rgb' | 'cmyk'): Difference {
  const r = d.role;
  switch (r.kind) {
    case 'content': {
      const zoneIds = d.change === 'changed' ? zonesAt(plan, colorMode, r.page, d.expectedContent, d.firstDifference) : [];
      return { where: `page ${r.page} content stream ${r.stream} differs${zoneIds.length > 0 ? ` (zone ${zoneIds.join(', ')})` : ''}`, page: r.page, zoneIds, kind: 'content' };
    }
    case 'page':
      return { where: `page ${r.page}'s dictionary differs (boxes or resources)`, page: r.page, zoneIds: [], kind: 'structure' };
    case 'image':
      return { where: `an image on page ${r.page} was replaced (${r.name})`, page: r.page, zoneIds: [], kind: 'image' };
    case 'font':
      return { where: `a font differs (${r.name})`, page: null, zoneIds: [], kind: 'font' };
    case 'attachment':
      return r.name === manifestName
        ? { where: 'the manifest was edited', page: null, zoneIds: [], kind: 'manifest' }
        : { where: `the attachment "${r.name}" differs`, page: null, zoneIds: [], kind: 'attachment' };
    case 'xmp':
      return { where: 'the XMP metadata differs', page: null, zoneIds: [], kind: 'metadata' };
    case 'info':
      return { where: 'the document information (title, author, dates) differs', page: null, zoneIds: [], kind: 'metadata' };
    case 'catalog':
      return { where: 'the document catalog differs', page: null, zoneIds: [], kind: 'structure' };
    case 'other':
      return { where: `object ${d.objectNumber} ${d.change === 'extra' ? 'was added' : d.change === 'missing' ? 'was removed' : 'differs'}`, page: null, zoneIds: [], kind: 'structure' };
  }
}

/** Reads and checks the embedded manifest; a string is the reason it cannot be used. */
function readManifest(files: ReadAttachment[]): ExportManifest | string | undefined {
  const file = files.find((f) => f.name === MANIFEST_ATTACHMENT);
  if (!file) return undefined;
  if (file.data.byteLength > VERIFY_LIMITS.manifestBytes) return 'the manifest is larger than any Lockup writes';
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file.data));
  } catch {
    return 'the manifest is not valid JSON';
  }
  const parsed = ExportManifest.safeParse(json);
  if (!parsed.success) return `the manifest does not have Lockup's shape (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message ?? ''})`;
  if (canonicalJson(json) !== new TextDecoder().decode(file.data)) return 'the manifest is not in the canonical form Lockup writes';
  return parsed.data;
}

/**
 * Verifies a PDF against this catalogue. Throws `pdf-invalid` (or
 * `file-too-large`) only when the file cannot be read as a PDF at all.
 */
export async function verifyPdf(catalogue: Catalogue, bytes: Uint8Array): Promise<VerifyResult> {
  const doc = await loadPdf(bytes);
  let files: ReadAttachment[];
  try {
    files = readAttachments(doc, nodeInflate, { maxAttachmentBytes: VERIFY_LIMITS.attachmentBytes, maxAttachments: VERIFY_LIMITS.attachments });
  } catch (err) {
    // Too many or too large attachments, or one that does not inflate.
    const why = err instanceof AttachmentError || err instanceof Error ? err.message : String(err);
    return result('modified', `The file's attachments cannot be read: ${why}.`, { differences: [{ where: 'an attachment is damaged or too large', page: null, zoneIds: [], kind: 'attachment' }] });
  }
  const manifest = readManifest(files);
  if (manifest === undefined) return result('not-lockup', 'This PDF has no Lockup manifest: it was not exported by Lockup (or the manifest was removed).');
  if (typeof manifest === 'string') {
    return result('modified', `The manifest was edited: ${manifest}.`, { differences: [{ where: 'the manifest was edited', page: null, zoneIds: [], kind: 'manifest' }] });
  }
  const notes: string[] = [];
  if (manifest.producer !== PRODUCER) notes.push(`Made with ${manifest.producer}; this is ${PRODUCER}. Output may differ between versions.`);
  const ref = `${manifest.template.id}@${manifest.template.version}`;
  let template: Template;
  try {
    template = catalogue.getTemplate(ref);
  } catch (err) {
    if (err instanceof LockupError && err.code === 'template-unknown') {
      return result('unknown-template', `This catalogue has no template ${ref} ("${manifest.template.name}")${packText(manifest)}; import that pack to verify the file.`, { manifest, notes });
    }
    throw err;
  }
  if (templateSha256(template) !== manifest.template.sha256) {
    return result('unknown-template', `This catalogue's ${ref} is not the template the file was made with (the template hashes differ)${packText(manifest)}.`, { manifest, notes });
  }
  const brand = catalogue.getBrand(template.brand);
  if (brand.id !== manifest.brand.id || brandSha256(brand) !== manifest.brand.sha256) {
    return result('unknown-template', `This catalogue's brand kit "${brand.id}" is not the one the file was made with (the brand hashes differ)${packText(manifest)}.`, { manifest, notes });
  }
  const claimed = manifest.pack;
  if (claimed) {
    const store = new PackStore(catalogue);
    const holder = store.brandPublisher(brand.id) ?? store.latestPublished(brand.id)?.publisherId ?? null;
    if (holder !== claimed.publisher.id) notes.push(`The file names the publisher "${claimed.publisher.id}"; in this catalogue the brand is ${holder ? `from "${holder}"` : 'local'}.`);
  }

  const { document, profile } = manifest.inputs;
  const named = logoRefs(profile, document);
  if (named.join(' ') !== manifest.hashes.logos.map((l) => l.ref).join(' ')) {
    return result('modified', 'The manifest was edited: its logo list is not the logos its inputs name.', { manifest, notes, differences: [{ where: 'the manifest was edited', page: null, zoneIds: [], kind: 'manifest' }] });
  }
  const engine = engineFor(catalogue);
  const compiled = await engine.compile(brand, template);
  const logos = await readLogos(engine, compiled, doc, files, manifest);
  if ('verdict' in logos) return { ...logos, manifest, notes };

  let composition;
  try {
    const distributor = await distributorFor(catalogue, engine, template);
    const distributorLogos = new Set([distributor?.logos.light, distributor?.logos.dark].filter((r): r is string => r !== undefined));
    composition = engine.check(withLogos(compiled, logos.images, distributorLogos), profile, document, manifest.output, distributor);
  } catch (err) {
    if (err instanceof LockupError) return result('modified', `The embedded inputs do not fit the template: ${err.message}`, { manifest, notes, differences: [{ where: 'the manifest was edited', page: null, zoneIds: [], kind: 'manifest' }] });
    throw err;
  }
  const { bytes: expected } = await renderVerifiable(engine, composition, {
    template,
    brand,
    profile,
    document,
    output: manifest.output,
    exportedAt: new Date(Date.parse(manifest.exportedAt)),
    pack: manifest.pack,
    logos: logos.files,
  }, manifest.formatVersion);
  if (expected.byteLength === bytes.byteLength && Buffer.compare(Buffer.from(expected), Buffer.from(bytes)) === 0) {
    return result('authentic', authenticText(manifest), { manifest, notes, byteIdentical: true });
  }
  const comparison = compareDocuments(doc, await PDFDocument.load(expected, { updateMetadata: false }), nodeInflate);
  if (comparison.same) {
    notes.push('The file is not byte-identical to the re-render, but every object and decoded stream is (a different zlib compressed it).');
    return result('authentic', authenticText(manifest), { manifest, notes });
  }
  const colorMode = manifest.output === 'print' ? 'cmyk' : 'rgb';
  const differences = dedupe([
    ...comparison.differences.map((d) => describe(d, MANIFEST_ATTACHMENT, composition.plan, colorMode)),
    ...comparison.trailer.map((k): Difference => ({ where: k === 'ID' ? 'the file ID differs' : `the trailer's ${k} differs`, page: null, zoneIds: [], kind: 'structure' })),
  ]);
  const first = differences.find((d) => d.kind !== 'structure') ?? differences[0]!;
  return result('modified', `The file differs from what ${ref} renders from its embedded inputs: ${first.where}${differences.length > 1 ? ` (and ${differences.length - 1} more)` : ''}.`, { manifest, notes, differences });
}

/** One engine per catalogue, kept between verifications (compiling a template loads its fonts and artwork). */
const engines = new WeakMap<Catalogue, ExportEngine>();
function engineFor(catalogue: Catalogue): ExportEngine {
  let engine = engines.get(catalogue);
  if (!engine) engines.set(catalogue, (engine = new ExportEngine(catalogue)));
  return engine;
}

/** The partner's logos as this file carries them: prepared images for the re-render, and the attached files. */
interface FileLogos {
  images: Map<string, PreparedImage>;
  files: Map<string, Uint8Array>;
}

const logoDifference = (where: string, page: number | null = null): Difference => ({ where, page, zoneIds: [], kind: 'logo' });

/**
 * Reads every logo the manifest lists from the file itself, never from this
 * catalogue or an earlier verification: attached files must match their
 * sha256 and pass the same isolated validation as any new logo; a raster
 * logo the page draws (manifest version 2, `page-image`) is rebuilt from the
 * page's image XObject and must hash to the manifest's `sha256`. Anything
 * else is a `modified` verdict naming the logo.
 */
async function readLogos(engine: ExportEngine, compiled: CompiledTemplate, doc: PDFDocument, files: ReadAttachment[], manifest: ExportManifest): Promise<FileLogos | VerifyResult> {
  const out: FileLogos = { images: new Map(), files: new Map() };
  const attached = async (ref: string, attachment: string, size: number): Promise<VerifyResult | undefined> => {
    const file = files.find((f) => f.name === attachment);
    if (!file) return result('modified', `The partner logo attachment ${attachment} is missing.`, { differences: [logoDifference(`the partner logo attachment "${attachment}" was removed`)] });
    if (`sha256:${sha256Hex(file.data)}` !== ref || file.data.byteLength !== size) {
      return result('modified', `The partner logo attachment ${attachment} was replaced (its hash differs from the manifest's).`, { differences: [logoDifference(`the partner logo "${attachment}" was replaced`)] });
    }
    const image = await engine.resources.images.prepareUntrusted(file.data, `logo.${attachment.split('.').pop()}`);
    if (image.key !== ref) throw new LockupError('internal', 'A logo hashed differently on validation');
    out.images.set(ref, image);
    out.files.set(ref, file.data);
    return undefined;
  };
  // Version 1 attached every logo file.
  const entries: readonly ManifestLogo[] = manifest.formatVersion === 1 ? manifest.hashes.logos.map((l) => ({ ...l, travels: 'attachment' as const })) : manifest.hashes.logos;
  for (const l of entries) {
    if (l.travels === 'not-drawn') continue;
    if (l.travels === 'attachment') {
      const refused = await attached(l.ref, l.attachment, l.size);
      if (refused) return refused;
      continue;
    }
    const image = await pageImage(engine, doc, l.ref);
    if ('verdict' in image) return image;
    if (embeddedImageSha256(image.image) !== l.sha256) {
      const where = `the partner logo image on page ${image.page} (/${image.name}) was changed`;
      return result('modified', `The partner logo image on page ${image.page} was changed: its content is not the one the manifest names.`, { differences: [logoDifference(where, image.page)] });
    }
    out.images.set(l.ref, image.image);
  }
  // A logo that is also the template's own artwork is drawn from the catalogue's copy, as at export (one image, one XObject).
  for (const page of compiled.pages) for (const z of page.zones) for (const item of z.items) if (item.type === 'image' && out.images.has(item.image.key)) out.images.set(item.image.key, item.image);
  return out;
}

/** A raster logo rebuilt from the page; damaged or unexpected data is a `modified` verdict. */
async function pageImage(engine: ExportEngine, doc: PDFDocument, ref: string): Promise<{ image: PreparedImage; page: number; name: string } | VerifyResult> {
  const name = imageResourceName(ref);
  const damaged = (why: string, page: number | null) =>
    result('modified', `The partner logo image${page ? ` on page ${page}` : ''} (/${name}) is damaged or not one Lockup writes: ${why}.`, { differences: [logoDifference(`the partner logo image${page ? ` on page ${page}` : ''} (/${name}) is damaged`, page)] });
  let found;
  try {
    found = readEmbeddedImage(doc, ref, nodeInflate, VERIFY_LIMITS.streamBytes);
  } catch (err) {
    if (err instanceof EmbeddedImageError) return damaged(err.message, err.page);
    throw err;
  }
  if (!found) return result('modified', `The partner logo image (/${name}) is missing from the pages.`, { differences: [logoDifference(`the partner logo image (/${name}) was removed`)] });
  if (found.kind === 'raster') return { image: found.image, page: found.page, name };
  // A JPEG logo is embedded as the file itself: validated like any new logo, it must be the file its ref names.
  let image: PreparedImage;
  try {
    image = await engine.resources.images.prepareUntrusted(found.data, `${name}.jpg`);
  } catch (err) {
    if (err instanceof LockupError) return damaged(err.message, found.page);
    throw err;
  }
  if (image.key !== ref) {
    return result('modified', `The partner logo image on page ${found.page} was changed: it is not the JPEG file the inputs name.`, { differences: [logoDifference(`the partner logo image on page ${found.page} (/${name}) was changed`, found.page)] });
  }
  return { image, page: found.page, name };
}

/**
 * The compiled template with the partner logos of one file: only those
 * resolve, so the re-render draws what this file carries and nothing a
 * previous verification left in the engine's caches. The distributor's
 * logos of a derived template (`catalogueRefs`) come from the catalogue,
 * like the vendor's.
 */
function withLogos(compiled: CompiledTemplate, images: ReadonlyMap<string, PreparedImage>, catalogueRefs: ReadonlySet<string> = new Set()): CompiledTemplate {
  return {
    ...compiled,
    resources: {
      font: (id) => compiled.resources.font(id),
      image: (ref) => {
        const image = images.get(ref);
        if (image) return image;
        if (catalogueRefs.has(ref)) return compiled.resources.image(ref);
        throw new LockupError('asset-missing', `The file does not carry the logo ${ref}`);
      },
    },
  };
}

function dedupe(list: Difference[]): Difference[] {
  const seen = new Set<string>();
  return list.filter((d) => (seen.has(d.where) ? false : (seen.add(d.where), true)));
}

function packText(m: ExportManifest): string {
  if (!m.pack) return '';
  return ` (from ${m.pack.publisher.name}${m.pack.id ? `, pack "${m.pack.id}"` : ''}${m.pack.version ? ` version ${m.pack.version}` : ''})`;
}

function authenticText(m: ExportManifest): string {
  return `Authentic: this is exactly what ${m.template.id}@${m.template.version} ("${m.template.name}") renders for ${m.inputs.profile.company}, exported ${m.exportedAt}${packText(m)}.`;
}
