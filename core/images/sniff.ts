/** Image container formats Lockup recognises by their magic bytes. */
export type SniffedFormat = 'png' | 'jpeg' | 'pdf' | 'svg' | 'gif' | 'webp' | 'bmp' | 'tiff' | 'heic' | 'unknown';

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);

/** Identifies a file by its content, never by its name. */
export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWith(bytes, [0x42, 0x4d])) return 'bmp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(bytes, [0x66, 0x74, 0x79, 0x70], 4)) return 'heic';
  // PDF allows up to 1024 bytes of junk before the header.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (head.includes('%PDF-')) return 'pdf';
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const text = new TextDecoder('utf-8').decode(bytes.subarray(bom, 1024)).trimStart().toLowerCase();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && head.toLowerCase().includes('<svg')) || (text.startsWith('<!doctype svg'))) return 'svg';
  if (text.startsWith('<?xml') || text.startsWith('<!--')) {
    const more = new TextDecoder('utf-8').decode(bytes.subarray(0, 8192)).toLowerCase();
    if (more.includes('<svg')) return 'svg';
  }
  return 'unknown';
}

/** The format a file name claims, from its extension. */
export function formatFromName(name: string): SniffedFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  switch (ext) {
    case 'png':
      return 'png';
    case 'jpg':
    case 'jpeg':
    case 'jpe':
      return 'jpeg';
    case 'pdf':
    case 'ai':
      return 'pdf';
    case 'svg':
      return 'svg';
    case 'gif':
      return 'gif';
    case 'webp':
      return 'webp';
    case 'bmp':
      return 'bmp';
    case 'tif':
    case 'tiff':
      return 'tiff';
    case 'heic':
    case 'heif':
      return 'heic';
    default:
      return undefined;
  }
}

export const FORMAT_NAMES: Record<SniffedFormat, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  pdf: 'PDF',
  svg: 'SVG',
  gif: 'GIF',
  webp: 'WebP',
  bmp: 'BMP',
  tiff: 'TIFF',
  heic: 'HEIC',
  unknown: 'unrecognised data',
};
