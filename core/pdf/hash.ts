/**
 * 128-bit non-cryptographic digest (four FNV-1a 32-bit lanes with different
 * seeds) for PDF file IDs and subset tags. Deterministic on every platform;
 * not for security. Callers feed it small identifying data (keys, content
 * streams), not whole images.
 */
export function digest128(parts: readonly (Uint8Array | string)[]): Uint8Array {
  const seeds = [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b];
  const lanes = seeds.slice();
  const enc = new TextEncoder();
  for (const part of parts) {
    const bytes = typeof part === 'string' ? enc.encode(part) : part;
    for (let i = 0; i < bytes.length; i++) {
      const v = bytes[i]!;
      for (let l = 0; l < 4; l++) lanes[l] = Math.imul(lanes[l]! ^ (v + l * 31), 0x01000193 + l * 2);
    }
    for (let l = 0; l < 4; l++) lanes[l] = Math.imul(lanes[l]! ^ (bytes.length & 0xffff), 0x01000193);
  }
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  lanes.forEach((v, i) => view.setUint32(i * 4, v >>> 0));
  return out;
}

export function toHexString(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s.toUpperCase();
}
