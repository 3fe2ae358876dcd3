import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { LockupError } from '../../core/errors.ts';
import { Id } from '../../core/model/access.ts';
import { describeIssues } from '../../core/model/validate.ts';
import { canonicalJson, CanonicalJsonError, parseUntrustedJson } from '../../core/util/canonical-json.ts';
import { KEY_TYPE, fingerprint, isRawPublicKey, signBytes, verifyBytes, type SigningKey } from './keys.ts';

/**
 * A distributor credential: the vendor's signed statement that a
 * distributor's key may publish derived packs of its templates and issue
 * partner credentials within a scope (docs/decisions/0020). Same shape as a
 * partner credential: claims signed over their canonical JSON, under their
 * own signature domain so neither can pass as the other.
 */

export const DISTRIBUTOR_CREDENTIAL_FORMAT = 'lockup.distributor-credential';
export const MAX_DISTRIBUTOR_CREDENTIAL_BYTES = 64 * 1024;
/** How far a reader's clock may lag the vendor's before a fresh credential counts as "not yet valid". */
export const CLOCK_SKEW_MS = 10 * 60 * 1000;

const PublicKey = z.object({ type: z.string().min(1).max(40), public: z.string().max(200) }).strict();

export const DistributorScope = z
  .object({
    /** Vendor template ids the distributor may derive (and its partner credentials apply to), or all. */
    templates: z.union([z.literal('all'), z.array(Id).min(1).max(1000)]),
    /** The highest tier its partner credentials may grant; without it the distributor issues none. */
    maxTier: Id.optional(),
    /** Partner types and regions its credentials may name; absent: any of the vendor's. */
    partnerTypes: z.array(Id).min(1).max(200).optional(),
    regions: z.array(Id).min(1).max(200).optional(),
  })
  .strict();
export type DistributorScope = z.infer<typeof DistributorScope>;

export const DistributorClaims = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._:-]{1,120}$/, 'must be 1–120 letters, digits, ".", "_", ":" or "-"'),
    vendor: z.object({ publisher: Id, name: z.string().min(1).max(120), fingerprint: z.string().max(60) }).strict(),
    distributor: z.object({ id: Id, name: z.string().min(1).max(120), key: PublicKey, fingerprint: z.string().max(60) }).strict(),
    issuedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    scope: DistributorScope,
  })
  .strict()
  .refine((c) => Date.parse(c.expiresAt) > Date.parse(c.issuedAt), { message: 'expires before it was issued', path: ['expiresAt'] });
export type DistributorClaims = z.infer<typeof DistributorClaims>;

export const DistributorCredentialFile = z
  .object({
    format: z.literal(DISTRIBUTOR_CREDENTIAL_FORMAT),
    formatVersion: z.literal(1),
    claims: z.unknown(),
    signature: z.object({ type: z.string().min(1).max(40), value: z.string().max(200) }).strict(),
  })
  .strict();

export interface DistributorRequest {
  distributor: { id: string; name: string; publicKey: string };
  expires: string;
  scope: DistributorScope;
}

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new LockupError('distributor-credential-invalid', message, details);
}

/** The vendor signs a distributor credential; returns the file's text. */
export function issueDistributorCredential(request: DistributorRequest, vendorKey: SigningKey, now = new Date()): { text: string; claims: DistributorClaims } {
  if (!isRawPublicKey(request.distributor.publicKey)) invalid("The distributor's public key is not an ed25519 key");
  if (request.distributor.publicKey === vendorKey.publicKey) invalid("The distributor's key is your own publishing key; a distributor signs with its own key");
  const parsed = DistributorClaims.safeParse({
    id: randomUUID(),
    vendor: { publisher: vendorKey.publisher.id, name: vendorKey.publisher.name, fingerprint: fingerprint(vendorKey.publicKey) },
    distributor: {
      id: request.distributor.id,
      name: request.distributor.name,
      key: { type: KEY_TYPE, public: request.distributor.publicKey },
      fingerprint: fingerprint(request.distributor.publicKey),
    },
    issuedAt: now.toISOString(),
    expiresAt: request.expires,
    scope: request.scope,
  });
  if (!parsed.success) {
    const issue = describeIssues(parsed.error)[0]!;
    invalid(`The distributor credential for "${request.distributor.id}" is invalid at ${issue.path}: ${issue.message}`, { issues: describeIssues(parsed.error) });
  }
  const claims = parsed.data;
  const value = signBytes('lockup.distributor-credential.v1', new TextEncoder().encode(canonicalJson(claims)), vendorKey);
  const file = { format: DISTRIBUTOR_CREDENTIAL_FORMAT, formatVersion: 1, claims, signature: { type: KEY_TYPE, value } };
  return { text: JSON.stringify(file, null, 2) + '\n', claims };
}

/** Parses a distributor credential file (text or already-parsed JSON) without checking its signature. */
export function parseDistributorCredential(input: string | unknown): { claims: DistributorClaims; signature: { type: string; value: string } } {
  let raw = input;
  if (typeof input === 'string') {
    if (input.length > MAX_DISTRIBUTOR_CREDENTIAL_BYTES) invalid(`A distributor credential is a small file; this one is ${input.length} bytes`);
    try {
      raw = parseUntrustedJson(input.replace(/^\uFEFF/, ''));
    } catch (err) {
      invalid(`This is not a Lockup distributor credential: ${(err as CanonicalJsonError).message}`);
    }
  }
  const file = DistributorCredentialFile.safeParse(raw);
  if (!file.success) {
    const issue = describeIssues(file.error)[0]!;
    invalid(`This is not a Lockup distributor credential (${issue.path}: ${issue.message})`);
  }
  const claims = DistributorClaims.safeParse(file.data.claims);
  if (!claims.success) {
    const issue = describeIssues(claims.error)[0]!;
    invalid(`The distributor credential's claims are invalid at claims.${issue.path}: ${issue.message}`);
  }
  const key = claims.data.distributor.key;
  if (key.type !== KEY_TYPE || !isRawPublicKey(key.public)) invalid(`The distributor credential names a ${key.type === KEY_TYPE ? 'malformed' : JSON.stringify(key.type)} key; Lockup accepts ${KEY_TYPE} only`);
  if (claims.data.distributor.fingerprint !== fingerprint(key.public)) invalid("The distributor credential's fingerprint is not its key's");
  return { claims: claims.data, signature: file.data.signature };
}

/**
 * Checks a distributor credential against the vendor's key (the one in the
 * vendor's signed pack, or pinned here). Validity in time is separate
 * (`checkDistributorWindow`): a stored chain is checked again on every use.
 */
export function readDistributorCredential(input: string | unknown, vendor: { publisherId: string; name: string; publicKey: string }): DistributorClaims {
  const { claims, signature } = parseDistributorCredential(input);
  const notVendors = (why: string): never => {
    throw new LockupError('distributor-credential-signature', `The distributor credential for "${claims.distributor.id}" was not signed by ${vendor.name}'s key: ${why}`, {
      distributor: claims.distributor.id,
      vendor: vendor.publisherId,
    });
  };
  if (claims.vendor.publisher !== vendor.publisherId) notVendors(`it names the vendor "${claims.vendor.publisher}"`);
  if (claims.vendor.fingerprint !== fingerprint(vendor.publicKey)) notVendors(`it names the key ${claims.vendor.fingerprint}, not ${fingerprint(vendor.publicKey)}`);
  if (signature.type !== KEY_TYPE) notVendors(`it is signed with an unknown key type ${JSON.stringify(signature.type)}`);
  if (!verifyBytes('lockup.distributor-credential.v1', new TextEncoder().encode(canonicalJson(claims)), signature.value, vendor.publicKey)) {
    notVendors('the signature does not match (it was edited after it was issued, or issued by someone else)');
  }
  return claims;
}

/** Throws `distributor-credential-expired` outside the credential's validity window. */
export function checkDistributorWindow(claims: DistributorClaims, now: Date): void {
  if (now.getTime() + CLOCK_SKEW_MS < Date.parse(claims.issuedAt)) {
    throw new LockupError('distributor-credential-expired', `${claims.vendor.name}'s authorisation of ${claims.distributor.name} is not valid yet (from ${claims.issuedAt}); check this computer's clock`, {
      issuedAt: claims.issuedAt,
    });
  }
  if (now.getTime() >= Date.parse(claims.expiresAt)) {
    throw new LockupError(
      'distributor-credential-expired',
      `${claims.vendor.name}'s authorisation of ${claims.distributor.name} expired on ${claims.expiresAt.slice(0, 10)}; ask ${claims.distributor.name} for a pack under a current authorisation`,
      { expiresAt: claims.expiresAt },
    );
  }
}

/** May the distributor derive (and its credentials apply to) this vendor template? */
export function templateInScope(scope: DistributorScope, vendorTemplateId: string): boolean {
  return scope.templates === 'all' || scope.templates.includes(vendorTemplateId);
}

export function describeScope(scope: DistributorScope): string {
  const parts = [scope.templates === 'all' ? 'all templates' : `templates ${scope.templates.join(', ')}`];
  parts.push(scope.maxTier ? `partner credentials up to ${scope.maxTier}` : 'no partner credentials');
  if (scope.partnerTypes) parts.push(`types ${scope.partnerTypes.join(', ')}`);
  if (scope.regions) parts.push(`regions ${scope.regions.join(', ')}`);
  return parts.join('; ');
}
