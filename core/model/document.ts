import { z } from 'zod';
import { Id } from './access.ts';
import { AssetRef, ColorRef } from './template.ts';

export const DOCUMENT_FORMAT = 'lockup.document';
export const DOCUMENT_FORMAT_VERSION = 1;

/** A partner's style choice for an editable text zone, within the zone's limits. */
export const ZoneStyleChoice = z
  .object({ font: Id.optional(), size: z.number().positive().max(1000).optional(), color: ColorRef.optional() })
  .strict();
export type ZoneStyleChoice = z.infer<typeof ZoneStyleChoice>;

/** A partner document: which template version, and what the partner put into it. */
export const PartnerDocument = z
  .object({
    format: z.literal(DOCUMENT_FORMAT),
    formatVersion: z.literal(DOCUMENT_FORMAT_VERSION),
    templateId: Id,
    templateVersion: z.number().int().positive(),
    /** Field values by key; profile-bound keys fall back to the profile when absent. */
    fields: z.record(z.string(), z.string().max(5000)).default({}),
    styles: z.record(z.string(), ZoneStyleChoice).default({}),
    /** Logo asset per partner-logo zone; absent zones use the profile's logo. */
    logos: z.record(z.string(), AssetRef).default({}),
  })
  .strict();
export type PartnerDocument = z.infer<typeof PartnerDocument>;

export const PROFILE_FORMAT_VERSION = 1;

const Contact = z
  .object({
    phone: z.string().max(200).optional(),
    email: z.string().max(200).optional(),
    url: z.string().max(500).optional(),
    address: z.string().max(1000).optional(),
  })
  .strict();

/**
 * A partner profile. In a profile file `logo` is a path relative to the file
 * (or `{ light, dark }` paths); in the catalogue it is a `sha256:` asset ref.
 */
export const PartnerProfile = z
  .object({
    id: Id,
    company: z.string().min(1, 'is empty').max(300),
    logo: z.union([AssetRef, z.object({ light: AssetRef.optional(), dark: AssetRef.optional() }).strict()]).optional(),
    contact: Contact.default({}),
    tier: Id.optional(),
    type: Id.optional(),
    region: Id.optional(),
    distributor: z.string().max(300).optional(),
    certifications: z.array(Id).default([]),
  })
  .strict();
export type PartnerProfile = z.infer<typeof PartnerProfile>;
export type PartnerProfileInput = z.input<typeof PartnerProfile>;

/** The partner's logo variants, normalised to `{ light?, dark? }`. */
export function profileLogos(p: Pick<PartnerProfile, 'logo'>): { light?: string; dark?: string } {
  if (p.logo === undefined) return {};
  if (typeof p.logo === 'string') return { light: p.logo, dark: p.logo };
  const out: { light?: string; dark?: string } = {};
  const light = p.logo.light ?? p.logo.dark;
  const dark = p.logo.dark ?? p.logo.light;
  if (light) out.light = light;
  if (dark) out.dark = dark;
  return out;
}

/** Value of a profile-bound field key, if the profile has one. */
export function profileValue(p: PartnerProfile, key: string): string | undefined {
  switch (key) {
    case 'company':
      return p.company;
    case 'phone':
    case 'email':
    case 'url':
    case 'address':
      return p.contact[key];
    case 'distributor':
      return p.distributor;
    default:
      return undefined;
  }
}
