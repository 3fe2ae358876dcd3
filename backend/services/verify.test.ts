import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import pako from 'pako';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockupError } from '../../core/errors.ts';
import { MANIFEST_ATTACHMENT, type ExportManifest as Manifest } from '../../core/model/export-manifest.ts';
import type { PartnerProfile } from '../../core/model/index.ts';
import { canonicalJson } from '../../core/util/canonical-json.ts';
import { emptyCatalogue, seededCatalogue } from '../../test/support/catalogue.ts';
import { qpdfCheck } from '../../test/support/pdf.ts';
import { partnerFile } from '../../test/support/paths.ts';
import { tempDir } from '../../test/support/temp.ts';
import type { Catalogue } from '../catalogue.ts';
import { ExportEngine } from './engine.ts';
import { exportDocument, type ExportRequest } from './export.ts';
import { verifyPdf } from './verify.ts';

let catalogue: Catalogue;
let engine: ExportEngine;
let harbor: PartnerProfile;
let summit: PartnerProfile;
let original: Uint8Array;
const dir = tempDir('lockup-verify-');

function request(out: string, overrides: Partial<ExportRequest> = {}): ExportRequest {
  return { template: 'product-one-pager-letter', profile: harbor, fields: {}, output: 'screen', out: path.join(dir, out), tool: 'cli', ...overrides };
}

beforeAll(async () => {
  ({ catalogue } = seededCatalogue());
  engine = new ExportEngine(catalogue);
  harbor = await engine.readProfileFile(partnerFile('harbor-it'));
  summit = await engine.readProfileFile(partnerFile('summit-msp'));
  original = fs.readFileSync((await exportDocument(catalogue, engine, request('original.pdf'))).path);
}, 60_000);
afterAll(() => catalogue.close());

/** Rewrites a PDF with pdf-lib after `edit` (object numbers kept; streams re-encoded by the caller). */
async function tamper(bytes: Uint8Array, edit: (doc: PDFDocument) => void | Promise<void>): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  await edit(doc);
  return doc.save({ useObjectStreams: false, updateFieldAppearances: false });
}

function setContents(doc: PDFDocument, ref: PDFRef, data: Uint8Array): void {
  const old = doc.context.lookup(ref) as PDFRawStream;
  const dict = old.dict.clone(doc.context);
  const compressed = zlib.deflateSync(data);
  dict.set(PDFName.of('Length'), doc.context.obj(compressed.byteLength));
  doc.context.assign(ref, PDFRawStream.of(dict, new Uint8Array(compressed)));
}

function attachmentRef(doc: PDFDocument, name: string): PDFRef {
  const tree = (doc.catalog.lookup(PDFName.of('Names')) as PDFDict).lookup(PDFName.of('EmbeddedFiles')) as PDFDict;
  const items = (tree.lookup(PDFName.of('Names')) as PDFArray).asArray();
  for (let i = 0; i < items.length; i += 2) {
    const spec = doc.context.lookup(items[i + 1]!) as PDFDict;
    const key = doc.context.lookup(items[i]!) as unknown as { decodeText(): string };
    if (key.decodeText() === name || (name === 'logo' && key.decodeText().startsWith('logo-'))) return (spec.lookup(PDFName.of('EF')) as PDFDict).get(PDFName.of('F')) as PDFRef;
  }
  throw new Error(`no attachment ${name}`);
}

const inflate = (s: PDFRawStream) => new Uint8Array(zlib.inflateSync(s.contents));

describe('verifiable exports', () => {
  it('every demo template exports a PDF that verifies authentic, byte for byte', async () => {
    const ids = catalogue.templatesFor(summit).map((t) => t.id);
    expect(ids.length).toBe(10);
    for (const id of ids) {
      const r = await exportDocument(catalogue, engine, request(`${id}.pdf`, { template: id, profile: summit, fields: id === 'bundled-offer-sheet' ? { bundlePrice: '$45 per server / month' } : {} }));
      const v = await verifyPdf(catalogue, fs.readFileSync(r.path));
      expect({ id, verdict: v.verdict, differences: v.differences }).toEqual({ id, verdict: 'authentic', differences: [] });
      expect(v.byteIdentical).toBe(true);
    }
  }, 120_000);

  it('print exports verify too', async () => {
    const r = await exportDocument(catalogue, engine, request('print.pdf', { output: 'print', profile: summit }));
    expect((await verifyPdf(catalogue, fs.readFileSync(r.path))).verdict).toBe('authentic');
  }, 60_000);

  it('the same inputs give identical bytes, also in another time zone', async () => {
    const a = fs.readFileSync((await exportDocument(catalogue, engine, request('r1.pdf', { reproducible: true }))).path);
    const tz = process.env['TZ'];
    process.env['TZ'] = 'Pacific/Chatham';
    try {
      expect(new Date(Date.UTC(2000, 0, 1)).getHours()).not.toBe(0);
      const b = fs.readFileSync((await exportDocument(catalogue, engine, request('r2.pdf', { reproducible: true }))).path);
      expect(Buffer.compare(a, b)).toBe(0);
    } finally {
      if (tz === undefined) delete process.env['TZ'];
      else process.env['TZ'] = tz;
    }
  }, 60_000);

  it('a file whose streams another deflate (pako) compressed still verifies authentic, not byte-identical', async () => {
    const recompressed = await tamper(original, (doc) => {
      for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
        if (obj instanceof PDFRawStream && obj.dict.get(PDFName.of('Filter')) === PDFName.of('FlateDecode')) {
          const data = pako.deflate(inflate(obj), { level: 1 });
          const dict = obj.dict.clone(doc.context);
          dict.set(PDFName.of('Length'), doc.context.obj(data.byteLength));
          doc.context.assign(ref, PDFRawStream.of(dict, data));
        }
      }
    });
    const v = await verifyPdf(catalogue, recompressed);
    expect(v.verdict).toBe('authentic');
    expect(v.byteIdentical).toBe(false);
  }, 60_000);

  it('embeds the manifest as an attachment that qpdf accepts and pdfdetach lists, with XMP metadata', async () => {
    const file = path.join(dir, 'original.pdf');
    const q = qpdfCheck(file);
    expect(q.status).toBe(0);
    expect(q.stderr).toBe('');
    const list = spawnSync('pdfdetach', ['-list', file], { encoding: 'utf8' });
    expect(list.status).toBe(0);
    expect(list.stdout).toContain(MANIFEST_ATTACHMENT);
    // Harbor IT's logos are PNG: the page's image is the copy verification uses (docs/decisions/0018), no file is attached.
    expect(list.stdout).not.toMatch(/logo-[0-9a-f]{16}/);
    const doc = await PDFDocument.load(original, { updateMetadata: false });
    const xmp = new TextDecoder().decode((doc.catalog.lookup(PDFName.of('Metadata')) as PDFRawStream).contents);
    expect(xmp).toContain('<lockup:templateId>product-one-pager-letter</lockup:templateId>');
    expect(xmp).toMatch(/<xmp:CreateDate>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/xmp:CreateDate>/);
    expect(doc.catalog.lookup(PDFName.of('AF'))).toBeInstanceOf(PDFArray);
  });

  it('a changed byte in a page content stream (re-encoded, still a valid PDF) is "modified", naming the page and the zone', async () => {
    const doc0 = await PDFDocument.load(original, { updateMetadata: false });
    const contents = (doc0.getPage(0).node.lookup(PDFName.of('Contents')) as PDFArray).asArray() as PDFRef[];
    // Each stream in turn: whichever is flipped, the verdict names page 1 and that stream.
    for (let k = 0; k < contents.length; k++) {
      const tampered = await tamper(original, (doc) => {
        const ref = contents[k]!;
        const data = inflate(doc.context.lookup(ref) as PDFRawStream);
        const at = Math.floor(data.length / 2);
        data[at] = data[at] === 0x30 ? 0x31 : 0x30;
        setContents(doc, ref, data);
      });
      const v = await verifyPdf(catalogue, tampered);
      expect(v.verdict).toBe('modified');
      expect(v.differences[0]!.where).toMatch(new RegExp(`^page 1 content stream ${k + 1} differs`));
      expect(v.differences[0]!.page).toBe(1);
    }
  }, 60_000);

  it('an edited partner text maps back to its zone', async () => {
    const tampered = await tamper(original, (doc) => {
      const contents = (doc.getPage(0).node.lookup(PDFName.of('Contents')) as PDFArray).asArray() as PDFRef[];
      // The partner's own content is the stream that is not shared with other partners: the one that changes with the company name.
      for (const ref of contents) {
        const data = inflate(doc.context.lookup(ref) as PDFRawStream);
        const text = new TextDecoder('latin1').decode(data);
        const m = /\] ?TJ|> ?Tj/.exec(text);
        if (m && text.includes('Tf')) {
          const at = text.lastIndexOf('<', m.index) + 1;
          data[at] = data[at] === 0x30 ? 0x31 : 0x30;
          setContents(doc, ref, data);
          return;
        }
      }
    });
    const v = await verifyPdf(catalogue, tampered);
    expect(v.verdict).toBe('modified');
    expect(v.differences.some((d) => d.zoneIds.length > 0)).toBe(true);
  }, 60_000);

  it('a partner logo image with changed pixels is "modified" (more in verify-logos.test.ts)', async () => {
    const doc0 = await PDFDocument.load(original, { updateMetadata: false });
    const xobjects = doc0.getPage(0).node.Resources()!.lookup(PDFName.of('XObject')) as PDFDict;
    const logo = harbor.logo as { light: string };
    const ref = xobjects.get(PDFName.of(`Im-${logo.light.slice(7, 23)}`)) as PDFRef;
    const tampered = await tamper(original, (doc) => {
      const data = inflate(doc.context.lookup(ref) as PDFRawStream);
      data[1000] = data[1000]! ^ 0xff;
      setContents(doc, ref, data);
    });
    const v = await verifyPdf(catalogue, tampered);
    expect(v.verdict).toBe('modified');
    expect(v.differences[0]!.kind).toBe('logo');
  }, 60_000);

  it('an edited manifest is "modified": a non-canonical edit, an edited derived field, and an edited input', async () => {
    const manifestOf = async (bytes: Uint8Array) => {
      const doc = await PDFDocument.load(bytes, { updateMetadata: false });
      return JSON.parse(new TextDecoder().decode(inflate(doc.context.lookup(attachmentRef(doc, MANIFEST_ATTACHMENT)) as PDFRawStream))) as Manifest;
    };
    const edit = (change: (m: Manifest) => string) => tamper(original, async (doc) => {
      const m = await manifestOf(original);
      setContents(doc, attachmentRef(doc, MANIFEST_ATTACHMENT), new TextEncoder().encode(change(m)));
    });
    const pretty = await verifyPdf(catalogue, await edit((m) => JSON.stringify(m, null, 2)));
    expect(pretty.verdict).toBe('modified');
    expect(pretty.differences[0]!.kind).toBe('manifest');
    const compliance = await verifyPdf(catalogue, await edit((m) => canonicalJson({ ...m, compliance: { ...m.compliance, warnings: 5 } })));
    expect(compliance.verdict).toBe('modified');
    expect(compliance.differences.map((d) => d.where)).toContain('the manifest was edited');
    const company = await verifyPdf(catalogue, await edit((m) => canonicalJson({ ...m, inputs: { ...m.inputs, profile: { ...m.inputs.profile, company: 'Harbour IT' } } })));
    expect(company.verdict).toBe('modified');
    expect(company.differences.some((d) => d.kind === 'content' && d.page === 1)).toBe(true);
  }, 60_000);

  it('a PDF from another tool is "not-lockup"; a file that is not a PDF is refused', async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    expect((await verifyPdf(catalogue, await doc.save())).verdict).toBe('not-lockup');
    await expect(verifyPdf(catalogue, new TextEncoder().encode('hello'))).rejects.toMatchObject({ code: 'pdf-invalid' });
    await expect(verifyPdf(catalogue, original.subarray(0, 2000))).rejects.toBeInstanceOf(LockupError);
  });

  it('a decompression bomb is refused before pdf-lib inflates it', async () => {
    const bomb = zlib.deflateSync(Buffer.alloc(80 * 1024 * 1024), { level: 9 });
    const head = Buffer.from(`%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.byteLength} >>\nstream\n`, 'latin1');
    const file = Buffer.concat([head, bomb, Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1')]);
    await expect(verifyPdf(catalogue, new Uint8Array(file))).rejects.toMatchObject({ code: 'file-too-large' });
  });

  it('a template this catalogue does not hold is "unknown-template"', async () => {
    const { catalogue: empty } = emptyCatalogue();
    try {
      const v = await verifyPdf(empty, original);
      expect(v.verdict).toBe('unknown-template');
      expect(v.manifest?.template.id).toBe('product-one-pager-letter');
    } finally {
      empty.close();
    }
  });

  it('a truncated or garbled PDF never crashes verification', async () => {
    for (const cut of [100, 5000, Math.floor(original.length / 2)]) {
      const r = await verifyPdf(catalogue, original.subarray(0, cut)).then(
        (v) => v.verdict,
        (err: unknown) => (err instanceof LockupError ? err.code : 'crash'),
      );
      expect(['pdf-invalid', 'modified', 'not-lockup']).toContain(r);
    }
    // Only the end of file marker lost: every object is intact, so the content is authentic, but not byte for byte.
    const tail = await verifyPdf(catalogue, original.subarray(0, original.length - 7));
    expect(tail).toMatchObject({ verdict: 'authentic', byteIdentical: false });
  }, 60_000);
});


