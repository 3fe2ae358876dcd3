import pako from 'pako';

/**
 * zlib (RFC 1950) compression. `best` asks for maximum compression, used for
 * content that is compressed once and reused (font subsets, static page
 * content). The Node backend injects node:zlib for speed; pako is the
 * portable default.
 */
export type Deflate = (data: Uint8Array, best?: boolean) => Uint8Array;

export const portableDeflate: Deflate = (data, best) => pako.deflate(data, { level: best ? 9 : 6 });
