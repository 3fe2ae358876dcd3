import { LockupError } from '../../errors.ts';
import { decodeSvgText, parseXml, type XmlElement } from './xml.ts';

/** Elements kept in a sanitised SVG. Everything else is removed with its content. */
export const SVG_ELEMENTS = [
  'svg', 'g', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon',
  'defs', 'use', 'linearGradient', 'radialGradient', 'stop', 'clipPath', 'title', 'desc', 'symbol',
] as const;
export type SvgTag = (typeof SVG_ELEMENTS)[number];

/** Presentation properties: accepted as attributes, in `style=""` and in simple `<style>` rules. */
export const SVG_PROPERTIES = [
  'fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-linecap', 'stroke-linejoin',
  'stroke-miterlimit', 'stroke-dasharray', 'stroke-dashoffset', 'opacity', 'clip-path', 'clip-rule', 'display',
  'visibility', 'color', 'stop-color', 'stop-opacity',
] as const;

/** Geometry and structure attributes kept (besides the properties above). */
const GEOMETRY_ATTRIBUTES = new Set([
  'id', 'transform', 'd', 'x', 'y', 'width', 'height', 'rx', 'ry', 'cx', 'cy', 'r', 'fx', 'fy', 'x1', 'y1', 'x2', 'y2',
  'points', 'viewBox', 'preserveAspectRatio', 'href', 'gradientUnits', 'gradientTransform', 'spreadMethod', 'offset',
  'clipPathUnits',
]);
const PROPERTIES = new Set<string>(SVG_PROPERTIES);
const ELEMENTS = new Set<string>(SVG_ELEMENTS);
/** Namespace declarations and metadata attributes dropped without a report (they draw nothing and fetch nothing). */
const QUIET_ATTRIBUTES = /^(xmlns(:.*)?|version|baseProfile|xml:space|xml:lang|lang|class|data-.*|(inkscape|sodipodi|sketch|serif|i|x|graph|a):.*|enable-background|style)$/;
/** Editor metadata elements dropped without a report. */
const QUIET_ELEMENTS = /^(metadata|(sodipodi|inkscape|sketch|serif|i|x|graph|a|rdf|cc|dc):.*)$/;

export interface SvgNode {
  tag: SvgTag;
  /** Allow-listed attributes, with stylesheet and `style=""` properties folded in. */
  attrs: Record<string, string>;
  children: SvgNode[];
  /** Text of title/desc. */
  text?: string;
}

export interface SanitisedSvg {
  root: SvgNode;
  /** What was removed, for the UI: "script element", "onload attribute (×2)"… */
  removed: string[];
}

/** Anything that could make a renderer run code or fetch a resource. */
const DANGEROUS_VALUE = /javascript:|vbscript:|data:|file:|https?:|\/\/|@import|expression\s*\(/i;

class Removals {
  private readonly counts = new Map<string, number>();
  add(what: string): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
  }
  list(): string[] {
    return [...this.counts].map(([w, c]) => (c > 1 ? `${w} (×${c})` : w));
  }
}

interface CssRule {
  selector: { kind: 'class' | 'id' | 'tag'; value: string };
  decls: [string, string][];
  order: number;
  specificity: number;
}

/** Parses `a: b; c: d` keeping only presentation properties with safe values. */
function parseDeclarations(text: string, removals: Removals, where: string): [string, string][] {
  const out: [string, string][] = [];
  for (const part of text.split(';')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const prop = part.slice(0, colon).trim().toLowerCase();
    const value = part.slice(colon + 1).replace(/!important/i, '').trim();
    if (!prop || !value) continue;
    if (!PROPERTIES.has(prop)) {
      if (DANGEROUS_VALUE.test(value) || /url\s*\(/i.test(value)) removals.add(`${where} property "${prop}" with an external reference`);
      continue;
    }
    if (!safeValue(prop, value)) {
      removals.add(`${where} property "${prop}" with an external reference`);
      continue;
    }
    out.push([prop, value]);
  }
  return out;
}

/** A property value is safe when its only `url()` is a local `#id` reference and it has no markup or CSS punctuation. */
function safeValue(prop: string, value: string): boolean {
  const urls = [...value.matchAll(/url\s*\(([^)]*)\)/gi)];
  for (const u of urls) {
    const target = u[1]!.trim().replace(/^["']|["']$/g, '');
    if (!/^#[A-Za-z_][\w.-]*$/.test(target)) return false;
  }
  if (urls.length === 0 && /url\s*\(/i.test(value)) return false;
  const rest = value.replace(/url\s*\([^)]*\)/gi, '');
  return !DANGEROUS_VALUE.test(rest) && !/[<>\\"'=;{}]/.test(rest) && !/expression/i.test(rest);
}

/**
 * Reads `<style>` text. Only rules whose selectors are all a single class,
 * id or element name are applied; `@import`, `@font-face` and every other
 * at-rule, and rules with combinators or pseudo-classes, are removed.
 */
function parseStylesheet(css: string, removals: Removals, rules: CssRule[]): void {
  let text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  // At-rules: statements (@import …;) and blocks (@media … { … }).
  text = text.replace(/@([a-z-]+)[^;{]*(;|\{(?:[^{}]|\{[^{}]*\})*\})/gi, (_m, at: string) => {
    removals.add(at.toLowerCase() === 'import' ? 'stylesheet @import' : `stylesheet @${at.toLowerCase()} rule`);
    return '';
  });
  if (text.includes('@')) removals.add('stylesheet at-rule');
  for (const m of text.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const decls = parseDeclarations(m[2]!, removals, 'stylesheet');
    for (const raw of m[1]!.split(',')) {
      const sel = raw.trim();
      const parsed = /^\.([A-Za-z_][\w-]*)$/.exec(sel)
        ? { kind: 'class' as const, value: sel.slice(1), specificity: 10 }
        : /^#([A-Za-z_][\w-]*)$/.exec(sel)
          ? { kind: 'id' as const, value: sel.slice(1), specificity: 100 }
          : /^[A-Za-z][\w-]*$/.exec(sel)
            ? { kind: 'tag' as const, value: sel, specificity: 1 }
            : undefined;
      if (!parsed) {
        if (sel) removals.add('stylesheet rule with an unsupported selector');
        continue;
      }
      rules.push({ selector: { kind: parsed.kind, value: parsed.value }, decls, order: rules.length, specificity: parsed.specificity });
    }
  }
}

function textOf(el: XmlElement): string {
  return el.children.map((c) => ('text' in c ? c.text : '')).join('');
}

function refuse(name: string, reason: string): never {
  throw new LockupError('svg-refused', `"${name}" was refused: ${reason}`, { reason });
}

/**
 * Parses and sanitises an SVG logo. Refuses what cannot be made safe or
 * cannot be a logo (DOCTYPE/entities, processing instructions, limits,
 * malformed XML, a root that is not `<svg>`); removes the rest of what is
 * not allow-listed and says what it removed.
 */
export function sanitiseSvg(bytes: Uint8Array, name: string): SanitisedSvg {
  const xml = parseXml(decodeSvgText(bytes, name), name);
  if (xml.name !== 'svg' && xml.name !== 'svg:svg') refuse(name, `its root element is <${xml.name}>, not <svg>`);
  const removals = new Removals();

  // Stylesheets apply document-wide; read them all first.
  const rules: CssRule[] = [];
  const walkStyles = (el: XmlElement) => {
    for (const c of el.children) {
      if ('text' in c) continue;
      if (c.name === 'style') {
        const type = c.attrs.find(([k]) => k === 'type')?.[1];
        if (type !== undefined && type.trim() !== '' && type.trim().toLowerCase() !== 'text/css') removals.add('stylesheet of another language');
        else parseStylesheet(textOf(c), removals, rules);
      } else walkStyles(c);
    }
  };
  walkStyles(xml);
  rules.sort((a, b) => a.specificity - b.specificity || a.order - b.order);

  const convert = (el: XmlElement): SvgNode | undefined => {
    const tag = el.name.startsWith('svg:') ? el.name.slice(4) : el.name;
    if (tag === 'style') return undefined;
    if (!ELEMENTS.has(tag)) {
      if (!QUIET_ELEMENTS.test(tag)) removals.add(tag === 'text' || tag === 'tspan' ? `${tag} element (convert text to outlines)` : `${tag} element`);
      return undefined;
    }
    const attrs: Record<string, string> = {};
    let id: string | undefined;
    let classes: string[] = [];
    let inline = '';
    for (const [k, v] of el.attrs) {
      if (/^on/i.test(k)) {
        removals.add(`${k} attribute`);
        continue;
      }
      if (k === 'style') inline = v;
      if (k === 'class') classes = v.split(/\s+/).filter(Boolean);
      if (k === 'href' || k === 'xlink:href') {
        if (/^#[A-Za-z_][\w.:-]*$/.test(v.trim())) attrs['href'] = v.trim();
        else removals.add(/^\s*javascript:/i.test(v) ? 'javascript: link' : /^\s*file:/i.test(v) ? 'file reference' : /^\s*data:/i.test(v) ? 'embedded data reference' : 'external reference');
        continue;
      }
      if (QUIET_ATTRIBUTES.test(k)) continue;
      if (GEOMETRY_ATTRIBUTES.has(k)) {
        if (DANGEROUS_VALUE.test(v) && k !== 'd' && k !== 'points') {
          removals.add(`${k} attribute with an unsafe value`);
          continue;
        }
        if (k === 'id') {
          if (!/^[A-Za-z_][\w.:-]*$/.test(v)) {
            removals.add('id attribute with unusual characters');
            continue;
          }
          id = v;
        }
        // Path data and point lists are cut at the first character they cannot contain (drawing stops there too).
        attrs[k] = k === 'd' ? /^[MmLlHhVvCcSsQqTtAaZz0-9eE.,+\-\s]*/.exec(v)![0] : k === 'points' ? /^[0-9eE.,+\-\s]*/.exec(v)![0] : v;
        continue;
      }
      if (PROPERTIES.has(k)) {
        if (safeValue(k, v)) attrs[k] = v.trim();
        else removals.add(`${k} attribute with an external reference`);
        continue;
      }
      removals.add(DANGEROUS_VALUE.test(v) ? `${k} attribute with an unsafe value` : `${k} attribute`);
    }
    // Cascade: presentation attributes < stylesheet rules (by specificity, then order) < style="".
    for (const rule of rules) {
      const s = rule.selector;
      const hit = s.kind === 'class' ? classes.includes(s.value) : s.kind === 'id' ? id === s.value : s.value === tag;
      if (hit) for (const [p, v] of rule.decls) attrs[p] = v;
    }
    if (inline) for (const [p, v] of parseDeclarations(inline, removals, 'style')) attrs[p] = v;

    const node: SvgNode = { tag: tag as SvgTag, attrs, children: [] };
    if (tag === 'title' || tag === 'desc') {
      node.text = textOf(el).slice(0, 500);
      return node;
    }
    for (const c of el.children) {
      if ('text' in c) continue;
      const child = convert(c);
      if (child) node.children.push(child);
    }
    return node;
  };
  const root = convert({ ...xml, name: 'svg' })!;
  return { root, removed: removals.list() };
}

const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The sanitised model written back as SVG text: only allow-listed elements
 * and attributes, every value escaped. This, never the original file, is
 * what a browser is given to draw.
 */
export function serialiseSvg(svg: SanitisedSvg): string {
  const out: string[] = [];
  const write = (node: SvgNode, top: boolean) => {
    const attrs = Object.entries(node.attrs).map(([k, v]) => ` ${k === 'href' ? 'xlink:href' : k}="${escapeAttr(v)}"`);
    if (top) attrs.unshift(' xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"');
    out.push(`<${node.tag}${attrs.join('')}`);
    if (node.text !== undefined) out.push(`>${escapeAttr(node.text)}</${node.tag}>`);
    else if (node.children.length === 0) out.push('/>');
    else {
      out.push('>');
      for (const c of node.children) write(c, false);
      out.push(`</${node.tag}>`);
    }
  };
  write(svg.root, true);
  return out.join('');
}
