import type { PreparedImage } from '../images/prepare.ts';
import type { BlockAreaZone } from '../model/template.ts';
import type { Finding } from '../rules/finding.ts';
import { layoutText, type TextLayout } from '../text/layout.ts';
import { contrastRatio, toHex, WHITE, type Rgb } from '../util/color.ts';
import { round } from '../util/units.ts';
import { entryContent, measureBlock, type BlockStyle, type MeasuredBlock } from './blocks.ts';
import type { Backdrop, CompiledTemplate } from './compile.ts';
import { checkFont, fontChoice, paletteFinding, resolveColor } from './compile.ts';
import { columnWidth, flowItems, type FlowItem } from './flow.ts';
import type { PlanColor, PlanItem } from './plan.ts';

/**
 * A bundle area laid out once, when the template compiles (its content is
 * the same for every partner): product blocks grouped into sections, each
 * section under its heading, flowed in the zone's grid or list into frame 0
 * (the zone's rectangle) and then into the continuation frames of as many
 * continuation pages as needed (core/compose/flow.ts).
 */
export interface BlockAreaLayout {
  /** Items per frame: [0] is drawn on the zone's page, [1…] on its continuation pages. */
  frames: PlanItem[][];
  /** About the area's content (locked blocks given other content, blocks that found no place); reported once. */
  findings: Finding[];
}

/** Space after a section heading, as a fraction of the heading size. */
const HEADING_GAP = 0.5;

interface Section {
  title: string | undefined;
  entries: BlockAreaZone['entries'];
}

/** Entries grouped by section in first-appearance order; entries with no section come first, under no heading. */
export function sectionsOf(entries: BlockAreaZone['entries']): Section[] {
  const none: Section = { title: undefined, entries: [] };
  const named = new Map<string, Section>();
  for (const entry of entries) {
    const title = entry.product.section?.trim() || undefined;
    if (title === undefined) {
      none.entries.push(entry);
      continue;
    }
    let s = named.get(title);
    if (!s) named.set(title, (s = { title, entries: [] }));
    s.entries.push(entry);
  }
  return [...(none.entries.length > 0 ? [none] : []), ...named.values()];
}

function heading(text: string, c: CompiledTemplate, zone: BlockAreaZone, width: number): TextLayout {
  const style = { size: zone.style.headingSize, lineHeight: 1.2, align: 'left' as const, valign: 'top' as const, letterSpacing: 0, transform: 'none' as const, paragraphSpacing: 0 };
  return layoutText(text, style, fontChoice(c, zone.style.bold, true), { width, height: 100_000 }, { multiline: true, overflow: 'refuse' });
}

/** Lays out a bundle area's entries into frames; `path` is the zone's JSON path, for errors about the template. */
export function layoutBlockArea(c: CompiledTemplate, zone: BlockAreaZone, path: (string | number)[], backdrop: Backdrop): BlockAreaLayout {
  const s = zone.style;
  const at = (...rest: string[]) => [...path, 'style', ...rest];
  checkFont(c.brand, s.font, at('font'));
  checkFont(c.brand, s.bold, at('bold'));
  const colors: [string, string | undefined][] = [
    ['color', s.color],
    ['muted', s.muted],
    ['accent', s.accent],
    ['card', s.card],
    ['headingColor', s.headingColor],
  ];
  const findings: Finding[] = [];
  const resolved = new Map<string, PlanColor>();
  for (const [key, ref] of colors) {
    if (ref === undefined) continue;
    const color = resolveColor(ref, c.palette, at(key));
    resolved.set(key, color);
    if (!color.paletteId && c.brand.rules.paletteOnly.enabled) findings.push(paletteFinding(c, zone.id, ref));
  }
  const style: BlockStyle = {
    regular: fontChoice(c, s.font, true),
    bold: fontChoice(c, s.bold, true),
    size: s.size,
    text: resolved.get('color')!,
    muted: resolved.get('muted')!,
    accent: resolved.get('accent')!,
    card: resolved.get('card'),
    radius: s.radius,
    padding: s.padding,
    imageHeight: s.imageHeight,
  };
  const label = zone.name ?? zone.id;
  findings.push(...contrastFindings(c, zone, label, style, resolved.get('headingColor')!, backdrop.rgb));

  // Blocks are measured once, at the narrower of the two frames' columns, so a block fits wherever it lands.
  const next = zone.continuation ?? zone.rect;
  const columns = zone.layout === 'list' ? 1 : zone.columns;
  const width = Math.max(1, Math.min(columnWidth(zone.rect, columns, zone.gap), columnWidth(next, columns, zone.gap)));
  const headingWidth = Math.max(1, Math.min(zone.rect.w, next.w));
  type Measured = { kind: 'heading'; layout: TextLayout; title: string } | { kind: 'block'; block: MeasuredBlock; name: string; id: string; image: PreparedImage | undefined };
  const measured: Measured[] = [];
  for (const section of sectionsOf(zone.entries)) {
    if (section.title !== undefined) measured.push({ kind: 'heading', layout: heading(section.title, c, zone, headingWidth), title: section.title });
    for (const entry of section.entries) {
      const content = entryContent(entry, zone.id, findings);
      const image = entry.product.image !== undefined && s.imageHeight > 0 ? c.resources.image(entry.product.image) : undefined;
      measured.push({ kind: 'block', block: measureBlock(entry, content, image, width, style), name: entry.product.name, id: entry.product.id, image });
    }
  }
  // A block taller than any frame is reported and left out before the flow, so the blocks beside it in its row still flow.
  const frameHeight = Math.max(zone.rect.h, next.h);
  const tooTall = measured.filter((m) => m.kind === 'block' && m.block.height > frameHeight + 1e-6);
  const flowing = measured.filter((m) => !tooTall.includes(m));
  const items: FlowItem[] = flowing.map((m) => (m.kind === 'heading' ? { kind: 'heading', height: m.layout.height } : { kind: 'block', height: m.block.height }));
  const flow = flowItems(items, zone.rect, next, { columns, gap: zone.gap, headingGap: HEADING_GAP * s.headingSize, maxFrames: zone.maxPages });

  const frames: PlanItem[][] = Array.from({ length: flow.frames }, () => []);
  const headingColor = resolved.get('headingColor')!;
  const missing = new Map<string, number[]>();
  for (const placement of flow.placements) {
    const m = flowing[placement.item]!;
    const out = frames[placement.frame]!;
    // Shared by every document, and the same objects every time: the PDF writer caches their bytes.
    if (m.kind === 'heading') {
      out.push({ type: 'text', zoneId: zone.id, static: true, origin: { x: placement.rect.x, y: placement.rect.y }, layout: m.layout, color: headingColor });
      if (m.layout.missing.length > 0) missing.set(`the heading "${m.title}"`, m.layout.missing);
      continue;
    }
    const drawn = m.block.draw(placement.rect, zone.id).map((item) => ({ ...item, static: true }));
    out.push(...drawn);
    const cps = drawn.flatMap((item) => (item.type === 'text' ? item.layout.missing : []));
    if (cps.length > 0) missing.set(`"${m.name}"`, [...new Set(cps)]);
  }
  for (const [what, cps] of missing) {
    findings.push({
      code: 'missing-glyphs',
      severity: 'error',
      zoneId: zone.id,
      message: `The fonts of "${label}" cannot draw ${cps.map((cp) => `${String.fromCodePoint(cp)} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`).join(', ')} in ${what}`,
      measured: cps.map((cp) => String.fromCodePoint(cp)).join(''),
      required: 'characters the brand fonts can draw',
    });
  }
  for (const m of tooTall) {
    if (m.kind !== 'block') continue;
    findings.push({
      code: 'block-too-tall',
      severity: 'error',
      zoneId: zone.id,
      message: `"${m.name}" needs ${round(m.block.height, 1)} pt of height, more than a page of the bundle area "${label}" holds (${round(frameHeight, 1)} pt): shorten its copy or make the area taller`,
      measured: round(m.block.height, 1),
      required: round(frameHeight, 1),
      unit: 'pt',
    });
  }
  for (const u of flow.unplaced) {
    const m = flowing[u.item]!;
    if (m.kind === 'heading') continue; // its section's blocks are reported
    if (u.reason === 'too-tall') {
      // The block fits a page, but not together with its section heading (or a taller neighbour's heading row).
      findings.push({
        code: 'block-too-tall',
        severity: 'error',
        zoneId: zone.id,
        message: `"${m.name}" does not fit a page of the bundle area "${label}" (${round(frameHeight, 1)} pt) together with its section heading: shorten its copy or make the area taller`,
        measured: round(m.block.height, 1),
        required: round(frameHeight, 1),
        unit: 'pt',
      });
    } else {
      findings.push({
        code: 'block-area-overflow',
        severity: 'error',
        zoneId: zone.id,
        message: `"${m.name}" does not fit: the bundle area "${label}" continues on at most ${zone.maxPages} page${zone.maxPages === 1 ? '' : 's'}`,
        measured: m.id,
        required: `at most ${zone.maxPages} continuation page${zone.maxPages === 1 ? '' : 's'}`,
      });
    }
  }
  return { frames, findings };
}

/** Contrast of the blocks' text on their card (or on what lies under the area), and of the headings on what lies under the area. */
function contrastFindings(c: CompiledTemplate, zone: BlockAreaZone, label: string, style: BlockStyle, headingColor: PlanColor, under: Rgb | undefined): Finding[] {
  const rules = c.brand.rules.textContrast;
  const out: Finding[] = [];
  const check = (what: string, color: PlanColor, on: Rgb | undefined, large: boolean) => {
    if (!on) return;
    const need = large ? rules.largeTextMinRatio : rules.minRatio;
    const ratio = contrastRatio(color.rgb, on);
    if (ratio + 1e-9 >= need) return;
    out.push({
      code: 'text-contrast-low',
      severity: rules.severity,
      zoneId: zone.id,
      message: `${what} in "${label}" (${toHex(color.rgb)} on ${toHex(on)}) has a contrast ratio of ${round(ratio, 2)}:1; at least ${need}:1 is required`,
      measured: round(ratio, 2),
      required: need,
      unit: ':1',
    });
  };
  const card = style.card?.rgb ?? under ?? WHITE;
  check('Product text', style.text, card, false);
  check('Secondary product text (SKU)', style.muted, card, false);
  check('Prices', style.accent, card, style.size * 1.15 >= 14);
  check('Section headings', headingColor, under, zone.style.headingSize >= 14);
  return out;
}
