import zlib from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, type PDFRef } from 'pdf-lib';

/**
 * A copy of `pdf` with one byte of page 1's first content stream changed, decoded and re-encoded so the
 * file stays a valid PDF: what a partner editing an export in another tool would produce.
 */
export async function flipContentStreamByte(pdf: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const ref = (doc.getPage(0).node.lookup(PDFName.of('Contents')) as PDFArray).asArray()[0] as PDFRef;
  const stream = doc.context.lookup(ref) as PDFRawStream;
  const data = new Uint8Array(zlib.inflateSync(stream.contents));
  data[10] = data[10] === 0x30 ? 0x31 : 0x30;
  const packed = new Uint8Array(zlib.deflateSync(data));
  const dict = stream.dict.clone(doc.context);
  dict.set(PDFName.of('Length'), doc.context.obj(packed.byteLength));
  doc.context.assign(ref, PDFRawStream.of(dict, packed));
  return doc.save({ useObjectStreams: false });
}
