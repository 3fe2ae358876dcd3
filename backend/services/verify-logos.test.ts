// How partner logos travel in an export and come back in verification (docs/decisions/0018):
// PNG and JPEG rebuilt from the page's image, SVG and PDF attached, version 1 files still verified.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, type PDFRef, type PDFString } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_ATTACHMENT, type ExportManifest } from '../../core/model/export-manifest.ts';
import type { PartnerProfile } from '../../core/model/index.ts';
import { readAttachments } from '../../core/pdf/attachments.ts';
import { readEmbeddedImage } from '../../core/pdf/embedded-image.ts';
import { imageResourceName } from '../../core/pdf/writer.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import { imageFixture } from '../../test/core-support/files.ts';
import { encodePng } from '../../test/core-support/png-encode.ts';
import { seededCatalogue } from '../../test/support/catalogue.ts';
import { partnerFile } from '../../test/support/paths.ts';
import { tempDir } from '../../test/support/temp.ts';
import { nodeInflate } from '../assets/image-store.ts';
import type { Catalogue } from '../catalogue.ts';
import { ExportEngine } from './engine.ts';
import { checkDocument, exportDocument, type ExportRequest } from './export.ts';
import { embeddedImageSha256, logoRefs, renderVerifiable } from './provenance.ts';
import { verifyPdf } from './verify.ts';

let catalogue: Catalogue;
let engine: ExportEngine;
let harbor: PartnerProfile;
const dir = tempDir('lockup-verify-logos-');
const TEMPLATE = 'product-one-pager-letter';

/** Logo files by the name the tests use; the 8-bit opaque RGB PNG is passed through with its own filtered rows. */
const LOGOS: Record<string, () => Uint8Array> = {
  'rgba.png': () => imageFixture('logo-rgba.png'),
  'opaque16.png': () => imageFixture('logo-opaque.png'),
  'opaque8.png': () => encodePng({ width: 600, height: 200, colorType: 2, bitDepth: 8, sample: (x, y) => [x % 256, y, (x * y) % 251], filter: (row) => row % 5 }),
  'logo.jpg': () => imageFixture('logo.jpg'),
  'cmyk.jpg': () => imageFixture('logo-cmyk.jpg'),
  'logo.svg': () => imageFixture('logo-clean.svg'),
  'logo.pdf': () => imageFixture('logo-vector.pdf'),
};
const refs: Record<string, string> = {};

function request(out: string, profile: PartnerProfile, overrides: Partial<ExportRequest> = {}): ExportRequest {
  return { template: TEMPLATE, profile, fields: {}, output: 'screen', out: path.join(dir, out), tool: 'cli', ...overrides };
}

/** Harbor IT with one logo for both backgrounds. */
const withLogo = (name: string): PartnerProfile => ({ ...harbor, logo: refs[name]! });

async function exported(name: string, overrides: Partial<ExportRequest> = {}): Promise<Uint8Array> {
  return fs.readFileSync((await exportDocument(catalogue, engine, request(`${name}.pdf`, withLogo(name), overrides))).path);
}

async function manifestOf(bytes: Uint8Array): Promise<{ manifest: ExportManifest; attachments: string[] }> {
  const files = readAttachments(await PDFDocument.load(bytes, { updateMetadata: false }), nodeInflate);
  const manifest = JSON.parse(new TextDecoder().decode(files.find((f) => f.name === MANIFEST_ATTACHMENT)!.data)) as ExportManifest;
  return { manifest, attachments: files.map((f) => f.name).filter((n) => n !== MANIFEST_ATTACHMENT) };
}

/** Rewrites a PDF with pdf-lib after `edit` (object numbers kept). */
async function tamper(bytes: Uint8Array, edit: (doc: PDFDocument) => void | Promise<void>): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  await edit(doc);
  return doc.save({ useObjectStreams: false, updateFieldAppearances: false });
}

function setRaw(doc: PDFDocument, ref: PDFRef, data: Uint8Array): void {
  const old = doc.context.lookup(ref) as PDFRawStream;
  const dict = old.dict.clone(doc.context);
  dict.set(PDFName.of('Length'), doc.context.obj(data.byteLength));
  doc.context.assign(ref, PDFRawStream.of(dict, data));
}

/** The embedded file stream of the first attachment whose name starts with `prefix`. */
function attachmentRef(doc: PDFDocument, prefix: string): PDFRef {
  const tree = (doc.catalog.lookup(PDFName.of('Names')) as PDFDict).lookup(PDFName.of('EmbeddedFiles')) as PDFDict;
  const items = (tree.lookup(PDFName.of('Names')) as PDFArray).asArray();
  for (let i = 0; i + 1 < items.length; i += 2) {
    if (!(doc.context.lookup(items[i]!) as PDFString).decodeText().startsWith(prefix)) continue;
    return ((doc.context.lookup(items[i + 1]!) as PDFDict).lookup(PDFName.of('EF')) as PDFDict).get(PDFName.of('F')) as PDFRef;
  }
  throw new Error(`no attachment ${prefix}…`);
}

/** Replaces the manifest with `edit` of it, as canonical JSON (so only what `edit` changes differs). */
function editManifest(doc: PDFDocument, edit: (m: ExportManifest) => unknown): void {
  const ref = attachmentRef(doc, MANIFEST_ATTACHMENT);
  const m = JSON.parse(new TextDecoder().decode(zlib.inflateSync((doc.context.lookup(ref) as PDFRawStream).contents))) as ExportManifest;
  setRaw(doc, ref, new Uint8Array(zlib.deflateSync(canonicalJson(edit(m)))));
}

/** The reference of the image XObject the writer made for a logo. */
function logoImageRef(doc: PDFDocument, ref: string): PDFRef {
  const xobjects = doc.getPage(0).node.Resources()!.lookup(PDFName.of('XObject')) as PDFDict;
  return xobjects.get(PDFName.of(imageResourceName(ref))) as PDFRef;
}

/** One colour sample of the logo's image changed (decoded, changed, re-deflated): a valid PDF with other pixels. */
function changePixel(doc: PDFDocument, ref: string): void {
  const xref = logoImageRef(doc, ref);
  const samples = new Uint8Array(zlib.inflateSync((doc.context.lookup(xref) as PDFRawStream).contents));
  // Not a row's first byte: with a predictor that is the row's PNG filter type.
  const at = (samples.length >> 1) + 7;
  samples[at] = samples[at]! ^ 0x40;
  setRaw(doc, xref, new Uint8Array(zlib.deflateSync(samples)));
}

beforeAll(async () => {
  ({ catalogue } = seededCatalogue());
  engine = new ExportEngine(catalogue);
  harbor = await engine.readProfileFile(partnerFile('harbor-it'));
  for (const [name, bytes] of Object.entries(LOGOS)) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes());
    refs[name] = await engine.intakeLogo(file);
  }
}, 60_000);
afterAll(() => catalogue.close());

describe('partner logos in exports (manifest version 2)', () => {
  it.each([
    ['rgba.png', 'png'],
    ['opaque16.png', 'png'],
    ['opaque8.png', 'png'],
    ['logo.jpg', 'jpeg'],
    ['cmyk.jpg', 'jpeg'],
  ] as const)('a %s logo is not attached: the manifest names its page image, and the export verifies authentic, byte for byte', async (name, format) => {
    const bytes = await exported(name);
    const { manifest, attachments } = await manifestOf(bytes);
    expect(manifest.formatVersion).toBe(2);
    expect(attachments).toEqual([]);
    expect(manifest.hashes.logos).toEqual([{ ref: refs[name], travels: 'page-image', format, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    const v = await verifyPdf(catalogue, bytes);
    expect({ verdict: v.verdict, differences: v.differences }).toEqual({ verdict: 'authentic', differences: [] });
    expect(v.byteIdentical).toBe(true);
  }, 60_000);

  it.each(['logo.svg', 'logo.pdf'])('a %s logo is still attached, and verifies authentic', async (name) => {
    const bytes = await exported(name);
    const { manifest, attachments } = await manifestOf(bytes);
    const attachment = `logo-${refs[name]!.slice(7, 23)}.${name.split('.').pop()}`;
    expect(manifest.hashes.logos).toEqual([{ ref: refs[name], travels: 'attachment', attachment, size: LOGOS[name]!().byteLength }]);
    expect(attachments).toEqual([attachment]);
    expect((await verifyPdf(catalogue, bytes)).verdict).toBe('authentic');
  }, 60_000);

  it('a logo variant the template does not draw is named but not carried; the file verifies authentic', async () => {
    const bytes = fs.readFileSync((await exportDocument(catalogue, engine, request('harbor.pdf', harbor))).path);
    const { manifest, attachments } = await manifestOf(bytes);
    expect(attachments).toEqual([]);
    expect(manifest.hashes.logos.map((l) => ('travels' in l ? l.travels : 'v1')).sort()).toEqual(['not-drawn', 'page-image']);
    expect((await verifyPdf(catalogue, bytes)).verdict).toBe('authentic');
  }, 60_000);

  it('a partner logo that is also the template\'s own artwork is drawn once and verifies authentic', async () => {
    const file = path.join(dir, 'hero-vault.jpg');
    fs.copyFileSync(path.join(import.meta.dirname, '..', '..', 'assets', 'nimbus', 'images', 'hero-vault.jpg'), file);
    const profile = { ...harbor, logo: await engine.intakeLogo(file) };
    const bytes = fs.readFileSync((await exportDocument(catalogue, engine, request('hero.pdf', profile, { template: 'product-one-pager-a4' }))).path);
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const hero = fs.readFileSync(file);
    const copies = doc.context.enumerateIndirectObjects().filter(([, o]) => o instanceof PDFRawStream && Buffer.from(o.contents).equals(hero));
    expect(copies).toHaveLength(1);
    expect((doc.getPage(0).node.Resources()!.lookup(PDFName.of('XObject')) as PDFDict).get(PDFName.of(imageResourceName(profile.logo)))).toBe(copies[0]![0]);
    expect((await manifestOf(bytes)).manifest.hashes.logos).toMatchObject([{ ref: profile.logo, travels: 'page-image', format: 'jpeg' }]);
    expect((await verifyPdf(catalogue, bytes)).verdict).toBe('authentic');
  }, 60_000);

  it('the same inputs give the same bytes, and the file is smaller than with the logo attached', async () => {
    const a = await exported('rgba.png', { reproducible: true, out: path.join(dir, 'r1.pdf') });
    const b = await exported('rgba.png', { reproducible: true, out: path.join(dir, 'r2.pdf') });
    expect(Buffer.compare(a, b)).toBe(0);
    const v1 = await versionOne(withLogo('rgba.png'));
    expect(v1.byteLength - a.byteLength).toBeGreaterThan(LOGOS['rgba.png']!().byteLength * 0.9);
  }, 60_000);
});

describe('a changed or damaged logo image', () => {
  it('one changed pixel of a PNG logo is "modified", naming the logo image and its page', async () => {
    for (const name of ['rgba.png', 'opaque8.png']) {
      const tampered = await tamper(await exported(name), (doc) => changePixel(doc, refs[name]!));
      const v = await verifyPdf(catalogue, tampered);
      expect(v.verdict).toBe('modified');
      expect(v.differences).toEqual([{ where: `the partner logo image on page 1 (/${imageResourceName(refs[name]!)}) was changed`, page: 1, zoneIds: [], kind: 'logo' }]);
      expect(v.summary).toMatch(/its content is not the one the manifest names/);
    }
  }, 60_000);

  it('a changed alpha channel is "modified" too', async () => {
    const tampered = await tamper(await exported('rgba.png'), (doc) => {
      const mask = (doc.context.lookup(logoImageRef(doc, refs['rgba.png']!)) as PDFRawStream).dict.get(PDFName.of('SMask')) as PDFRef;
      const alpha = new Uint8Array(zlib.inflateSync((doc.context.lookup(mask) as PDFRawStream).contents));
      alpha[0] = alpha[0]! ^ 0xff;
      setRaw(doc, mask, new Uint8Array(zlib.deflateSync(alpha)));
    });
    expect((await verifyPdf(catalogue, tampered)).differences[0]!.kind).toBe('logo');
  }, 60_000);

  it('a changed byte of a JPEG logo is "modified"', async () => {
    const tampered = await tamper(await exported('logo.jpg'), (doc) => {
      const xref = logoImageRef(doc, refs['logo.jpg']!);
      const data = (doc.context.lookup(xref) as PDFRawStream).contents.slice();
      data[data.length - 100] = data[data.length - 100] === 0x10 ? 0x11 : 0x10;
      setRaw(doc, xref, data);
    });
    const v = await verifyPdf(catalogue, tampered);
    expect(v.verdict).toBe('modified');
    expect(v.differences[0]).toMatchObject({ kind: 'logo', page: 1 });
  }, 60_000);

  it('changed pixels with the manifest hash rewritten to match are still "modified": the manifest feeds the XMP and the file ID', async () => {
    const name = 'rgba.png';
    const tampered = await tamper(await exported(name), async (doc) => {
      changePixel(doc, refs[name]!);
      const rebuilt = readEmbeddedImage(doc, refs[name]!, nodeInflate, 1 << 26);
      if (rebuilt?.kind !== 'raster') throw new Error('no raster logo');
      editManifest(doc, (m) => {
        if (m.formatVersion !== 2 || m.hashes.logos[0]!.travels !== 'page-image') throw new Error('not a version 2 page image');
        return { ...m, hashes: { ...m.hashes, logos: [{ ...m.hashes.logos[0], sha256: embeddedImageSha256(rebuilt.image) }] } };
      });
    });
    const v = await verifyPdf(catalogue, tampered);
    expect(v.verdict).toBe('modified');
    expect(v.differences.map((d) => d.where)).toEqual(expect.arrayContaining(['the XMP metadata differs', 'the file ID differs']));
    expect(v.differences.some((d) => d.kind === 'logo')).toBe(false);
  }, 60_000);

  it('a damaged image stream is "modified" with the reason, never a crash', async () => {
    const name = 'rgba.png';
    const tampered = await tamper(await exported(name), (doc) => {
      const xref = logoImageRef(doc, refs[name]!);
      setRaw(doc, xref, (doc.context.lookup(xref) as PDFRawStream).contents.slice(0, 500));
    });
    const v = await verifyPdf(catalogue, tampered);
    expect(v.verdict).toBe('modified');
    expect(v.summary).toMatch(new RegExp(`^The partner logo image on page 1 \\(/${imageResourceName(refs[name]!)}\\) is damaged or not one Lockup writes: its colour data cannot be decompressed`));
    expect(v.differences).toEqual([{ where: `the partner logo image on page 1 (/${imageResourceName(refs[name]!)}) is damaged`, page: 1, zoneIds: [], kind: 'logo' }]);
  }, 60_000);

  it('a logo image removed from the page is "modified"', async () => {
    const name = 'logo.jpg';
    const tampered = await tamper(await exported(name), (doc) => {
      const xobjects = doc.getPage(0).node.Resources()!.lookup(PDFName.of('XObject')) as PDFDict;
      xobjects.delete(PDFName.of(imageResourceName(refs[name]!)));
    });
    const v = await verifyPdf(catalogue, tampered);
    expect(v.verdict).toBe('modified');
    expect(v.summary).toMatch(/is missing from the pages/);
  }, 60_000);

  it('a manifest that says the drawn logo is not drawn is "modified" (the re-render has no logo to draw)', async () => {
    const name = 'rgba.png';
    const bytes = await exported(name);
    const tampered = await tamper(bytes, (doc) => editManifest(doc, (m) => ({ ...m, hashes: { ...m.hashes, logos: [{ ref: refs[name], travels: 'not-drawn' }] } })));
    const v = await verifyPdf(catalogue, tampered);
    expect(v.verdict).toBe('modified');
  }, 60_000);
});

/** A version 1 file, as exports wrote it before 0018: every logo file attached (the path verification keeps to re-render such files). */
async function versionOne(profile: PartnerProfile): Promise<Uint8Array> {
  const checked = await checkDocument(catalogue, engine, { template: TEMPLATE, profile, fields: {}, output: 'screen' });
  const p = catalogue.accessProfile(checked.brand.id, profile).profile;
  const logos = new Map(logoRefs(p, checked.document).map((ref) => [ref, engine.logoBytes(ref)!] as const));
  const { bytes } = await renderVerifiable(
    engine,
    checked.composition,
    { template: checked.template, brand: checked.brand, profile: p, document: checked.document, output: 'screen', exportedAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), pack: null, logos },
    1,
  );
  return bytes;
}

describe('version 1 files (every logo attached)', () => {
  it('still verify authentic, byte for byte, for PNG, JPEG and SVG logos and for an undrawn variant', async () => {
    for (const profile of [harbor, withLogo('rgba.png'), withLogo('logo.jpg'), withLogo('logo.svg')]) {
      const bytes = await versionOne(profile);
      const { manifest, attachments } = await manifestOf(bytes);
      expect(manifest.formatVersion).toBe(1);
      expect(attachments.length).toBe(manifest.hashes.logos.length);
      expect(attachments.every((a) => /^logo-[0-9a-f]{16}\.(png|jpg|svg)$/.test(a))).toBe(true);
      const v = await verifyPdf(catalogue, bytes);
      expect({ company: profile.company, verdict: v.verdict, differences: v.differences, byteIdentical: v.byteIdentical }).toEqual({ company: profile.company, verdict: 'authentic', differences: [], byteIdentical: true });
    }
  }, 120_000);

  it('a replaced logo attachment in a version 1 file is "modified"', async () => {
    const bytes = await versionOne(withLogo('rgba.png'));
    const tampered = await tamper(bytes, (doc) => setRaw(doc, attachmentRef(doc, 'logo-'), new Uint8Array(zlib.deflateSync(imageFixture('logo-opaque.png')))));
    const v = await verifyPdf(catalogue, tampered);
    expect(v.verdict).toBe('modified');
    expect(v.differences[0]!.kind).toBe('logo');
  }, 60_000);
});
