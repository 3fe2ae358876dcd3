import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Id } from '../../core/model/access.ts';
import { LockupError } from '../../core/errors.ts';
import { CanonicalJsonError, parseUntrustedJson } from '../../core/util/canonical-json.ts';
import { readTextFile } from '../util/files.ts';

/**
 * Publisher keys: Ed25519 only. A private key file is JSON holding the
 * publisher's id and name and a PKCS#8 PEM key, written owner-only (0600).
 * The public key travels as 32 raw bytes in base64; people compare its
 * fingerprint (the first 128 bits of its SHA-256, in groups of four).
 */

export const KEY_TYPE = 'ed25519';
const RAW_KEY = /^[A-Za-z0-9+/]{43}=$/;

export const Publisher = z.object({ id: Id, name: z.string().min(1).max(120) }).strict();
export type Publisher = z.infer<typeof Publisher>;

const PrivateKeyFile = z
  .object({
    format: z.literal('lockup.private-key'),
    formatVersion: z.literal(1),
    publisher: Publisher,
    type: z.string(),
    privateKey: z.string().max(4096),
  })
  .strict();

export const PublicKeyFile = z
  .object({
    format: z.literal('lockup.public-key'),
    formatVersion: z.literal(1),
    publisher: Publisher,
    type: z.literal(KEY_TYPE),
    public: z.string().regex(RAW_KEY),
    fingerprint: z.string(),
  })
  .strict();
export type PublicKeyFile = z.infer<typeof PublicKeyFile>;

export interface SigningKey {
  publisher: Publisher;
  privateKey: KeyObject;
  /** Raw public key, base64. */
  publicKey: string;
}

export function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new LockupError('key-invalid', 'The key is not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

/** "a1b2 c3d4 …": what a person compares when a publisher's key changes. */
export function fingerprint(publicKey: string): string {
  const hex = createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, 32);
  return hex.match(/.{4}/g)!.join(' ');
}

export function isRawPublicKey(value: string): boolean {
  return RAW_KEY.test(value) && Buffer.from(value, 'base64').byteLength === 32;
}

function publicKeyObject(publicKey: string): KeyObject {
  if (!isRawPublicKey(publicKey)) throw new LockupError('key-invalid', 'A public key must be 32 bytes in base64');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey, 'base64').toString('base64url') }, format: 'jwk' });
}

export function generateSigningKey(publisher: Publisher): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { publisher: Publisher.parse(publisher), privateKey, publicKey: rawPublicKey(publicKey) };
}

export function publicKeyFile(key: SigningKey): PublicKeyFile {
  return { format: 'lockup.public-key', formatVersion: 1, publisher: key.publisher, type: KEY_TYPE, public: key.publicKey, fingerprint: fingerprint(key.publicKey) };
}

/** The public key file written beside `vendor.key`: `vendor.pub`. */
export function publicKeyPath(privatePath: string): string {
  return privatePath.replace(/\.key$/i, '') + '.pub';
}

/**
 * Writes the private key (owner read/write only; refuses to overwrite unless
 * `force`) and the public key beside it. Returns the public key file's path.
 */
export function writeKeyFiles(file: string, key: SigningKey, options: { force?: boolean } = {}): string {
  const pem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const body = JSON.stringify({ format: 'lockup.private-key', formatVersion: 1, publisher: key.publisher, type: KEY_TYPE, privateKey: pem }, null, 2) + '\n';
  const pub = publicKeyPath(file);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  if (!options.force) {
    for (const f of [file, pub]) if (fs.existsSync(f)) throw new LockupError('usage', `${f} already exists; pass --force to replace it (packs signed with the old key will no longer match it)`);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    // Created 0600 from the start, so the key is never readable by others, not even briefly.
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeFileSync(fd, body);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    if (err instanceof LockupError) throw err;
    throw new LockupError('output-unwritable', `Cannot write the key to ${file}: ${(err as Error).message}`);
  }
  fs.writeFileSync(pub, JSON.stringify(publicKeyFile(key), null, 2) + '\n', { mode: 0o644 });
  return pub;
}

/** Reads a private key file. `warning` is set when the file is readable by others. */
export function readSigningKey(file: string): SigningKey & { warning?: string } {
  const text = readTextFile(file, 'Key file');
  let raw: unknown;
  try {
    raw = parseUntrustedJson(text);
  } catch (err) {
    throw new LockupError('key-invalid', `${file} is not a Lockup key file: ${(err as CanonicalJsonError).message}`);
  }
  const parsed = PrivateKeyFile.safeParse(raw);
  if (!parsed.success) throw new LockupError('key-invalid', `${file} is not a Lockup private key file (make one with "lockup keygen")`);
  if (parsed.data.type !== KEY_TYPE) throw new LockupError('key-invalid', `${file} holds a ${JSON.stringify(parsed.data.type)} key; Lockup signs with ed25519 only`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(parsed.data.privateKey);
  } catch (err) {
    throw new LockupError('key-invalid', `${file} holds a damaged private key: ${(err as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new LockupError('key-invalid', `${file} holds a ${privateKey.asymmetricKeyType ?? 'unknown'} key; Lockup signs with ed25519 only`);
  const key: SigningKey & { warning?: string } = { publisher: parsed.data.publisher, privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
  if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) key.warning = `${file} can be read by other users; run "chmod 600 ${file}"`;
  return key;
}

/**
 * Signatures are over a domain tag plus the bytes, so a signature made for
 * one kind of document (a credential) can never pass as another (a manifest).
 */
export type SignatureDomain = 'lockup.pack.v1' | 'lockup.credential.v1' | 'lockup.derived-pack.v1' | 'lockup.distributor-credential.v1' | 'lockup.completion.v1' | 'lockup.mdf-request.v1' | 'lockup.mdf-decision.v1' | 'lockup.activity-report.v1';

function tagged(domain: SignatureDomain, bytes: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${domain}\0`, 'utf8'), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]);
}

export function signBytes(domain: SignatureDomain, bytes: Uint8Array, key: SigningKey): string {
  return sign(null, tagged(domain, bytes), key.privateKey).toString('base64');
}

/** True only for a valid signature by `publicKey`; false for anything malformed. */
export function verifyBytes(domain: SignatureDomain, bytes: Uint8Array, signature: string, publicKey: string): boolean {
  if (!/^[A-Za-z0-9+/]{86}==$/.test(signature)) return false;
  try {
    return verify(null, tagged(domain, bytes), publicKeyObject(publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
