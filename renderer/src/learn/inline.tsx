import type { ReactNode } from 'react';
import { isAllowedHref, parseInline, type InlineRun } from '../../../core/playbook/model.ts';

/**
 * Inline markup (`**bold**`, `*italic*`, `[label](https://…)`) as React
 * elements, built from `parseInline`'s runs: text is never handed to the DOM
 * as HTML. A link whose address is not http(s) or mailto (the model refuses
 * those on save; a live preview may still show one) stays plain text.
 */
function Run({ run }: { run: InlineRun }) {
  let node: ReactNode = run.text;
  if (run.italic) node = <em>{node}</em>;
  if (run.bold) node = <strong>{node}</strong>;
  if (run.href === undefined) return node;
  if (!isAllowedHref(run.href)) {
    return (
      <span className="bad-link" title={`Not a link: only http(s) and mailto addresses (${run.href})`}>
        {node}
      </span>
    );
  }
  return (
    <a href={run.href} target="_blank" rel="noreferrer">
      {node}
    </a>
  );
}

export function InlineText({ text }: { text: string }) {
  return (
    <>
      {parseInline(text).map((run, i) => (
        <Run key={i} run={run} />
      ))}
    </>
  );
}

type LessonBlock = { kind: 'p'; text: string } | { kind: 'ul' | 'ol'; items: string[] };

/**
 * A lesson body's light markdown: paragraphs separated by blank lines,
 * "- " bullet lines and "1. " numbered lines, inline emphasis and links.
 * Lines of one paragraph are joined with a space.
 */
export function lessonBlocks(body: string): LessonBlock[] {
  const out: LessonBlock[] = [];
  for (const chunk of body.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    let para: string[] = [];
    let list: { kind: 'ul' | 'ol'; items: string[] } | undefined;
    const flushPara = () => {
      if (para.length > 0) out.push({ kind: 'p', text: para.join(' ') });
      para = [];
    };
    const flushList = () => {
      if (list) out.push(list);
      list = undefined;
    };
    for (const raw of chunk.split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      const bullet = /^-\s+(.*)$/.exec(line);
      const numbered = /^\d+[.)]\s+(.*)$/.exec(line);
      const item = bullet ?? numbered;
      if (item) {
        const kind = bullet ? 'ul' : 'ol';
        flushPara();
        if (list?.kind !== kind) flushList();
        list ??= { kind, items: [] };
        list.items.push(item[1]!);
      } else if (list && /^\s/.test(raw)) {
        // An indented line continues the list item above it.
        list.items[list.items.length - 1] += ` ${line}`;
      } else {
        flushList();
        para.push(line);
      }
    }
    flushPara();
    flushList();
  }
  return out;
}

export function LessonBody({ body }: { body: string }) {
  return (
    <div className="lesson-body">
      {lessonBlocks(body).map((b, i) => {
        if (b.kind === 'p') {
          return (
            <p key={i}>
              <InlineText text={b.text} />
            </p>
          );
        }
        const List = b.kind;
        return (
          <List key={i}>
            {b.items.map((item, j) => (
              <li key={j}>
                <InlineText text={item} />
              </li>
            ))}
          </List>
        );
      })}
    </div>
  );
}
