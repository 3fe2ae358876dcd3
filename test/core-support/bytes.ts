/**
 * Index of the first byte where two arrays differ (or the shorter length when
 * one is a prefix of the other); -1 when they are equal. Much faster than
 * `toEqual` on large typed arrays, and the index is a useful failure message.
 */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
