import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { LockupError } from '../../core/errors.ts';
import { Id } from '../../core/model/access.ts';
import { describeIssues } from '../../core/model/validate.ts';
import { canonicalJson, CanonicalJsonError, parseUntrustedJson } from '../../core/util/canonical-json.ts';
import { CLOCK_SKEW_MS, checkDistributorWindow, readDistributorCredential, type DistributorClaims } from './distributor.ts';
import { KEY_TYPE, fingerprint, signBytes, verifyBytes, type SigningKey } from './keys.ts';

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
    /** Set when a distributor issued the credential under the vendor's authorisation (docs/decisions/0020). */
    issuedBy: Id.optional(),
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
    /** A distributor-issued credential carries the vendor's credential for the distributor's key. */
    issuer: z.unknown().optional(),
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

/** A distributor issuing partner credentials: its vendor-signed credential, as text. */
export interface IssuingDistributor {
  credentialText: string;
  claims: DistributorClaims;
}

/**
 * Signs a credential; returns the file's text. Throws `credential-invalid`
 * for bad claims. With `distributor`, the key is the distributor's and the
 * credential is for the vendor's brand, within the scope the vendor allowed
 * (`tiers` is the vendor's tier order, lowest first, when known here).
 */
export function issueCredential(
  request: CredentialRequest,
  key: SigningKey,
  now = new Date(),
  distributor?: IssuingDistributor,
  tiers?: readonly string[],
): { text: string; claims: CredentialClaims } {
  const parsed = CredentialClaims.safeParse({
    id: randomUUID(),
    publisher: distributor ? distributor.claims.vendor.publisher : key.publisher.id,
    issued: now.toISOString(),
    ...Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined && v !== '')),
    ...(distributor ? { issuedBy: distributor.claims.distributor.id, distributor: distributor.claims.distributor.name } : {}),
  });
  if (!parsed.success) {
    const issue = describeIssues(parsed.error)[0]!;
    throw new LockupError('credential-invalid', `The credential for "${request.partner || request.company}" is invalid at ${issue.path}: ${issue.message}`, { issues: describeIssues(parsed.error) });
  }
  const claims = parsed.data;
  let issuer: unknown;
  if (distributor) {
    const dc = distributor.claims;
    if (dc.distributor.key.public !== key.publicKey) {
      throw new LockupError('distributor-key-mismatch', `The distributor credential authorises the key ${dc.distributor.fingerprint}, not the key you sign with (${fingerprint(key.publicKey)})`);
    }
    checkDistributorWindow(dc, now);
    checkIssuedScope(claims, dc, tiers);
    issuer = JSON.parse(distributor.credentialText) as unknown;
  }
  const signature = signBytes('lockup.credential.v1', new TextEncoder().encode(canonicalJson(claims)), key);
  const file = { format: CREDENTIAL_FORMAT, formatVersion: 1, claims, signature: { type: KEY_TYPE, value: signature }, ...(issuer ? { issuer } : {}) };
  return { text: JSON.stringify(file, null, 2) + '\n', claims };
}

/**
 * What a distributor may grant (docs/decisions/0020): a tier up to the
 * vendor's `maxTier` (by the vendor's tier order; unknown order refuses),
 * partner types and regions within the scope, no certifications, valid only
 * inside the distributor credential's window. Throws `credential-out-of-scope`.
 */
export function checkIssuedScope(claims: CredentialClaims, dc: DistributorClaims, tiers: readonly string[] | undefined): void {
  const out = (why: string): never => {
    throw new LockupError('credential-out-of-scope', `${dc.distributor.name} issued this credential beyond what ${dc.vendor.name} allowed: ${why}`, { distributor: dc.distributor.id });
  };
  const scope = dc.scope;
  if (!scope.maxTier) out(`${dc.vendor.name} did not authorise ${dc.distributor.name} to issue partner credentials`);
  const have = tiers ? tiers.indexOf(claims.tier) : -1;
  const max = tiers && scope.maxTier ? tiers.indexOf(scope.maxTier) : -1;
  if (!tiers || have < 0 || max < 0) out(`the tier "${claims.tier}" cannot be placed among ${dc.vendor.name}'s tiers${tiers ? ` (${tiers.join(', ')})` : ''}`);
  if (have > max) out(`it grants the tier "${claims.tier}", above "${scope.maxTier}", the highest tier ${dc.distributor.name} may grant`);
  if (claims.type && scope.partnerTypes && !scope.partnerTypes.includes(claims.type)) out(`the partner type "${claims.type}" is not one of ${scope.partnerTypes.join(', ')}`);
  if (!claims.type && scope.partnerTypes) out(`a partner type (${scope.partnerTypes.join(', ')}) must be named`);
  if (claims.region && scope.regions && !scope.regions.includes(claims.region)) out(`the region "${claims.region}" is not one of ${scope.regions.join(', ')}`);
  if (!claims.region && scope.regions) out(`a region (${scope.regions.join(', ')}) must be named`);
  if (claims.certifications.length > 0) out('certifications come from the vendor only');
  if (Date.parse(claims.issued) < Date.parse(dc.issuedAt) - CLOCK_SKEW_MS || Date.parse(claims.issued) >= Date.parse(dc.expiresAt)) out(`it was issued outside the authorisation's validity (${dc.issuedAt.slice(0, 10)} to ${dc.expiresAt.slice(0, 10)})`);
  if (Date.parse(claims.expires) > Date.parse(dc.expiresAt)) out(`it expires ${claims.expires.slice(0, 10)}, after the authorisation itself (${dc.expiresAt.slice(0, 10)})`);
  if (claims.distributor !== dc.distributor.name) out(`it names the distributor "${claims.distributor ?? ''}"`);
}

export interface PinnedKey {
  publisherName: string;
  publicKey: string;
  /** The publisher's tier order (lowest first), from its brand here: needed for distributor-issued credentials. */
  tiers?: readonly string[];
}

export type CredentialState = { status: 'valid' } | { status: 'expired' | 'revoked'; message: string };

/**
 * Reads a credential file's text and checks it: format, claims, a publisher
 * whose key is pinned here, and the signature by that key. Expiry and
 * revocation are not errors here (see `credentialState`): a stored
 * credential can expire later and must then downgrade, not vanish.
 */
export function readCredential(text: string, keyFor: (publisherId: string) => PinnedKey | undefined): { claims: CredentialClaims; publisherName: string; issuer?: DistributorClaims } {
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
  if (file.data.issuer !== undefined || claims.data.issuedBy !== undefined) {
    if (file.data.issuer === undefined || claims.data.issuedBy === undefined) throw new LockupError('credential-invalid', "The credential names a distributor issuer but does not carry the vendor's authorisation (or the reverse)");
    // The chain: the pinned vendor key signed the distributor's credential, whose key signed these claims.
    const dc = readDistributorCredential(file.data.issuer, { publisherId: claims.data.publisher, name: pinned.publisherName, publicKey: pinned.publicKey });
    if (dc.distributor.id !== claims.data.issuedBy) throw new LockupError('credential-invalid', `The credential says "${claims.data.issuedBy}" issued it, but carries the authorisation of "${dc.distributor.id}"`);
    if (!verifyBytes('lockup.credential.v1', signed, file.data.signature.value, dc.distributor.key.public)) {
      throw new LockupError('credential-signature', `The credential's signature does not match the key ${pinned.publisherName} authorised for ${dc.distributor.name}: it was edited after it was issued, or issued by someone else`, {
        publisher: claims.data.publisher,
        distributor: dc.distributor.id,
      });
    }
    checkIssuedScope(claims.data, dc, pinned.tiers);
    return { claims: claims.data, publisherName: pinned.publisherName, issuer: dc };
  }
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
