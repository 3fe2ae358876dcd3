import type { Template, Zone } from '../model/template.ts';

/**
 * Plan pages and template pages. A bundle area that does not fit its page
 * continues on pages inserted right after it, so a plan (and the PDF) can
 * have more pages than the template: plan page i shows template page
 * `templatePageOf(...)`, either itself or as a continuation. These helpers
 * take any list of pages that marks continuations (a RenderPlan's, a
 * PlanView's, a CompiledTemplate's).
 */
export interface PageMark {
  continuationOf?: number | undefined | null;
}

const isContinuation = (p: PageMark) => p.continuationOf !== undefined && p.continuationOf !== null;

/** The template page a plan page shows, and whether it is one of its continuation pages. */
export function templatePageOf(pages: readonly PageMark[], planPage: number): { page: number; continuation: boolean } {
  const mark = pages[planPage];
  if (mark && isContinuation(mark)) return { page: mark.continuationOf!, continuation: true };
  let page = -1;
  for (let i = 0; i <= planPage && i < pages.length; i++) if (!isContinuation(pages[i]!)) page++;
  return { page: Math.max(0, page), continuation: false };
}

/** The plan page that shows a template page itself (not a continuation); the last page when there is no such page. */
export function planPageOf(pages: readonly PageMark[], templatePage: number): number {
  let seen = -1;
  for (let i = 0; i < pages.length; i++) {
    if (isContinuation(pages[i]!)) continue;
    if (++seen === templatePage) return i;
  }
  return Math.max(0, pages.length - 1);
}

/** How many continuation pages follow a template page's own plan page. */
export function continuationCount(pages: readonly PageMark[], templatePage: number): number {
  return pages.filter((p) => p.continuationOf === templatePage).length;
}

/**
 * The zones a plan page shows, in drawing order: all of its template page's
 * zones, or on a continuation page the bundle area and the zones it repeats.
 * Whether a zone is visible to a partner is compose's business, not this.
 */
export function zonesOnPlanPage(template: Pick<Template, 'pages'>, pages: readonly PageMark[], planPage: number): Zone[] {
  const { page, continuation } = templatePageOf(pages, planPage);
  const zones = template.pages[page]?.zones ?? [];
  if (!continuation) return zones;
  const area = zones.find((z) => z.kind === 'block-area');
  if (!area || area.kind !== 'block-area') return [];
  const repeat = new Set(area.repeat);
  return zones.filter((z) => z === area || repeat.has(z.id));
}
