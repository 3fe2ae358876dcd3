import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, PDFStream, type PDFDocument, type PDFObject } from 'pdf-lib';
import type { Inflate } from '../util/inflate.ts';
import { decodeStream } from './attachments.ts';

/**
 * Structural comparison of two PDFs written by Lockup's writer: every
 * indirect object by number, streams compared *decoded* (so two deflate
 * implementations that compress the same content differently still compare
 * equal), and the trailer's Root, Info and ID. `expected` is the trusted
 * re-render; the role of each differing object is read from it.
 */

export type ObjectRole =
  | { kind: 'content'; page: number; stream: number }
  | { kind: 'page'; page: number }
  | { kind: 'image'; page: number; name: string }
  | { kind: 'font'; name: string }
  | { kind: 'attachment'; name: string }
  | { kind: 'xmp' }
  | { kind: 'info' }
  | { kind: 'catalog' }
  | { kind: 'other' };

export interface ObjectDifference {
  objectNumber: number;
  change: 'changed' | 'missing' | 'extra';
  role: ObjectRole;
  /** For changed streams: the first differing byte of the decoded content, and the expected decoded content. */
  firstDifference?: number;
  expectedContent?: Uint8Array;
}

export interface Comparison {
  same: boolean;
  differences: ObjectDifference[];
  /** Differences in the trailer (Root, Info, ID). */
  trailer: string[];
}

/** A role for every object the expected document's structure names. */
export function objectRoles(doc: PDFDocument): Map<number, ObjectRole> {
  const roles = new Map<number, ObjectRole>();
  const ctx = doc.context;
  const mark = (obj: PDFObject | undefined, role: ObjectRole) => {
    if (obj instanceof PDFRef && !roles.has(obj.objectNumber)) roles.set(obj.objectNumber, role);
  };
  const root = ctx.trailerInfo.Root;
  if (root instanceof PDFRef) mark(root, { kind: 'catalog' });
  const info = ctx.trailerInfo.Info;
  if (info instanceof PDFRef) mark(info, { kind: 'info' });
  mark(doc.catalog.get(PDFName.of('Metadata')), { kind: 'xmp' });
  doc.getPages().forEach((page, i) => {
    const n = i + 1;
    mark(page.ref, { kind: 'page', page: n });
    const contents = page.node.get(PDFName.of('Contents'));
    const list = contents instanceof PDFRef ? ctx.lookup(contents) : contents;
    if (list instanceof PDFArray) list.asArray().forEach((ref, k) => mark(ref, { kind: 'content', page: n, stream: k + 1 }));
    else mark(contents, { kind: 'content', page: n, stream: 1 });
    const res = page.node.Resources();
    const xobjects = res?.lookup(PDFName.of('XObject'));
    if (xobjects instanceof PDFDict) for (const [name, ref] of xobjects.entries()) mark(ref, { kind: 'image', page: n, name: name.decodeText() });
    const fonts = res?.lookup(PDFName.of('Font'));
    if (fonts instanceof PDFDict) for (const [name, ref] of fonts.entries()) mark(ref, { kind: 'font', name: name.decodeText() });
  });
  const names = doc.catalog.lookup(PDFName.of('Names'));
  const tree = names instanceof PDFDict ? names.lookup(PDFName.of('EmbeddedFiles')) : undefined;
  const list = tree instanceof PDFDict ? tree.lookup(PDFName.of('Names')) : undefined;
  if (list instanceof PDFArray) {
    const items = list.asArray();
    for (let i = 0; i + 1 < items.length; i += 2) {
      const key = ctx.lookup(items[i]!);
      const name = key && 'decodeText' in key ? (key as { decodeText(): string }).decodeText() : '?';
      mark(items[i + 1], { kind: 'attachment', name });
      const spec = ctx.lookup(items[i + 1]!);
      const ef = spec instanceof PDFDict ? spec.lookup(PDFName.of('EF')) : undefined;
      if (ef instanceof PDFDict) mark(ef.get(PDFName.of('F')), { kind: 'attachment', name });
    }
  }
  return roles;
}

function dictKey(dict: PDFDict): string {
  return dict
    .entries()
    .filter(([k]) => k !== PDFName.of('Length'))
    .map(([k, v]) => `${k.toString()} ${v.toString()}`)
    .join(' ');
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function decoded(stream: PDFStream, inflate: Inflate, maxBytes: number): Uint8Array | undefined {
  try {
    return decodeStream(stream, inflate, maxBytes);
  } catch {
    // Undecodable, or a filter Lockup never writes: compare the raw bytes instead.
    return stream instanceof PDFRawStream ? undefined : stream.getContents();
  }
}

/** Compares `actual` (the file being verified) with `expected` (the re-render). */
export function compareDocuments(actual: PDFDocument, expected: PDFDocument, inflate: Inflate, maxStreamBytes = 64 * 1024 * 1024): Comparison {
  const roles = objectRoles(expected);
  const role = (n: number): ObjectRole => roles.get(n) ?? { kind: 'other' };
  const a = new Map(actual.context.enumerateIndirectObjects().map(([ref, obj]) => [ref.objectNumber, obj] as const));
  const b = new Map(expected.context.enumerateIndirectObjects().map(([ref, obj]) => [ref.objectNumber, obj] as const));
  const differences: ObjectDifference[] = [];
  for (const [n, want] of b) {
    const got = a.get(n);
    if (!got) {
      differences.push({ objectNumber: n, change: 'missing', role: role(n) });
      continue;
    }
    if (want instanceof PDFStream) {
      if (!(got instanceof PDFStream) || dictKey(got.dict) !== dictKey(want.dict)) {
        differences.push({ objectNumber: n, change: 'changed', role: role(n) });
        continue;
      }
      const wantBytes = decoded(want, inflate, maxStreamBytes) ?? (want as PDFRawStream).contents;
      const gotBytes = decoded(got, inflate, maxStreamBytes) ?? (got instanceof PDFRawStream ? got.contents : new Uint8Array());
      const at = firstDifference(gotBytes, wantBytes);
      if (at >= 0) differences.push({ objectNumber: n, change: 'changed', role: role(n), firstDifference: at, expectedContent: wantBytes });
    } else if (got instanceof PDFStream || got.toString() !== want.toString()) {
      differences.push({ objectNumber: n, change: 'changed', role: role(n) });
    }
  }
  for (const n of a.keys()) if (!b.has(n)) differences.push({ objectNumber: n, change: 'extra', role: { kind: 'other' } });
  differences.sort((x, y) => x.objectNumber - y.objectNumber);
  const trailer: string[] = [];
  for (const key of ['Root', 'Info', 'ID'] as const) {
    const x = actual.context.trailerInfo[key];
    const y = expected.context.trailerInfo[key];
    if (String(x ?? '') !== String(y ?? '')) trailer.push(key);
  }
  return { same: differences.length === 0 && trailer.length === 0, differences, trailer };
}
