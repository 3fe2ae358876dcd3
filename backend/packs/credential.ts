import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { LockupError } from '../../core/errors.ts';
import { Id } from '../../core/model/access.ts';
import { describeIssues } from '../../core/model/validate.ts';
import { canonicalJson, CanonicalJsonError, parseUntrustedJson } from '../../core/util/canonical-json.ts';
import { KEY_TYPE, signBytes, verifyBytes, type SigningKey } from './keys.ts';

/**
 * A partner credential: claims about one partner (tier, type, region,
 * distributor, certifications, expiry) signed by the vendor's key over their
 * canonical JSON. The partner's copy of Lockup checks it against the key it
 * pinned when it imported that vendor's pack; from then on access policies
 * read these claims, never what the partner typed into the profile.
 */

export const CREDENTIAL_FORMAT = 'lockup.credential';
export const MAX_CREDENTIAL_BYTES = 64 * 1024;

export const CredentialClaims = z
  .object({
    /** Unique per credential; revocation lists name it. */
    id: z.string().regex(/^[A-Za-z0-9._:-]{1,120}$/, 'must be 1–120 letters, digits, ".", "_", ":" or "-"'),
    publisher: Id,
    partner: Id,
    company: z.string().min(1).max(300),
    tier: Id,
    type: Id.optional(),
    region: Id.optional(),
    distributor: z.string().min(1).max(300).optional(),
    certifications: z.array(Id).max(200).default([]),
    issued: z.iso.datetime(),
    expires: z.iso.datetime(),
  })
  .strict()
  .refine((c) => Date.parse(c.expires) > Date.parse(c.issued), { message: 'expires before it was issued', path: ['expires'] });
export type CredentialClaims = z.infer<typeof CredentialClaims>;

const CredentialFile = z
  .object({
    format: z.literal(CREDENTIAL_FORMAT),
    formatVersion: z.literal(1),
    claims: z.unknown(),
    signature: z.object({ type: z.string().min(1).max(40), value: z.string().max(200) }).strict(),
  })
  .strict();

/** What a vendor fills in; id, publisher and issued are set by `issueCredential`. */
export interface CredentialRequest {
  partner: string;
  company: string;
  tier: string;
  type?: string | undefined;
  region?: string | undefined;
  distributor?: string | undefined;
  certifications?: string[] | undefined;
  expires: string;
}

/** Signs a credential; returns the file's text. Throws `credential-invalid` for bad claims. */
export function issueCredential(request: CredentialRequest, key: SigningKey, now = new Date()): { text: string; claims: CredentialClaims } {
  const parsed = CredentialClaims.safeParse({
    id: randomUUID(),
    publisher: key.publisher.id,
    issued: now.toISOString(),
    ...Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined && v !== '')),
  });
  if (!parsed.success) {
    const issue = describeIssues(parsed.error)[0]!;
    throw new LockupError('credential-invalid', `The credential for "${request.partner || request.company}" is invalid at ${issue.path}: ${issue.message}`, { issues: describeIssues(parsed.error) });
  }
  const claims = parsed.data;
  const signature = signBytes('lockup.credential.v1', new TextEncoder().encode(canonicalJson(claims)), key);
  const file = { format: CREDENTIAL_FORMAT, formatVersion: 1, claims, signature: { type: KEY_TYPE, value: signature } };
  return { text: JSON.stringify(file, null, 2) + '\n', claims };
}

export interface PinnedKey {
  publisherName: string;
  publicKey: string;
}

export type CredentialState = { status: 'valid' } | { status: 'expired' | 'revoked'; message: string };

/**
 * Reads a credential file's text and checks it: format, claims, a publisher
 * whose key is pinned here, and the signature by that key. Expiry and
 * revocation are not errors here (see `credentialState`): a stored
 * credential can expire later and must then downgrade, not vanish.
 */
export function readCredential(text: string, keyFor: (publisherId: string) => PinnedKey | undefined): { claims: CredentialClaims; publisherName: string } {
  if (text.length > MAX_CREDENTIAL_BYTES) throw new LockupError('credential-invalid', `A credential is a small file; this one is ${text.length} bytes`);
  let raw: unknown;
  try {
    raw = parseUntrustedJson(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new LockupError('credential-invalid', `This is not a Lockup credential: ${(err as CanonicalJsonError).message}`);
  }
  const file = CredentialFile.safeParse(raw);
  if (!file.success) {
    const issue = describeIssues(file.error)[0]!;
    throw new LockupError('credential-invalid', `This is not a Lockup credential file (${issue.path}: ${issue.message})`);
  }
  const claims = CredentialClaims.safeParse(file.data.claims);
  if (!claims.success) {
    const issue = describeIssues(claims.error)[0]!;
    throw new LockupError('credential-invalid', `The credential's claims are invalid at claims.${issue.path}: ${issue.message}`);
  }
  if (file.data.signature.type !== KEY_TYPE) {
    throw new LockupError('credential-signature', `The credential is signed with an unknown key type ${JSON.stringify(file.data.signature.type)}; Lockup accepts ${KEY_TYPE} only`);
  }
  const pinned = keyFor(claims.data.publisher);
  if (!pinned) {
    throw new LockupError(
      'credential-wrong-publisher',
      `This credential is from publisher "${claims.data.publisher}", whose pack is not in this catalogue. Open that vendor's pack first, or ask your vendor for the right credential.`,
      { publisher: claims.data.publisher },
    );
  }
  // Verify the claims as they parse, re-encoded canonically: a duplicate or edited key changes the bytes.
  const signed = new TextEncoder().encode(canonicalJson(claims.data));
  if (!verifyBytes('lockup.credential.v1', signed, file.data.signature.value, pinned.publicKey)) {
    throw new LockupError(
      'credential-signature',
      `The credential's signature does not match ${pinned.publisherName}'s key: it was edited after it was issued, or issued by someone else`,
      { publisher: claims.data.publisher },
    );
  }
  return { claims: claims.data, publisherName: pinned.publisherName };
}

export function credentialState(claims: CredentialClaims, revoked: { revokedAt: string; reason: string } | undefined, now: Date): CredentialState {
  if (revoked) return { status: 'revoked', message: `Your ${claims.tier} credential was revoked on ${revoked.revokedAt.slice(0, 10)}${revoked.reason ? ` (${revoked.reason})` : ''}` };
  if (Date.parse(claims.expires) <= now.getTime()) return { status: 'expired', message: `Your ${claims.tier} credential expired on ${claims.expires.slice(0, 10)}` };
  return { status: 'valid' };
}
