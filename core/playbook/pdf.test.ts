import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstDifference } from '../../test/core-support/bytes.ts';
import { imageFixture, repoBytes, repoText } from '../../test/core-support/files.ts';
import { encodePng } from '../../test/core-support/png-encode.ts';
import { pdfFonts, pdfText, qpdfCheck } from '../../test/support/pdf.ts';
import { tempDir } from '../../test/support/temp.ts';
import { LockupError } from '../errors.ts';
import { loadBrand } from '../model/index.ts';
import type { Brand } from '../model/brand.ts';
import type { Rect } from '../model/template.ts';
import { parsePlaybook, type Playbook, type PlaybookInput } from './model.ts';
import { itemBounds, layoutPlaybook, loadBrandKit, pickFaces, playbookPdf, type BrandKit, type PlaybookLayout, type PlaybookPdfInput } from './pdf.ts';

/**
 * The demo brand (templates/nimbus: Lato, PDF vendor logos) with a PNG
 * partner logo, a wide JPEG and a tall PNG as playbook images. Asset bytes
 * are read once, so fonts and images are loaded once per test file.
 */
const PARTNER = { name: 'Harbor IT Solutions', logo: 'sha256:partner-logo', contact: ['hello@harbor-it.example', '+1 555 0100', 'https://harbor-it.example'] };
const TEMPLATES = { 'one-pager': 'Product one-pager (Letter)', banner: 'Email banner' };
const DATE = new Date('2026-11-26T10:00:00Z');
const EPS = 0.5;

const special: Record<string, () => Uint8Array> = {
  'sha256:partner-logo': () => imageFixture('logo-rgba.png'),
  'sha256:wide': () => repoBytes('assets/nimbus/images/hero-vault.jpg'),
  'sha256:tall': () => encodePng({ width: 40, height: 400, colorType: 2, bitDepth: 8, sample: (_x, y) => [20, (y * 7) % 255, 200], filter: () => 0 }),
};
const bytes = new Map<string, Uint8Array>();
function asset(ref: string): Uint8Array | undefined {
  let b = bytes.get(ref);
  if (!b) {
    const make = special[ref];
    if (make) b = make();
    else if (ref.startsWith('sha256:')) return undefined;
    // The demo brand's files are paths relative to its folder.
    else b = repoBytes(`templates/nimbus/${ref}`);
    bytes.set(ref, b);
  }
  return b;
}

let brand: Brand;
let kit: BrandKit;

beforeAll(async () => {
  brand = loadBrand(JSON.parse(repoText('templates/nimbus/brand.json')));
  kit = await loadBrandKit(brand, asset, { partnerLogo: PARTNER.logo, images: ['sha256:wide', 'sha256:tall'] });
});

// ---------------------------------------------------------------------------
// Checks over a layout, shared by the property tests and the fixture.

const inside = (r: Rect, box: Rect) => r.x >= box.x - EPS && r.y >= box.y - EPS && r.x + r.w <= box.x + box.w + EPS && r.y + r.h <= box.y + box.h + EPS;

function rowsInOrder(layout: PlaybookLayout) {
  return layout.pages.flatMap((p, page) => p.rows.map((r) => ({ ...r, page })));
}

/** Everything on a page after the cover lies in the body box (rows and the ink of their items) or the footer band. */
function checkBoxes(layout: PlaybookLayout): void {
  const page = { x: 0, y: 0, w: layout.width, h: layout.height };
  layout.pages.forEach((p, i) => {
    for (const row of p.rows) {
      expect(inside(row.rect, layout.body), `row ${row.kind} on page ${i + 1} leaves the body`).toBe(true);
      for (const item of row.items) {
        const b = itemBounds(item);
        if (b) expect(inside(b, layout.body), `${item.type} of ${row.kind} on page ${i + 1} leaves the body: ${JSON.stringify(b)}`).toBe(true);
      }
    }
    for (const item of p.items) {
      const b = itemBounds(item);
      if (b) expect(inside(b, i === 0 ? page : layout.footer), `${item.type} on page ${i + 1} leaves its area`).toBe(true);
    }
  });
}

/** A heading's page also holds the first two rows (or all, if fewer) of the first non-heading group after it. */
function checkHeadings(layout: PlaybookLayout): void {
  const rows = rowsInOrder(layout);
  const byGroup = new Map<number, typeof rows>();
  for (const r of rows) if (r.group >= 0) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
  layout.groups.forEach((g, gi) => {
    if (!g.heading) return;
    let next = gi + 1;
    while (next < layout.groups.length && layout.groups[next]!.heading && layout.groups[next]!.section === g.section) next++;
    const follower = layout.groups[next];
    if (!follower || follower.section !== g.section || follower.heading) return; // nothing follows in this section
    const page = byGroup.get(gi)![0]!.page;
    const lead = byGroup.get(next)!.slice(0, 2);
    // The one exception: the run of headings and the start of what follows are taller than a page.
    let start = gi;
    while (start > 0 && layout.groups[start - 1]!.heading && layout.groups[start - 1]!.section === g.section) start--;
    let chain = 0;
    for (let k = start; k < next; k++) chain += layout.groups[k]!.height + (k > start ? layout.groups[k]!.spaceBefore : 0);
    const keptTogether = follower.together && follower.height + follower.header <= layout.body.h;
    const leadH = keptTogether ? follower.height : lead.reduce((s, r) => s + r.rect.h, 0);
    if (chain + follower.spaceBefore + leadH > layout.body.h) return;
    for (const r of lead) expect(r.page, `${g.kind} on page ${page + 1} is separated from the ${follower.kind} after it`).toBe(page);
    // And it is never the last row of its page.
    const last = layout.pages[page]!.rows[layout.pages[page]!.rows.length - 1]!;
    expect(last.group).not.toBe(gi);
  });
}

/** The contents' numbers are the pages where sections and plays start; each section starts a page. */
function checkContents(layout: PlaybookLayout, pb: Playbook): void {
  const rows = rowsInOrder(layout);
  const starts = rows.filter((r) => r.kind === 'section-title' || r.kind === 'play-title');
  expect(layout.toc.map((t) => t.title)).toEqual(pb.sections.flatMap((s) => [s.title, ...s.plays.map((p) => p.title)]));
  expect(starts.map((r) => r.page + 1)).toEqual(layout.toc.map((t) => t.page));
  for (const r of starts.filter((s) => s.kind === 'section-title')) expect(layout.pages[r.page]!.rows[0]!.seq).toBe(r.seq);
  // The printed number of each entry (the last text of its row).
  const printed = rows
    .filter((r) => r.kind === 'contents-entry')
    .map((r) => {
      const texts = r.items.filter((it) => it.type === 'text');
      const last = texts[texts.length - 1]!;
      return last.type === 'text' ? Number(last.layout.lines.map((l) => l.text).join('')) : NaN;
    });
  expect(printed).toEqual(layout.toc.map((t) => t.page));
}

/** Footers say "Page N of M" with M the page count; the cover has none. */
function checkFooters(layout: PlaybookLayout): void {
  const m = layout.pages.length;
  expect(layout.pages[0]!.footer).toBeUndefined();
  layout.pages.slice(1).forEach((p, i) => {
    expect(p.footer).toMatch(new RegExp(`Page ${i + 2} of ${m}$`));
    expect(p.footer).toContain(PARTNER.name);
  });
}

/** A step stays on one page unless it (with the headings that must stay with it) cannot fit on one. */
function checkSteps(layout: PlaybookLayout): void {
  const rows = rowsInOrder(layout);
  layout.groups.forEach((g, gi) => {
    if (g.kind !== 'step' && g.kind !== 'image' && g.kind !== 'template') return;
    const pages = new Set(rows.filter((r) => r.group === gi).map((r) => r.page));
    if (pages.size <= 1) return;
    let chain = 0;
    for (let k = gi - 1; k >= 0 && layout.groups[k]!.heading; k--) chain += layout.groups[k]!.height + layout.groups[k]!.spaceBefore;
    expect(Math.max(g.height + g.header, chain + g.spaceBefore + g.height), `a ${g.kind} of ${g.height} pt was split`).toBeGreaterThan(layout.body.h);
  });
}

/** Text rows of paragraphs and list items are single lines (a page break never cuts a line). */
function checkLines(layout: PlaybookLayout): void {
  for (const r of rowsInOrder(layout)) {
    if (r.kind !== 'paragraph' && r.kind !== 'list-item') continue;
    for (const it of r.items) if (it.type === 'text') expect(it.layout.lines.length).toBe(1);
  }
}

function checkAll(layout: PlaybookLayout, pb: Playbook): void {
  checkBoxes(layout);
  checkHeadings(layout);
  checkContents(layout, pb);
  checkFooters(layout);
  checkSteps(layout);
  checkLines(layout);
  const seqs = rowsInOrder(layout).map((r) => r.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
}

// ---------------------------------------------------------------------------
// Generated playbooks.

const WORDS = ['backup', 'restore', 'the', 'partner', 'ransomware', 'readiness', 'check', 'a', 'of', 'tested', 'NimbusVault', 'week', '3-2-1', 'offline', 'copy', 'insurer'];
const word = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 2, arbitrary: fc.constantFrom(...WORDS).map((w) => `**${w}**`) },
  { weight: 2, arbitrary: fc.constantFrom(...WORDS).map((w) => `*${w}*`) },
  { weight: 1, arbitrary: fc.constantFrom(...WORDS).map((w) => `[${w} guide](https://partners.example.com/${w})`) },
  // Longer than any line: must break inside.
  { weight: 1, arbitrary: fc.integer({ min: 40, max: 160 }).map((n) => 'x'.repeat(n)) },
);
/** Up to `max` words, cut to `chars` characters (the schema's limit). */
const text = (max: number, chars = 20_000, min = 1) => fc.array(word, { minLength: min, maxLength: max }).map((ws) => ws.join(' ').slice(0, chars).trim() || 'text');
const title = text(12, 190);
const block = fc.oneof(
  { weight: 3, arbitrary: title.map((t) => ({ kind: 'heading' as const, text: t })) },
  { weight: 4, arbitrary: text(60).map((t) => ({ kind: 'paragraph' as const, text: t })) },
  // Long enough to break across pages.
  { weight: 1, arbitrary: text(700, 20_000, 150).map((t) => ({ kind: 'paragraph' as const, text: t })) },
  { weight: 3, arbitrary: fc.record({ ordered: fc.boolean(), items: fc.array(text(40), { minLength: 1, maxLength: 30 }) }).map((l) => ({ kind: 'list' as const, ...l })) },
  { weight: 1, arbitrary: fc.record({ asset: fc.constantFrom('sha256:wide', 'sha256:tall'), caption: fc.option(text(20, 300), { nil: undefined }) }).map((i) => ({ kind: 'image' as const, alt: 'Picture', ...i })) },
  { weight: 1, arbitrary: fc.record({ template: fc.constantFrom('one-pager', 'banner', 'unnamed'), note: text(30, 500) }).map((t) => ({ kind: 'template' as const, ...t })) },
);
const step = fc.record({
  title,
  // Now and then a step longer than a page.
  detail: fc.oneof({ weight: 6, arbitrary: text(80) }, { weight: 1, arbitrary: fc.constant('') }, { weight: 1, arbitrary: text(1200, 20_000, 500).map((t) => `${t} ${t}`.slice(0, 20_000)) }),
  owner: text(4, 120),
  timing: fc.constantFrom('Week 1', 'Day 3–5', 'Within 2 days of the readiness check'),
  template: fc.option(fc.constantFrom('one-pager', 'banner'), { nil: undefined }),
});
const play = fc.record({ title, summary: fc.oneof(fc.constant(''), text(40, 2000)), steps: fc.array(step, { minLength: 1, maxLength: 12 }) });
const section = fc.oneof(
  fc.record({ title, kind: fc.constant('overview' as const), blocks: fc.array(block, { minLength: 1, maxLength: 22 }), plays: fc.constant([]) }),
  fc.record({ title, kind: fc.constant('plays' as const), blocks: fc.array(block, { maxLength: 3 }), plays: fc.array(play, { minLength: 1, maxLength: 3 }) }),
);
const playbookArb = fc.array(section, { minLength: 1, maxLength: 5 }).map((sections) => {
  let n = 0;
  const input: PlaybookInput = {
    format: 'lockup.playbook',
    formatVersion: 1,
    id: 'generated',
    version: 1,
    brand: 'nimbus',
    name: 'Generated playbook',
    summary: 'A playbook made up by fast-check.',
    sections: sections.map((s, si) => ({
      id: `s${si}`,
      title: s.title,
      kind: s.kind,
      blocks: s.blocks,
      plays: s.plays.map((p, pi) => ({ id: `s${si}p${pi}`, title: p.title, summary: p.summary, steps: p.steps.map((st) => ({ id: `step${n++}`, ...st })) })),
    })),
  };
  return parsePlaybook(input);
});

describe('layoutPlaybook (properties over generated playbooks)', () => {
  it('keeps everything in the body, no orphan headings, true contents page numbers, steps whole, "Page N of M"', () => {
    fc.assert(
      fc.property(playbookArb, (pb) => {
        const layout = layoutPlaybook(pb, kit, { partner: PARTNER, templateNames: TEMPLATES });
        checkAll(layout, pb);
      }),
      { numRuns: 30, seed: 7_2026 },
    );
  });

  it('holds on an A4 page too', () => {
    fc.assert(
      fc.property(playbookArb, (pb) => {
        const layout = layoutPlaybook(pb, kit, { partner: PARTNER, templateNames: TEMPLATES, page: { width: 595.28, height: 841.89 } });
        expect(layout.width).toBeCloseTo(595.28);
        checkAll(layout, pb);
      }),
      { numRuns: 10, seed: 11 },
    );
  });
});

// ---------------------------------------------------------------------------
// One real playbook, written.

const LONG = 'Partners who run the readiness check before proposing close faster, because the customer has seen the gap with their own eyes. ';
const fixture = parsePlaybook({
  format: 'lockup.playbook',
  formatVersion: 1,
  id: 'launch',
  version: 3,
  brand: 'nimbus',
  name: 'NimbusVault ransomware-readiness campaign',
  summary: 'A six-week campaign to win businesses that have backups but no tested recovery.',
  sections: [
    {
      id: 'overview',
      title: 'Overview',
      kind: 'overview',
      blocks: [
        { kind: 'paragraph', text: 'Most small businesses **have** backups. Very few have *restored* from them. Read the [program guide](https://partners.example.com/nimbus/program) first.' },
        { kind: 'image', asset: 'sha256:wide', alt: 'A vault', caption: 'The campaign hero image.' },
        { kind: 'heading', text: 'Goals for the six weeks' },
        { kind: 'list', ordered: true, items: ['Book **20 readiness checks**.', 'Turn one in four into a proposal.', 'Log every activity.'] },
        { kind: 'template', template: 'one-pager', note: 'Leave this behind after every first meeting.' },
      ],
    },
    {
      id: 'plays',
      title: 'Plays',
      kind: 'plays',
      blocks: [{ kind: 'paragraph', text: 'Run the plays in order.' }],
      plays: [
        {
          id: 'check',
          title: 'The recovery readiness check',
          summary: 'Open with a free check.',
          steps: Array.from({ length: 8 }, (_, i) => ({ id: `c${i}`, title: `Check step ${i + 1}`, detail: LONG.repeat(1 + (i % 3)), owner: 'Partner account executive', timing: `Week ${i + 1}`, ...(i % 2 === 0 ? { template: 'banner' } : {}) })),
        },
        {
          id: 'proposal',
          title: 'From findings to a proposal',
          steps: Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, title: `Proposal step ${i + 1}`, detail: LONG.repeat(2), owner: 'Partner systems engineer', timing: 'Day 3–5' })),
        },
      ],
    },
    { id: 'objections', title: 'Objection handling', kind: 'objections', blocks: Array.from({ length: 12 }, () => ({ kind: 'paragraph' as const, text: LONG.repeat(4) })) },
  ],
});

const input = (over: Partial<PlaybookPdfInput> = {}): PlaybookPdfInput => ({ playbook: fixture, brand, asset, partner: PARTNER, templateNames: TEMPLATES, date: DATE, ...over });

describe('playbookPdf', () => {
  let out: Awaited<ReturnType<typeof playbookPdf>>;
  let file: string;

  beforeAll(async () => {
    out = await playbookPdf(input());
    file = join(tempDir('lockup-playbook-'), 'playbook.pdf');
    writeFileSync(file, out.bytes);
  });

  it('is a clean PDF (qpdf --check) with the brand fonts embedded as subsets', () => {
    const check = qpdfCheck(file);
    expect(check.status).toBe(0);
    expect(check.stderr).toBe('');
    expect(check.stdout).toContain('No syntax or stream encoding errors found');
    const fonts = pdfFonts(file);
    expect(fonts.length).toBeGreaterThanOrEqual(3); // regular, bold, italic
    for (const f of fonts) expect(f).toMatchObject({ embedded: true, subset: true, unicode: true });
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(expect.arrayContaining(['Lato-Bold', 'Lato-Italic', 'Lato-Regular']));
  });

  it('says what the layout says: cover, contents with the right numbers, sections, steps and footers', () => {
    checkAll(out.layout, fixture);
    expect(out.pages).toBe(out.layout.pages.length);
    expect(out.pages).toBeGreaterThan(5);
    const cover = pdfText(file, 1);
    expect(cover).toContain(PARTNER.name);
    expect(cover).toContain('hello@harbor-it.example');
    expect(cover).toMatch(/NimbusVault\s+ransomware-readiness\s+campaign/);
    expect(cover).toContain('PREPARED FOR');
    expect(cover).not.toMatch(/Page \d+ of/);
    const all = pdfText(file);
    for (const t of ['Overview', 'Plays', 'Objection handling', 'Goals for the six weeks', 'Check step 1', 'Check step 8', 'Proposal step 6', 'Use: Product one-pager (Letter)', 'Use: Email banner', 'OWNER', 'TIMING']) expect(all).toContain(t);
    expect(all).toContain(`Page 3 of ${out.pages}`);
    for (let n = 2; n <= out.pages; n++) expect(pdfText(file, n)).toContain(`Page ${n} of ${out.pages}`);
    // The contents page (-layout keeps each entry on one line with its number).
    const contents = pdfText(file, 2);
    for (const t of out.layout.toc) {
      expect(contents).toContain(t.title);
      expect(pdfText(file, t.page)).toContain(t.title);
    }
    const layoutText = pdfTextLayout(file, 2);
    for (const t of out.layout.toc) expect(layoutText).toMatch(new RegExp(`${t.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+${t.page}\\s*$`, 'm'));
    expect(out.layout.toc.find((t) => t.title === 'Overview')!.page).toBe(3);
  });

  it('has link annotations to the URL, contents links to the sections, and bookmarks', async () => {
    const doc = await PDFDocument.load(out.bytes, { updateMetadata: false });
    const uris: string[] = [];
    let internal = 0;
    for (const page of doc.getPages()) {
      const annots = page.node.lookup(PDFName.of('Annots'));
      if (!(annots instanceof PDFArray)) continue;
      for (const ref of annots.asArray()) {
        const a = doc.context.lookup(ref) as PDFDict;
        const action = a.lookup(PDFName.of('A'));
        if (action instanceof PDFDict) {
          const uri = action.lookup(PDFName.of('URI'));
          if (uri instanceof PDFHexString || uri instanceof PDFString) uris.push(uri.decodeText());
        } else if (a.lookup(PDFName.of('Dest')) instanceof PDFArray) internal++;
      }
    }
    expect(uris).toContain('https://partners.example.com/nimbus/program');
    expect(internal).toBe(out.layout.toc.length);
    const outlines = doc.catalog.lookup(PDFName.of('Outlines')) as PDFDict;
    const first = outlines.lookup(PDFName.of('First')) as PDFDict;
    expect((first.lookup(PDFName.of('Title')) as PDFHexString).decodeText()).toBe('Overview');
    expect(outlines.lookup(PDFName.of('Count'))?.toString()).toBe(String(out.layout.toc.length));
  });

  it('is reproducible: the same input gives the same bytes', async () => {
    const again = await playbookPdf(input());
    expect(firstDifference(again.bytes, out.bytes)).toBe(-1);
    const otherDay = await playbookPdf(input({ date: new Date('2026-11-27T10:00:00Z') }));
    expect(firstDifference(otherDay.bytes, out.bytes)).not.toBe(-1);
  });

  it('names a missing asset', async () => {
    const err = await playbookPdf(input({ partner: { ...PARTNER, logo: 'sha256:nowhere' } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockupError);
    expect(err).toMatchObject({ code: 'asset-missing', details: { ref: 'sha256:nowhere' } });
    expect((err as Error).message).toContain('sha256:nowhere');
  });

  it('works without a partner logo, and refuses characters no brand font has', async () => {
    const noLogo = layoutPlaybook(fixture, { ...kit, partnerLogo: undefined }, { partner: { name: 'Solo', contact: [] }, templateNames: {} });
    checkBoxes(noLogo);
    expect(() => layoutPlaybook(fixture, kit, { partner: { name: 'Partner \u{1F680}\u4E2D', contact: [] }, templateNames: {} })).toThrow(/U\+4E2D/);
  });
});

describe('pickFaces', () => {
  it('uses the brand italic when there is one, else the upright regular face', () => {
    expect(pickFaces(brand)).toMatchObject({ regular: { id: 'lato-regular' }, bold: { id: 'lato-bold' }, italic: { id: 'lato-italic' }, boldItalic: { id: 'lato-bold' } });
    const noItalic = { ...brand, fonts: brand.fonts.filter((f) => f.style !== 'italic') };
    expect(pickFaces(noItalic)).toMatchObject({ italic: { id: 'lato-regular' }, boldItalic: { id: 'lato-bold' } });
  });
});

/** `pdftotext -layout` of one page: keeps a contents entry and its page number on one line. */
function pdfTextLayout(file: string, page: number): string {
  const r = spawnSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}
