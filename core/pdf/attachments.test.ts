import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { portableDeflate } from '../util/deflate.ts';
import { portableInflate } from '../util/inflate.ts';
import { AttachmentError, embedExtras, readAttachments, readXmp, xmpPacket, type Attachment } from './attachments.ts';

const facts = { title: 'A & B <one-pager>', author: 'Harbor "IT"', subject: 's', keywords: ['k1', 'k2'], producer: 'Lockup', creator: 'Lockup', date: new Date(Date.UTC(2026, 10, 26, 1, 2, 3, 456)) };
const enc = (s: string) => new TextEncoder().encode(s);
const files: Attachment[] = [
  { name: 'zeta.json', data: enc('{"z":1}'), mimeType: 'application/json', description: 'z', relationship: 'Data' },
  { name: 'alpha.png', data: new Uint8Array([1, 2, 3]), mimeType: 'image/png', description: 'a', relationship: 'Source' },
];

async function withExtras(extras: Parameters<typeof embedExtras>[2]): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage();
  embedExtras(doc, portableDeflate, extras);
  return PDFDocument.load(await doc.save(), { updateMetadata: false });
}

describe('xmpPacket', () => {
  it('escapes text, writes UTC dates to the second, and sorts the lockup: properties', () => {
    const x = xmpPacket(facts, { templateId: 'one', compliance: 'ok <1>' });
    expect(x).toContain('A &amp; B &lt;one-pager&gt;');
    expect(x).toContain('Harbor &quot;IT&quot;');
    expect(x).toContain('<xmp:CreateDate>2026-11-26T01:02:03Z</xmp:CreateDate>');
    expect(x.indexOf('<lockup:compliance>ok &lt;1&gt;</lockup:compliance>')).toBeLessThan(x.indexOf('<lockup:templateId>'));
    expect(x.startsWith('<?xpacket begin="\ufeff"')).toBe(true);
    expect(x.endsWith('<?xpacket end="r"?>')).toBe(true);
  });

  it('refuses property names that are not plain XML names', () => {
    expect(() => xmpPacket(facts, { 'a b': 'x' })).toThrow(/XML name/);
  });
});

describe('embedExtras and readAttachments', () => {
  it('round-trips attachments (name tree sorted, /AF in the given order) and the XMP packet', async () => {
    const doc = await withExtras({ attachments: files, xmp: { templateId: 't' }, facts });
    const read = readAttachments(doc, portableInflate);
    expect(read.map((f) => f.name)).toEqual(['alpha.png', 'zeta.json']);
    expect(read[1]).toMatchObject({ mimeType: 'application/json', relationship: 'Data' });
    expect(new TextDecoder().decode(read[1]!.data)).toBe('{"z":1}');
    expect(readXmp(doc, portableInflate)).toContain('<lockup:templateId>t</lockup:templateId>');
  });

  it('refuses duplicate names when writing, and too many or too large attachments when reading', async () => {
    await expect(withExtras({ attachments: [files[0]!, files[0]!], facts })).rejects.toThrow(/Two attachments/);
    const doc = await withExtras({ attachments: files, facts });
    expect(() => readAttachments(doc, portableInflate, { maxAttachments: 1, maxAttachmentBytes: 1000 })).toThrow(AttachmentError);
    expect(() => readAttachments(doc, portableInflate, { maxAttachments: 8, maxAttachmentBytes: 5 })).toThrow();
  });

  it('a document without attachments reads as none', async () => {
    const doc = await PDFDocument.create();
    expect(readAttachments(doc, portableInflate)).toEqual([]);
    expect(readXmp(doc, portableInflate)).toBeUndefined();
  });
});
