import pako from 'pako';

/** zlib (RFC 1950) compression. The Node backend injects node:zlib for speed; pako is the portable default. */
export type Deflate = (data: Uint8Array) => Uint8Array;

export const portableDeflate: Deflate = (data) => pako.deflate(data);
