import type { PartnerProfile } from '../model/document.ts';
import { PROFILE_FIELD_KEYS, type FieldDef, type ProfileFieldKey, type Template } from '../model/template.ts';

/**
 * Sample partner data for previews. "long-name" is the partner whose every
 * value is as long as the template lets them type; "non-latin" writes in
 * Arabic, a script the demo brand's fallback fonts draw (and right-to-left,
 * which catches alignment assumptions).
 */
export type SampleKind = 'typical' | 'long-name' | 'non-latin';

export const SAMPLE_LABELS: Record<SampleKind, string> = {
  typical: 'Typical partner',
  'long-name': 'Long names',
  'non-latin': 'Non-Latin (Arabic)',
};

const PROFILES: Record<SampleKind, Record<ProfileFieldKey, string>> = {
  typical: {
    company: 'Harbor IT',
    phone: '(206) 555-0142',
    email: 'hello@harbor-it.example.com',
    url: 'harbor-it.example.com',
    address: '1200 Western Avenue, Suite 410, Seattle, WA 98101',
    distributor: 'Westcoast Distribution',
  },
  'long-name': {
    company: 'Harbor Information Technology Consulting & Managed Cloud Security Services of the Pacific Northwest, Incorporated',
    phone: '+1 (206) 555-0142 extension 4410 (partner desk)',
    email: 'partnerships.and.new.business@harbor-information-technology-consulting.example.com',
    url: 'www.harbor-information-technology-consulting.example.com/solutions/backup-and-recovery',
    address: 'Harbor Information Technology Building, 1200 Western Avenue, Suite 4100, Seattle, Washington 98101-2938, United States of America',
    distributor: 'Westcoast Distribution and Value-Added Cloud Services International Limited',
  },
  'non-latin': {
    company: 'شركة النور لتقنية المعلومات',
    phone: '+971 4 555 0100',
    email: 'info@alnoor-it.example.com',
    url: 'alnoor-it.example.com',
    address: 'مكتب ١٢٠٤، خليج الأعمال، دبي، الإمارات العربية المتحدة',
    distributor: 'الموزع الإقليمي للحلول السحابية',
  },
};

const FILLER: Record<SampleKind, string> = {
  typical: '',
  'long-name': 'Extended partner copy written to the full length the template allows, so the layout is tested at its limit. ',
  'non-latin': 'نص تجريبي باللغة العربية لاختبار المساحة المتاحة في القالب. ',
};

/** The partner attributes a preview runs as (the vendor picks them). */
export interface SampleAttributes {
  tier?: string | undefined;
  type?: string | undefined;
  region?: string | undefined;
  certifications?: readonly string[] | undefined;
  /** Whether the sample partner buys through a distributor. */
  distributor?: boolean | undefined;
}

function clip(text: string, max: number | undefined): string {
  if (max === undefined) return text;
  const cps = [...text];
  return cps.length <= max ? text : cps.slice(0, max).join('').trimEnd();
}

function repeatTo(text: string, length: number): string {
  if (text === '') return '';
  let out = '';
  while ([...out].length < length) out += text;
  return out;
}

/** A sample partner profile (logos are added by the caller, which stores them). */
export function sampleProfile(kind: SampleKind, attrs: SampleAttributes): PartnerProfile {
  const p = PROFILES[kind];
  return {
    id: `sample-${kind}`,
    company: p.company,
    contact: { phone: p.phone, email: p.email, url: p.url, address: p.address },
    certifications: [...(attrs.certifications ?? [])],
    ...(attrs.tier ? { tier: attrs.tier } : {}),
    ...(attrs.type ? { type: attrs.type } : {}),
    ...(attrs.region ? { region: attrs.region } : {}),
    ...(attrs.distributor ? { distributor: p.distributor } : {}),
  };
}

function customValue(kind: SampleKind, field: FieldDef): string {
  if (kind === 'typical') return field.default ?? field.placeholder ?? `Sample ${field.label.toLowerCase()}`;
  // At the limit when there is one; otherwise long enough to show what a partner could do.
  const target = field.maxChars ?? (field.multiline ? 400 : 120);
  return repeatTo(FILLER[kind], target);
}

/**
 * The value of every template field for a sample partner, cut to each
 * field's character limit: a partner cannot type more, so the preview shows
 * the longest text the layout must hold rather than a limit finding.
 */
export function sampleFields(template: Pick<Template, 'fields'>, kind: SampleKind, attrs: SampleAttributes): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of template.fields) {
    const profileKey = (PROFILE_FIELD_KEYS as readonly string[]).includes(f.key) ? (f.key as ProfileFieldKey) : undefined;
    if (profileKey === 'distributor' && !attrs.distributor) continue;
    const value = profileKey ? PROFILES[kind][profileKey] : customValue(kind, f);
    out[f.key] = clip(f.multiline ? value : value.replace(/\s*\n\s*/g, ' '), f.maxChars);
  }
  return out;
}
