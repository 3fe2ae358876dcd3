import { createHash } from 'node:crypto';

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The catalogue's asset reference for some bytes. */
export function assetRef(data: Uint8Array): string {
  return `sha256:${sha256Hex(data)}`;
}

export function isAssetRef(ref: string): boolean {
  return /^sha256:[0-9a-f]{64}$/.test(ref);
}
