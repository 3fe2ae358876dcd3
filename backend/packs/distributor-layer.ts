import type { DistributorLayer } from '../../core/compose/compose.ts';
import type { Template } from '../../core/model/template.ts';
import type { Catalogue } from '../catalogue.ts';
import { DistributorProfile } from './derived.ts';
import { PackStore } from './store.ts';

/**
 * The distributor layer of a template (its logos in lockups): for a
 * distributor's derived template, the distributor's name and logos from the
 * profile its overlay carried, so a given template version always composes
 * with the same logos (an export re-renders identically when verified);
 * undefined for a template that comes straight from the vendor.
 */
export function distributorLayerOf(catalogue: Catalogue, template: Pick<Template, 'id' | 'version'>): DistributorLayer | undefined {
  const found = new PackStore(catalogue).derivedProfile(template.id, template.version);
  if (!found) return undefined;
  const parsed = DistributorProfile.safeParse(found.profile);
  if (!parsed.success) return undefined;
  const { id, name, logos } = parsed.data;
  // A logo without a stated background serves both; one given only for one background serves the other too (as a partner's does).
  const light = logos.find((l) => l.background === 'light') ?? logos.find((l) => l.background === undefined) ?? logos.find((l) => l.background === 'dark');
  const dark = logos.find((l) => l.background === 'dark') ?? logos.find((l) => l.background === undefined) ?? light;
  return { id, name, logos: { ...(light ? { light: light.file } : {}), ...(dark ? { dark: dark.file } : {}) } };
}
