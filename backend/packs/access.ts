import { LockupError } from '../../core/errors.ts';
import type { PartnerProfile } from '../../core/model/index.ts';
import type { Catalogue } from '../catalogue.ts';
import { LearningStore } from '../learning/store.ts';
import { credentialState, readCredential, type CredentialClaims, type PinnedKey } from './credential.ts';
import type { DistributorClaims } from './distributor.ts';
import { PackStore } from './store.ts';

/**
 * Where a partner's access attributes come from, per brand:
 * - a brand authored here (no publisher): the profile (the vendor previewing
 *   as a tier, or the demo catalogue);
 * - a brand that arrived in a signed pack: only a valid credential from its
 *   publisher. Without one (or expired, revoked, or no longer matching the
 *   pinned key) the partner has no tier, type, region or certifications, and
 *   so sees only templates open to everyone.
 *
 * Whatever the source, the certifications the partner earned here by
 * passing one of the brand's own training modules are added: the vendor
 * shipped the module and its pass rule, so a pass is the vendor's word
 * (docs/decisions/0022; issue #7).
 */
export interface AccessSource {
  source: 'profile' | 'credential' | 'none';
  profile: PartnerProfile;
  /** Why access is reduced, in words, when it is. */
  notice?: string;
  claims?: CredentialClaims;
  /** A distributor-issued credential applies only to these vendor templates (and their derivations). */
  templates?: readonly string[];
  /** Certifications earned by passing the brand's training modules here (already in `profile.certifications`). */
  earned: readonly string[];
}

/** The pinned key of a publisher, with its brand's tier order (distributor-issued credentials need it). */
export function pinnedKeyOf(catalogue: Catalogue, publisherId: string): PinnedKey | undefined {
  const store = new PackStore(catalogue);
  const p = store.publisher(publisherId);
  if (!p) return undefined;
  const brandId = catalogue.brandIds().find((b) => store.brandPublisher(b) === publisherId);
  return { publisherName: p.name, publicKey: p.publicKey, ...(brandId ? { tiers: catalogue.getBrand(brandId).access.tiers.map((t) => t.id) } : {}) };
}

/** A revocation of the credential, or of the distributor authorisation it was issued under. */
function revocationOf(store: PackStore, claims: CredentialClaims, issuer: DistributorClaims | undefined) {
  return store.revocation(claims.publisher, claims.id) ?? (issuer ? store.revocation(claims.publisher, issuer.id) : undefined);
}

/**
 * The profile access policies see for one template: a distributor-issued
 * credential counts only for the templates its authorisation covers (and
 * their derivations); elsewhere the partner has no attributes.
 */
export function profileForTemplate(catalogue: Catalogue, source: AccessSource, templateId: string): PartnerProfile {
  if (!source.templates) return source.profile;
  const base = new PackStore(catalogue).derivation(templateId)?.derivedFrom ?? templateId;
  return source.templates.includes(base) ? source.profile : outsideScope(source);
}

/**
 * The profile for anything a scoped credential does not cover (another
 * template, a playbook): no attributes, but the certifications earned
 * here, which are the vendor's and not the distributor's.
 */
export function outsideScope(source: AccessSource): PartnerProfile {
  return source.templates ? { ...withoutAttributes(source.profile), certifications: [...source.earned] } : source.profile;
}

export function withoutAttributes(profile: PartnerProfile): PartnerProfile {
  const { tier: _t, type: _y, region: _r, ...rest } = profile;
  return { ...rest, certifications: [] };
}

export function accessProfile(catalogue: Catalogue, brandId: string, profile: PartnerProfile, now = new Date()): AccessSource {
  const earned = new LearningStore(catalogue).earnedCertifications(brandId, profile.id);
  const withEarned = (p: PartnerProfile): PartnerProfile => (earned.length === 0 ? p : { ...p, certifications: [...new Set([...(p.certifications ?? []), ...earned])] });
  const store = new PackStore(catalogue);
  const publisherId = store.brandPublisher(brandId);
  if (!publisherId) return { source: 'profile', profile: withEarned(profile), earned };
  const publisher = store.publisher(publisherId)!;
  const stored = store.credential(publisherId);
  const none = (notice: string): AccessSource => ({ source: 'none', profile: withEarned(withoutAttributes(profile)), notice, earned });
  if (!stored) return none(`You have no credential from ${publisher.name}, so you see the templates open to every partner. Import the credential file ${publisher.name} sent you.`);
  let claims: CredentialClaims;
  let issuer: DistributorClaims | undefined;
  try {
    // Checked again on every use: the row could have been edited, or the publisher's key re-pinned since.
    ({ claims, issuer } = readCredential(stored.raw, (id) => (id === publisher.id ? pinnedKeyOf(catalogue, id) : undefined)));
  } catch {
    return none(`Your credential from ${publisher.name} no longer matches its signing key; ask ${publisher.name} for a new one.`);
  }
  const state = credentialState(claims, revocationOf(store, claims, issuer), now);
  if (state.status !== 'valid') return none(`${state.message}. You see the templates open to every partner until ${publisher.name} sends you a new credential.`);
  const effective: PartnerProfile = { ...withoutAttributes(profile), tier: claims.tier, certifications: claims.certifications };
  if (claims.type) effective.type = claims.type;
  if (claims.region) effective.region = claims.region;
  if (claims.distributor) effective.distributor = claims.distributor;
  const scope = issuer?.scope.templates;
  return { source: 'credential', profile: withEarned(effective), claims, earned, ...(scope && scope !== 'all' ? { templates: scope } : {}) };
}

export interface ImportedCredential {
  claims: CredentialClaims;
  publisherName: string;
  replaced: boolean;
}

/**
 * Checks a credential file's text against the publishers pinned here and
 * stores it as the partner's credential from that publisher. An expired or
 * revoked credential is refused (nothing is stored).
 */
export function importCredential(catalogue: Catalogue, text: string, now = new Date()): ImportedCredential {
  const store = new PackStore(catalogue);
  const { claims, publisherName, issuer } = readCredential(text, (id) => pinnedKeyOf(catalogue, id));
  const state = credentialState(claims, revocationOf(store, claims, issuer), now);
  if (state.status === 'expired') throw new LockupError('credential-expired', `${state.message}; ask ${publisherName} for a new one`, { expires: claims.expires });
  if (state.status === 'revoked') throw new LockupError('credential-revoked', `${state.message}; ask ${publisherName} for a new one`);
  const replaced = store.credential(claims.publisher) !== undefined;
  catalogue.transaction(() => store.saveCredential(claims, text));
  return { claims, publisherName, replaced };
}
