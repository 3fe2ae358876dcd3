/**
 * The "hand-written pdf-lib" anchor of WORKLOAD.md, run in the same process
 * and session as Lockup's figures: fonts and images parsed and embedded for
 * every document, text wrapped greedily with the font's widths.
 */
import fs from 'node:fs';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont } from 'pdf-lib';

const wl = JSON.parse(fs.readFileSync(new URL('../workload.json', import.meta.url), 'utf8'));

const hex = (h: string) => rgb(parseInt(h.slice(1, 3), 16) / 255, parseInt(h.slice(3, 5), 16) / 255, parseInt(h.slice(5, 7), 16) / 255);

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

export async function naivePdfLibExport(fixtures: string, row: Record<string, string>): Promise<Uint8Array> {
  const read = (f: string) => new Uint8Array(fs.readFileSync(path.join(fixtures, f)));
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(read('LiberationSans-Regular.ttf'), { subset: true });
  const bold = await doc.embedFont(read('LiberationSans-Bold.ttf'), { subset: true });
  const photo = await doc.embedJpg(read('photo.jpg'));
  const vendor = await doc.embedPng(read('vendor-logo.png'));
  const partner = await doc.embedPng(read(row['logo']!));
  const page = doc.addPage([612, 792]);
  const contain = (w: number, h: number, box: { x: number; y: number; w: number; h: number }) => {
    const s = Math.min(box.w / w, box.h / h);
    return { x: box.x + (box.w - w * s) / 2, y: box.y + (box.h - h * s) / 2, width: w * s, height: h * s };
  };
  page.drawImage(photo, contain(photo.width, photo.height, wl.photo.box));
  page.drawRectangle({ x: 0, y: 732, width: 612, height: 60, color: hex('#0B5FFF') });
  page.drawImage(vendor, contain(vendor.width, vendor.height, wl.vendorLogo.zone));
  const baseline = (top: number, size: number, i: number) => top - i * size * 1.2 - ((1.2 - (1854 + 434) / 2048) / 2 + 1854 / 2048) * size;
  page.drawText(wl.headline.text, { x: 36, y: baseline(460, 28, 0), size: 28, font: bold, color: hex('#0B1F44') });
  let line = 0;
  for (const p of wl.body.paragraphs as string[]) {
    for (const l of wrap(p, regular, 11, 540)) page.drawText(l, { x: 36, y: baseline(388, 11, line++), size: 11, font: regular, color: hex('#222222') });
    line++;
  }
  ['name', 'phone', 'email', 'url'].forEach((k, i) => page.drawText(row[k]!, { x: 36, y: baseline(79.2, 9, i), size: 9, font: regular, color: hex('#444444') }));
  page.drawImage(partner, contain(partner.width, partner.height, wl.partnerLogo.zone));
  return doc.save();
}
