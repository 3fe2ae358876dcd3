import path from 'node:path';
import type { LOGO_API, PreflightView } from '../../core/contracts/logo-api.ts';
import { LockupError } from '../../core/errors.ts';
import { decodePngRgba, preflightRaster, preflightVector, removeBackground, resolution, trimTransparent, type LogoBackground, type LogoSlot, type PreflightOptions } from '../../core/images/logo-preflight.ts';
import { encodePngRgba } from '../../core/images/png-encode.ts';
import { toHex, isDark } from '../../core/util/color.ts';
import { nodeDeflate, nodeInflate } from '../assets/image-store.ts';
import type { HandlerContext, HandlersFor } from './context.ts';
import { logoSlots, logoView } from './logo-view.ts';

/**
 * Logo preflight and fixes. The logo is an asset `logo:intake` already
 * validated in the isolated image worker; its PNG is decoded again here
 * with the same limits (dimensions checked before inflating, inflate capped
 * at the declared size) by our own pure decoder, which has no loops that
 * depend on anything but the declared size. See docs/decisions/0016.
 */
export function logoHandlers(ctx: HandlerContext): HandlersFor<typeof LOGO_API> {
  const { catalogue, engine } = ctx;

  const asset = (ref: string) => {
    const a = catalogue.assetBytes(ref);
    if (!a) throw new LockupError('asset-missing', 'The logo was not taken in; add it again');
    return a;
  };

  /**
   * Partner-logo slots and their backgrounds in the templates the partner may
   * use (every template while no profile is saved yet: the largest slot
   * anywhere is the safe answer), with the strictest resolution rule.
   */
  const context = async (usedOn: ('light' | 'dark')[]): Promise<PreflightOptions> => {
    const profile = ctx.currentProfile();
    const cards = catalogue.templatesFor(profile).filter((t) => !profile || t.decision.allowed);
    const slots: LogoSlot[] = [];
    const backgrounds = new Map<string, LogoBackground>();
    let print = 0;
    let screen = 0;
    for (const card of cards) {
      const template = catalogue.getTemplate(`${card.id}@${card.version}`);
      const brand = catalogue.getBrand(template.brand);
      print = Math.max(print, brand.rules.imageResolution.print.error);
      screen = Math.max(screen, brand.rules.imageResolution.screen.error);
      const compiled = await engine.compile(brand, template);
      const size = template.page.size;
      const screenOnly = typeof size === 'string' && (size.startsWith('social-') || size === 'web-banner');
      for (const page of compiled.pages) {
        for (const cz of page.zones) {
          if (cz.zone.kind !== 'partner-logo' || cz.zone.owner !== 'partner') continue;
          slots.push({ w: cz.zone.rect.w, h: cz.zone.rect.h, label: `${template.name} — ${cz.zone.name ?? cz.zone.id}`, print: !screenOnly });
          const rgb = cz.backdrop.rgb;
          if (!rgb || !usedOn.includes(isDark(rgb) ? 'dark' : 'light')) continue;
          const hex = toHex(rgb);
          if (!backgrounds.has(hex)) backgrounds.set(hex, { rgb, label: template.name });
        }
      }
    }
    return { slots, backgrounds: [...backgrounds.values()], thresholds: { print: print || 300, screen: screen || 96 } };
  };

  return {
    'logo:preflight': async ({ ref, usedOn }) => {
      const a = asset(ref);
      const image = await engine.resources.imageByRef(ref);
      const options = await context(usedOn);
      const ppiOf = (p: { value: number; slot: string } | null) => (p ? { ...p, print: options.thresholds.print, screen: options.thresholds.screen } : null);
      let view: Omit<PreflightView, 'ref'>;
      if (image.info.vector) {
        view = { ...preflightVector(image.info.width, image.info.height), pixelsChecked: false, ppi: null };
      } else if (image.info.format === 'png') {
        const report = preflightRaster(decodePngRgba(a.bytes, a.name, nodeInflate), options);
        view = { ...report, pixelsChecked: true, ppi: ppiOf(report.ppi) };
      } else {
        // JPEG: no pixel decoder in Lockup (the PDF writer passes JPEG through), so only the size is measured.
        const res = resolution(image.info.width, image.info.height, options);
        view = {
          width: image.info.width,
          height: image.info.height,
          vector: false,
          pixelsChecked: false,
          background: 'none',
          trim: null,
          contrast: null,
          bestOn: null,
          ppi: ppiOf(res.ppi),
          findings: [{ code: 'logo-pixels-not-checked', severity: 'info', message: 'JPEG logos are not checked for backgrounds or contrast; a PNG with transparency suits a logo better' }, ...res.findings],
        };
      }
      return { ref, ...view };
    },

    'logo:fix': async ({ ref, fix }) => {
      const a = asset(ref);
      const image = await engine.resources.imageByRef(ref);
      if (image.info.format !== 'png') {
        throw new LockupError('not-supported', `Only PNG logos can be fixed here; this one is ${image.info.format.toUpperCase()}`);
      }
      const pixels = decodePngRgba(a.bytes, a.name, nodeInflate);
      const fixed = fix === 'trim' ? trimTransparent(pixels) : removeBackground(pixels, fix === 'remove-checkerboard' ? 'checkerboard' : 'solid');
      const bytes = encodePngRgba(fixed.width, fixed.height, fixed.rgba, nodeDeflate);
      const base = path.basename(a.name).replace(/\.[^.]*$/, '');
      const name = `${base}-${fix === 'trim' ? 'trimmed' : 'transparent'}.png`;
      // Our own encoder's output, prepared before it is stored: the original asset is kept as it was.
      const prepared = await engine.resources.images.prepareTrusted(bytes, name);
      const newRef = catalogue.putAsset(bytes, name);
      // Described as logo:intake describes a logo, so the preview's caption measures it the same way.
      const view = logoView(prepared, newRef, name, () => logoSlots(catalogue, ctx.currentProfile(), false));
      return { ...view, format: 'png' as const, vector: false };
    },
  };
}
