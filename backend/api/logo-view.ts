import type { LogoView } from '../../core/contracts/api.ts';
import type { PreparedImage } from '../../core/images/prepare.ts';
import { ppiAtLargestSlot, type SlotSize } from '../../core/images/resolution.ts';
import type { PartnerProfile } from '../../core/model/index.ts';
import type { Catalogue } from '../catalogue.ts';

/**
 * The logo slots a logo may be drawn in: the partner-logo zones of the
 * templates the current partner may use, or, for a vendor (no profile),
 * the vendor-logo zones of every template.
 */
export function logoSlots(catalogue: Catalogue, profile: PartnerProfile | undefined, vendor: boolean): SlotSize[] {
  const kind = vendor ? 'vendor-logo' : 'partner-logo';
  const templates = vendor || !profile ? catalogue.listTemplates() : catalogue.templatesFor(profile).filter((t) => t.decision.allowed);
  const out: SlotSize[] = [];
  for (const t of templates) {
    const template = catalogue.getTemplate(`${t.id}@${t.version}`);
    for (const page of template.pages) {
      for (const zone of page.zones) if (zone.kind === kind) out.push({ w: zone.rect.w, h: zone.rect.h, label: `${template.name} — ${zone.name ?? zone.id}` });
    }
  }
  return out;
}

/** What the UI says about a logo: format, size, vector or raster and its effective resolution, and for SVG what was removed. */
export function logoView(image: PreparedImage, ref: string, name: string, slots: () => SlotSize[]): LogoView {
  const { format, width, height, vector, hasAlpha } = image.info;
  const view: LogoView = { ref, name, format, width, height, vector, hasAlpha };
  if (image.kind === 'svg') view.svg = { removed: image.removed, warnings: image.warnings };
  if (!vector) view.effectivePpi = ppiAtLargestSlot(width, height, slots());
  return view;
}
