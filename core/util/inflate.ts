import pako from 'pako';

/**
 * zlib (RFC 1950) decompression that refuses output longer than `maxLength`
 * (decompression bombs). The Node backend injects node:zlib for speed; pako
 * is the portable default.
 */
export type Inflate = (data: Uint8Array, maxLength: number) => Uint8Array;

export const portableInflate: Inflate = (data, maxLength) => {
  const inflator = new pako.Inflate();
  const chunks: Uint8Array[] = [];
  let produced = 0;
  inflator.onData = (chunk: Uint8Array) => {
    produced += chunk.length;
    if (produced > maxLength) throw new Error('decompressed data is larger than the image declares');
    chunks.push(chunk);
  };
  inflator.push(data, true);
  if (inflator.err) throw new Error(inflator.msg || 'invalid compressed data');
  const out = new Uint8Array(produced);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};
