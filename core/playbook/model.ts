import { z } from 'zod';
import { LockupError } from '../errors.ts';
import { AccessPolicy, Id } from '../model/access.ts';
import { AssetRef } from '../model/product.ts';
import { parseOrThrow } from '../model/validate.ts';

/**
 * Playbooks (issue #7): multi-section co-brandable guides a vendor writes
 * in the app and ships in its pack. A playbook is plain versioned JSON:
 * sections of blocks (headings, paragraphs, lists, images, links to the
 * collateral templates to use), and in "plays" sections, plays made of
 * steps with an owner and a timing that a partner ticks off.
 *
 * Text is stored with a small inline markup (docs/decisions/0023):
 * `**bold**`, `*italic*` and `[label](https://…)`; `parseInline` turns it
 * into runs for the reading view and the PDF. Unmatched markers stay
 * literal text; a link may only point at http(s) or mailto.
 */
export const PLAYBOOK_FORMAT = 'lockup.playbook';
export const PLAYBOOK_FORMAT_VERSION = 1;

export const SECTION_KINDS = ['overview', 'target-customer', 'plays', 'talk-tracks', 'objections', 'email-copy', 'social-copy', 'custom'] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

export const SECTION_KIND_NAMES: Record<SectionKind, string> = {
  overview: 'Overview',
  'target-customer': 'Target customer',
  plays: 'Plays',
  'talk-tracks': 'Talk tracks',
  objections: 'Objection handling',
  'email-copy': 'Email copy',
  'social-copy': 'Social copy',
  custom: 'Other',
};

/** Inline-marked text (see parseInline). */
const Inline = z.string().min(1).max(20_000);

export const PlaybookBlock = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('heading'), text: z.string().min(1).max(200) }).strict(),
  z.object({ kind: z.literal('paragraph'), text: Inline }).strict(),
  z.object({ kind: z.literal('list'), ordered: z.boolean().default(false), items: z.array(Inline).min(1).max(200) }).strict(),
  z
    .object({
      kind: z.literal('image'),
      /** A `sha256:` asset ref in the catalogue and packs; a file path relative to the playbook file in a content folder. */
      asset: AssetRef,
      alt: z.string().min(1).max(300),
      caption: z.string().max(300).optional(),
    })
    .strict(),
  /** "Use this collateral here": a link to one of the brand's templates. */
  z.object({ kind: z.literal('template'), template: Id, note: z.string().max(500).default('') }).strict(),
]);
export type PlaybookBlock = z.infer<typeof PlaybookBlock>;
export type PlaybookBlockInput = z.input<typeof PlaybookBlock>;

export const PlayStep = z
  .object({
    /** Unique in the whole playbook: a partner's progress is kept by step id. */
    id: Id,
    title: z.string().min(1).max(200),
    detail: z.string().max(20_000).default(''),
    /** Who does it, e.g. "Partner account executive". */
    owner: z.string().min(1).max(120),
    /** When, e.g. "Week 1" or "Day 3–5". */
    timing: z.string().min(1).max(120),
    /** The collateral template to use at this step. */
    template: Id.optional(),
  })
  .strict();
export type PlayStep = z.infer<typeof PlayStep>;

export const Play = z
  .object({
    id: Id,
    title: z.string().min(1).max(200),
    summary: z.string().max(2000).default(''),
    steps: z.array(PlayStep).min(1).max(100),
  })
  .strict();
export type Play = z.infer<typeof Play>;

export const PlaybookSection = z
  .object({
    id: Id,
    title: z.string().min(1).max(200),
    kind: z.enum(SECTION_KINDS),
    blocks: z.array(PlaybookBlock).max(500).default([]),
    /** Plays, in sections of kind "plays" only. */
    plays: z.array(Play).max(100).default([]),
  })
  .strict();
export type PlaybookSection = z.infer<typeof PlaybookSection>;

export const Playbook = z
  .object({
    format: z.literal(PLAYBOOK_FORMAT),
    formatVersion: z.literal(PLAYBOOK_FORMAT_VERSION),
    id: Id,
    version: z.number().int().min(1),
    brand: Id,
    name: z.string().min(1).max(120),
    summary: z.string().max(1000).default(''),
    /** Who may open it: the same policies templates use. */
    access: AccessPolicy.optional(),
    sections: z.array(PlaybookSection).min(1).max(100),
  })
  .strict()
  .superRefine((pb, ctx) => {
    const seen = (what: string) => {
      const ids = new Set<string>();
      return (id: string, path: PropertyKey[]) => {
        if (ids.has(id)) ctx.addIssue({ code: 'custom', path, message: `duplicate ${what} id "${id}"` });
        ids.add(id);
      };
    };
    const section = seen('section');
    const play = seen('play');
    const step = seen('step');
    const links = (text: string, path: PropertyKey[]) => {
      for (const run of parseInline(text)) {
        if (run.href !== undefined && !isAllowedHref(run.href)) ctx.addIssue({ code: 'custom', path, message: `link "${run.href}" is not an http(s) or mailto address` });
      }
    };
    pb.sections.forEach((s, si) => {
      section(s.id, ['sections', si, 'id']);
      if (s.kind !== 'plays' && s.plays.length > 0) ctx.addIssue({ code: 'custom', path: ['sections', si, 'plays'], message: `only a "plays" section holds plays (this one is "${s.kind}")` });
      if (s.blocks.length === 0 && s.plays.length === 0) ctx.addIssue({ code: 'custom', path: ['sections', si], message: `section "${s.title}" is empty` });
      s.blocks.forEach((b, bi) => {
        const at = ['sections', si, 'blocks', bi];
        if (b.kind === 'paragraph') links(b.text, [...at, 'text']);
        if (b.kind === 'list') b.items.forEach((item, ii) => links(item, [...at, 'items', ii]));
      });
      s.plays.forEach((p, pi) => {
        play(p.id, ['sections', si, 'plays', pi, 'id']);
        p.steps.forEach((st, ti) => {
          step(st.id, ['sections', si, 'plays', pi, 'steps', ti, 'id']);
          links(st.detail, ['sections', si, 'plays', pi, 'steps', ti, 'detail']);
        });
      });
    });
  });
export type Playbook = z.infer<typeof Playbook>;
export type PlaybookInput = z.input<typeof Playbook>;

export function parsePlaybook(data: unknown): Playbook {
  return parseOrThrow(Playbook, data, 'playbook-invalid', 'Playbook');
}

/** One run of inline text. */
export interface InlineRun {
  text: string;
  bold?: true;
  italic?: true;
  href?: string;
}

export function isAllowedHref(href: string): boolean {
  return /^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i.test(href);
}

/**
 * Parses inline markup: `**bold**`, `*italic*` (nestable inside each
 * other) and `[label](href)`; `\*`, `\[` and `\\` escape. Anything
 * unmatched stays literal, so every string parses. Adjacent runs with the
 * same style are merged; no run is empty.
 */
export function parseInline(text: string): InlineRun[] {
  const out: InlineRun[] = [];
  const push = (t: string, style: Omit<InlineRun, 'text'>) => {
    if (t === '') return;
    const last = out[out.length - 1];
    if (last && last.bold === style.bold && last.italic === style.italic && last.href === style.href) last.text += t;
    else out.push({ text: t, ...style });
  };
  const walk = (s: string, style: Omit<InlineRun, 'text'>, allowLinks: boolean) => {
    let buf = '';
    let i = 0;
    const flush = () => {
      push(buf, style);
      buf = '';
    };
    while (i < s.length) {
      const c = s[i]!;
      if (c === '\\' && i + 1 < s.length && '*[]\\()'.includes(s[i + 1]!)) {
        buf += s[i + 1];
        i += 2;
        continue;
      }
      if (c === '*' && s[i + 1] === '*' && !style.bold) {
        const end = findClose(s, i + 2, '**');
        if (end > i + 2) {
          flush();
          walk(s.slice(i + 2, end), { ...style, bold: true }, allowLinks);
          i = end + 2;
          continue;
        }
      }
      if (c === '*' && s[i + 1] !== '*' && !style.italic) {
        const end = findClose(s, i + 1, '*');
        if (end > i + 1) {
          flush();
          walk(s.slice(i + 1, end), { ...style, italic: true }, allowLinks);
          i = end + 1;
          continue;
        }
      }
      if (c === '[' && allowLinks) {
        const m = /^\[([^\]\n]+)\]\(([^)\s]+)\)/.exec(s.slice(i));
        if (m) {
          flush();
          walk(m[1]!, { ...style, href: m[2]! }, false);
          i += m[0].length;
          continue;
        }
      }
      buf += c;
      i++;
    }
    flush();
  };
  walk(text, {}, true);
  return out.map((r) => {
    const run: InlineRun = { text: r.text };
    if (r.bold) run.bold = true;
    if (r.italic) run.italic = true;
    if (r.href !== undefined) run.href = r.href;
    return run;
  });
}

/** The next unescaped `marker` at or after `from` (a lone `*` must not be the start of `**`), or -1. */
function findClose(s: string, from: number, marker: '*' | '**'): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (marker === '**' && s.startsWith('**', i)) return i;
    if (marker === '*' && s[i] === '*') {
      if (s[i + 1] === '*') {
        // A bold pair inside italic text: skip to its end.
        const end = findClose(s, i + 2, '**');
        if (end < 0) return -1;
        i = end + 1;
        continue;
      }
      return i;
    }
  }
  return -1;
}

/** The plain text of inline markup (for search, alt text and the PDF's text checks). */
export const plainText = (text: string) =>
  parseInline(text)
    .map((r) => r.text)
    .join('');

/** Every asset a playbook's image blocks refer to. */
export function playbookAssetRefs(pb: Playbook): string[] {
  return [...new Set(pb.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'image' ? [b.asset] : []))))];
}

/** Every template a playbook links to (blocks and steps). */
export function playbookTemplateRefs(pb: Playbook): string[] {
  const out = new Set<string>();
  for (const s of pb.sections) {
    for (const b of s.blocks) if (b.kind === 'template') out.add(b.template);
    for (const p of s.plays) for (const st of p.steps) if (st.template) out.add(st.template);
  }
  return [...out];
}

/** Every step id of a playbook, by play. */
export function playSteps(pb: Playbook): { play: Play; section: PlaybookSection }[] {
  return pb.sections.flatMap((section) => section.plays.map((play) => ({ play, section })));
}

/** Throws playbook-invalid when a step or block links to a template the brand does not have. */
export function checkPlaybookTemplates(pb: Playbook, templateIds: ReadonlySet<string>): void {
  const missing = playbookTemplateRefs(pb).filter((t) => !templateIds.has(t));
  if (missing.length > 0) throw new LockupError('playbook-invalid', `Playbook "${pb.name}" links to template${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}, which the brand does not have`, { missing });
}
