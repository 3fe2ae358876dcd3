import type { Brand } from '../model/brand.ts';
import type { TextStyle, Zone } from '../model/template.ts';
import type { Finding } from '../rules/finding.ts';
import type { TextLayout } from '../text/layout.ts';
import { contrastRatio, toHex } from '../util/color.ts';
import { round } from '../util/units.ts';
import type { Backdrop } from './compile.ts';
import type { PlanColor } from './plan.ts';

/** WCAG "large text": at least 18 pt, or 14 pt bold. */
function isLargeText(size: number, weight: number): boolean {
  return size >= 18 || (size >= 14 && weight >= 700);
}

function describeChars(cps: number[]): string {
  const shown = cps.slice(0, 12).map((cp) => `${String.fromCodePoint(cp)} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`);
  return shown.join(', ') + (cps.length > 12 ? `, and ${cps.length - 12} more` : '');
}

/** Findings about laid-out text: overflow, truncation, missing glyphs, contrast and palette. */
export function textFindings(c: { brand: Brand }, zone: Zone, layout: TextLayout, color: PlanColor, backdrop: Backdrop, style: TextStyle): Finding[] {
  const out: Finding[] = [];
  const label = zone.name ?? zone.id;
  if (layout.overflow) {
    const widest = Math.max(0, ...layout.lines.map((l) => l.width));
    const tooWide = widest > zone.rect.w + 0.01;
    out.push({
      code: 'text-overflow',
      severity: 'error',
      zoneId: zone.id,
      message: tooWide
        ? `Text in "${label}" is ${round(widest, 1)} pt wide but the zone is ${round(zone.rect.w, 1)} pt wide`
        : `Text in "${label}" needs ${round(layout.height, 1)} pt of height but the zone has ${round(zone.rect.h, 1)} pt`,
      measured: round(tooWide ? widest : layout.height, 1),
      required: round(tooWide ? zone.rect.w : zone.rect.h, 1),
      unit: 'pt',
    });
  }
  if (layout.truncated) {
    out.push({
      code: 'text-truncated',
      severity: 'warning',
      zoneId: zone.id,
      message: `Text in "${label}" was shortened with an ellipsis to fit`,
      measured: null,
      required: null,
    });
  }
  if (layout.missing.length > 0) {
    out.push({
      code: 'missing-glyphs',
      severity: 'error',
      zoneId: zone.id,
      message: `The fonts of "${label}" cannot draw ${describeChars(layout.missing)}`,
      measured: layout.missing.map((cp) => String.fromCodePoint(cp)).join(''),
      required: 'characters the brand fonts can draw',
    });
  }
  if (layout.lines.length > 0) {
    const rules = c.brand.rules.textContrast;
    const weight = c.brand.fonts.find((f) => f.id === style.font)?.weight ?? 400;
    const need = isLargeText(layout.size, weight) ? rules.largeTextMinRatio : rules.minRatio;
    if (backdrop.rgb) {
      const ratio = contrastRatio(color.rgb, backdrop.rgb);
      if (ratio + 1e-9 < need) {
        out.push({
          code: 'text-contrast-low',
          severity: rules.severity,
          zoneId: zone.id,
          message: `Text in "${label}" (${toHex(color.rgb)} on ${toHex(backdrop.rgb)}) has a contrast ratio of ${round(ratio, 2)}:1; at least ${need}:1 is required`,
          measured: round(ratio, 2),
          required: need,
          unit: ':1',
        });
      }
    } else {
      out.push({
        code: 'text-contrast-unverified',
        severity: 'warning',
        zoneId: zone.id,
        message: `Text in "${label}" sits on an image with no declared tone, so its contrast cannot be checked`,
        measured: null,
        required: need,
        unit: ':1',
      });
    }
  }
  return out;
}
