import { PDFArray, PDFDict, PDFHexString, PDFName, PDFRawStream, PDFStream, PDFString, type PDFDocument, type PDFObject } from 'pdf-lib';
import type { Deflate } from '../util/deflate.ts';
import type { Inflate } from '../util/inflate.ts';

/**
 * Embedded files (`/EmbeddedFiles` name tree and `/AF` on the catalog, as in
 * PDF 2.0 and PDF/A-3) and an XMP metadata packet. Used by the writer for
 * the export manifest and the partner's logos (docs/decisions/0017), and
 * read back, defensively, by verification.
 */

export type AfRelationship = 'Data' | 'Source' | 'Supplement';

export interface Attachment {
  /** File name as shown by PDF viewers and `pdfdetach -list`; unique within the document. */
  name: string;
  data: Uint8Array;
  /** MIME type, e.g. `application/json`. */
  mimeType: string;
  description: string;
  relationship: AfRelationship;
}

export interface DocumentFacts {
  title: string;
  author: string;
  subject: string;
  keywords: readonly string[];
  producer: string;
  creator: string;
  date: Date;
}

/** XMP namespace of Lockup's own properties. */
export const LOCKUP_XMP_NS = 'https://lockup.example/ns/export/1.0/';

function xmlEscape(s: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; the rest escaped.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** An ISO 8601 date in UTC with seconds, as XMP wants it (the Info dict carries the same instant). */
function xmpDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A complete XMP packet (valid RDF) with the document facts in the usual
 * Dublin Core, XMP and PDF schemas and `props` in the `lockup:` namespace.
 * Property names must be XML names; keys are written in sorted order so the
 * packet is a pure function of its input.
 */
export function xmpPacket(facts: DocumentFacts, props: Readonly<Record<string, string>>): string {
  const lockup = Object.keys(props)
    .sort()
    .map((k) => {
      if (!/^[A-Za-z][A-Za-z0-9]*$/.test(k)) throw new Error(`XMP property name "${k}" is not a plain XML name`);
      return `   <lockup:${k}>${xmlEscape(props[k]!)}</lockup:${k}>`;
    });
  const date = xmpDate(facts.date);
  return [
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '  <rdf:Description rdf:about=""',
    '    xmlns:dc="http://purl.org/dc/elements/1.1/"',
    '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
    `    xmlns:lockup="${LOCKUP_XMP_NS}">`,
    '   <dc:format>application/pdf</dc:format>',
    `   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(facts.title)}</rdf:li></rdf:Alt></dc:title>`,
    `   <dc:creator><rdf:Seq><rdf:li>${xmlEscape(facts.author)}</rdf:li></rdf:Seq></dc:creator>`,
    `   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(facts.subject)}</rdf:li></rdf:Alt></dc:description>`,
    `   <pdf:Keywords>${xmlEscape(facts.keywords.join(' '))}</pdf:Keywords>`,
    `   <pdf:Producer>${xmlEscape(facts.producer)}</pdf:Producer>`,
    `   <xmp:CreatorTool>${xmlEscape(facts.creator)}</xmp:CreatorTool>`,
    `   <xmp:CreateDate>${date}</xmp:CreateDate>`,
    `   <xmp:ModifyDate>${date}</xmp:ModifyDate>`,
    `   <xmp:MetadataDate>${date}</xmp:MetadataDate>`,
    ...lockup,
    '  </rdf:Description>',
    ' </rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="r"?>',
  ].join('\n');
}

/**
 * Adds the attachments (and the XMP packet, when `xmp` is given) to a
 * document being written. Attachments are listed in the name tree in name
 * order (a name tree must be sorted) and in `/AF` in the order given.
 */
export function embedExtras(
  doc: PDFDocument,
  deflate: Deflate,
  extras: { attachments?: readonly Attachment[]; xmp?: Readonly<Record<string, string>>; facts: DocumentFacts },
): void {
  const ctx = doc.context;
  const catalog = doc.catalog;
  const attachments = extras.attachments ?? [];
  if (attachments.length > 0) {
    const names = new Set<string>();
    const specs: [string, PDFObject][] = [];
    const af = PDFArray.withContext(ctx);
    for (const a of attachments) {
      if (names.has(a.name)) throw new Error(`Two attachments are named "${a.name}"`);
      names.add(a.name);
      const data = deflate(a.data, true);
      const stream = ctx.stream(data, {
        Type: 'EmbeddedFile',
        Subtype: a.mimeType,
        Filter: 'FlateDecode',
        Length: data.byteLength,
        Params: { Size: a.data.byteLength, ModDate: PDFString.fromDate(extras.facts.date) },
      });
      const spec = ctx.register(
        ctx.obj({
          Type: 'Filespec',
          F: PDFString.of(a.name),
          UF: PDFHexString.fromText(a.name),
          EF: { F: ctx.register(stream), UF: ctx.register(stream) },
          Desc: PDFHexString.fromText(a.description),
          AFRelationship: a.relationship,
        }),
      );
      specs.push([a.name, spec]);
      af.push(spec);
    }
    // Names in a name tree are sorted by their bytes; our names are ASCII.
    specs.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const list = PDFArray.withContext(ctx);
    for (const [name, spec] of specs) {
      list.push(PDFString.of(name));
      list.push(spec);
    }
    const tree = ctx.obj({}) as PDFDict;
    tree.set(PDFName.of('Names'), list);
    const namesDict = ctx.obj({}) as PDFDict;
    namesDict.set(PDFName.of('EmbeddedFiles'), ctx.register(tree));
    catalog.set(PDFName.of('Names'), ctx.register(namesDict));
    catalog.set(PDFName.of('AF'), ctx.register(af));
  }
  if (extras.xmp) {
    // Uncompressed, so that tools that scan for XMP packets find it.
    const bytes = new TextEncoder().encode(xmpPacket(extras.facts, extras.xmp));
    const stream = ctx.stream(bytes, { Type: 'Metadata', Subtype: 'XML', Length: bytes.byteLength });
    catalog.set(PDFName.of('Metadata'), ctx.register(stream));
  }
}

export interface ReadLimits {
  /** Largest attachment accepted, decoded. */
  maxAttachmentBytes: number;
  maxAttachments: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxAttachmentBytes: 16 * 1024 * 1024, maxAttachments: 64 };

export class AttachmentError extends Error {}

export interface ReadAttachment {
  name: string;
  data: Uint8Array;
  mimeType: string | undefined;
  relationship: string | undefined;
}

/** The decoded bytes of a stream: FlateDecode or none; anything else is refused. */
export function decodeStream(stream: PDFStream, inflate: Inflate, maxBytes: number): Uint8Array {
  if (!(stream instanceof PDFRawStream)) return stream.getContents();
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const filters = filter instanceof PDFArray ? filter.asArray() : filter === undefined ? [] : [filter];
  let data = stream.contents;
  for (const f of filters) {
    if (f === PDFName.of('FlateDecode')) data = inflate(data, maxBytes);
    else throw new AttachmentError(`a stream uses the filter ${String(f)}, which is not read here`);
  }
  if (data.byteLength > maxBytes) throw new AttachmentError('a stream is larger than allowed');
  return data;
}

function text(obj: PDFObject | undefined): string | undefined {
  if (obj instanceof PDFString || obj instanceof PDFHexString) return obj.decodeText();
  return undefined;
}

/**
 * The files listed in the catalog's `/EmbeddedFiles` name tree (one level of
 * `/Kids` followed, as Lockup writes none). Sizes and counts are limited
 * before anything is inflated; an inflate never produces more than the limit.
 */
export function readAttachments(doc: PDFDocument, inflate: Inflate, limits: ReadLimits = DEFAULT_READ_LIMITS): ReadAttachment[] {
  const names = doc.catalog.lookup(PDFName.of('Names'));
  if (!(names instanceof PDFDict)) return [];
  const tree = names.lookup(PDFName.of('EmbeddedFiles'));
  if (!(tree instanceof PDFDict)) return [];
  const leaves: PDFDict[] = [tree];
  const kids = tree.lookup(PDFName.of('Kids'));
  if (kids instanceof PDFArray) for (const k of kids.asArray()) {
    const kid = doc.context.lookup(k);
    if (kid instanceof PDFDict) leaves.push(kid);
  }
  const out: ReadAttachment[] = [];
  for (const leaf of leaves) {
    const list = leaf.lookup(PDFName.of('Names'));
    if (!(list instanceof PDFArray)) continue;
    const items = list.asArray();
    for (let i = 0; i + 1 < items.length; i += 2) {
      if (out.length >= limits.maxAttachments) throw new AttachmentError(`more than ${limits.maxAttachments} attachments`);
      const spec = doc.context.lookup(items[i + 1]!);
      if (!(spec instanceof PDFDict)) continue;
      const name = text(spec.lookup(PDFName.of('UF'))) ?? text(spec.lookup(PDFName.of('F'))) ?? text(doc.context.lookup(items[i]!)) ?? '';
      const ef = spec.lookup(PDFName.of('EF'));
      if (!(ef instanceof PDFDict)) continue;
      const stream = ef.lookup(PDFName.of('F')) ?? ef.lookup(PDFName.of('UF'));
      if (!(stream instanceof PDFStream)) continue;
      const raw = stream instanceof PDFRawStream ? stream.contents.byteLength : 0;
      if (raw > limits.maxAttachmentBytes) throw new AttachmentError(`the attachment "${name}" is larger than ${limits.maxAttachmentBytes} bytes`);
      const subtype = stream.dict.lookup(PDFName.of('Subtype'));
      const rel = spec.lookup(PDFName.of('AFRelationship'));
      out.push({
        name,
        data: decodeStream(stream, inflate, limits.maxAttachmentBytes),
        mimeType: subtype instanceof PDFName ? subtype.decodeText() : undefined,
        relationship: rel instanceof PDFName ? rel.decodeText() : undefined,
      });
    }
  }
  return out;
}

/** The catalog's XMP packet as text, if any (limited to 1 MB). */
export function readXmp(doc: PDFDocument, inflate: Inflate): string | undefined {
  const meta = doc.catalog.lookup(PDFName.of('Metadata'));
  if (!(meta instanceof PDFStream)) return undefined;
  return new TextDecoder('utf-8', { fatal: false }).decode(decodeStream(meta, inflate, 1024 * 1024));
}
