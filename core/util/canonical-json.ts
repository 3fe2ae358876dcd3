/**
 * Canonical JSON for signed documents (pack manifests, credentials): object
 * keys sorted by UTF-16 code units, no whitespace, numbers as JavaScript
 * prints them. Signing canonical bytes, and refusing any manifest that is
 * not already canonical, leaves no room for duplicate keys, reordered keys
 * or whitespace tricks between what was signed and what is read.
 */

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export class CanonicalJsonError extends Error {}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CanonicalJsonError('non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  throw new CanonicalJsonError(`cannot encode a ${typeof value}`);
}

/**
 * Parses JSON that came from outside, refusing keys that could reach an
 * object's prototype chain in careless code (`__proto__`, `constructor`,
 * `prototype`) at any depth. Throws CanonicalJsonError with the reason.
 */
export function parseUntrustedJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text, (key: string, v: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw new CanonicalJsonError(`the key "${key}" is not allowed`);
      return v;
    });
  } catch (err) {
    if (err instanceof CanonicalJsonError) throw err;
    throw new CanonicalJsonError(`not valid JSON (${(err as Error).message})`);
  }
  return value;
}

/** True when `text` is exactly the canonical encoding of what it parses to. */
export function isCanonical(text: string, parsed: unknown): boolean {
  try {
    return canonicalJson(parsed) === text;
  } catch {
    return false;
  }
}
