import { describe, expect, it } from 'vitest';
import { imageFixture } from '../../test/core-support/files.ts';
import { FORMAT_NAMES, formatFromName, sniffFormat } from './sniff.ts';

const bytes = (...v: number[]) => new Uint8Array(v);
const text = (s: string) => new TextEncoder().encode(s);

describe('sniffFormat', () => {
  it('recognises the fixtures by content', () => {
    expect(sniffFormat(imageFixture('logo-rgba.png'))).toBe('png');
    expect(sniffFormat(imageFixture('logo.jpg'))).toBe('jpeg');
    expect(sniffFormat(imageFixture('jpeg-named-as.png'))).toBe('jpeg');
    expect(sniffFormat(imageFixture('logo.gif'))).toBe('gif');
    expect(sniffFormat(imageFixture('logo-vector.pdf'))).toBe('pdf');
    expect(sniffFormat(imageFixture('broken.pdf'))).toBe('pdf');
    expect(sniffFormat(imageFixture('script.svg'))).toBe('svg');
    expect(sniffFormat(imageFixture('entity.svg'))).toBe('svg');
    expect(sniffFormat(imageFixture('not-an-image.png'))).toBe('unknown');
    expect(sniffFormat(imageFixture('empty.png'))).toBe('unknown');
  });

  it('recognises other raster signatures', () => {
    expect(sniffFormat(bytes(0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50))).toBe('webp');
    expect(sniffFormat(bytes(0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x41, 0x56, 0x45))).toBe('unknown'); // RIFF WAVE
    expect(sniffFormat(bytes(0x42, 0x4d, 0, 0))).toBe('bmp');
    expect(sniffFormat(bytes(0x49, 0x49, 0x2a, 0x00))).toBe('tiff');
    expect(sniffFormat(bytes(0x4d, 0x4d, 0x00, 0x2a))).toBe('tiff');
    expect(sniffFormat(bytes(0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63))).toBe('heic');
    // A PNG signature must be complete.
    expect(sniffFormat(bytes(0x89, 0x50, 0x4e, 0x47))).toBe('unknown');
  });

  it('PDF may have junk before the header, within the first 1024 bytes', () => {
    expect(sniffFormat(text('junk\n%PDF-1.4\n'))).toBe('pdf');
    expect(sniffFormat(text(' '.repeat(1100) + '%PDF-1.4'))).toBe('unknown');
  });

  it('SVG: bare, with an XML declaration, a doctype, a BOM, or after a long comment', () => {
    expect(sniffFormat(text('  <svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('svg');
    expect(sniffFormat(text('<SVG/>'))).toBe('svg');
    expect(sniffFormat(text('<?xml version="1.0"?><svg/>'))).toBe('svg');
    expect(sniffFormat(text('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"><svg/>'))).toBe('svg');
    expect(sniffFormat(text(`<!--${'x'.repeat(3000)}--><svg/>`))).toBe('svg');
    expect(sniffFormat(text('<?xml version="1.0"?><html/>'))).toBe('unknown');
    expect(sniffFormat(text('<html><body>not svg</body></html>'))).toBe('unknown');
  });
});

describe('sniffFormat: byte-order mark', () => {
  // Bug: sniff.ts decodes the head as latin1, so a UTF-8 BOM (EF BB BF) becomes
  // "ï»¿" and the `replace(/^\uFEFF/, '')` meant to strip it never matches. A
  // BOM-prefixed SVG is then 'unknown' (→ image-unsupported) instead of 'svg'
  // (→ svg-refused with its explanation).
  it('recognises an SVG that starts with a UTF-8 byte-order mark', () => {
    expect(sniffFormat(new Uint8Array([0xef, 0xbb, 0xbf, ...text('<svg xmlns="http://www.w3.org/2000/svg"/>')]))).toBe('svg');
  });
});

describe('formatFromName', () => {
  it('maps extensions, case-insensitively', () => {
    expect(formatFromName('logo.PNG')).toBe('png');
    expect(formatFromName('a.jpg')).toBe('jpeg');
    expect(formatFromName('a.jpeg')).toBe('jpeg');
    expect(formatFromName('a.JPE')).toBe('jpeg');
    expect(formatFromName('a.ai')).toBe('pdf');
    expect(formatFromName('a.tif')).toBe('tiff');
    expect(formatFromName('a.heif')).toBe('heic');
    expect(formatFromName('dir.png/logo.svg')).toBe('svg');
    expect(formatFromName('logo')).toBeUndefined();
    expect(formatFromName('logo.txt')).toBeUndefined();
    expect(formatFromName('png')).toBeUndefined();
  });

  it('every sniffed format has a display name', () => {
    expect(FORMAT_NAMES.jpeg).toBe('JPEG');
    expect(FORMAT_NAMES.unknown).toBe('unrecognised data');
  });
});
