import { LockupError } from '../../errors.ts';

/**
 * A deliberately small XML reader for SVG logos. It is not a general XML
 * parser: anything an SVG logo does not need and that has a history of
 * abuse (DOCTYPE and entity declarations, processing instructions, CDATA
 * outside text elements, undeclared entity references) is refused outright,
 * and every size is bounded before it is allocated (docs/decisions/0015).
 */
export const SVG_LIMITS = {
  /** Bytes of SVG source. */
  maxBytes: 2 * 1024 * 1024,
  /** Elements in the document, after parsing and before sanitising. */
  maxElements: 10_000,
  /** Nesting depth of elements. */
  maxDepth: 64,
  /** Attributes on one element. */
  maxAttributes: 64,
  /** Characters in one attribute value (long path data is normal; megabytes are not). */
  maxAttributeLength: 512 * 1024,
} as const;

export interface XmlElement {
  name: string;
  /** In document order; names are unique per element (duplicates are refused). */
  attrs: [string, string][];
  children: XmlNode[];
}
export type XmlNode = XmlElement | { text: string };

/** Elements whose text content is kept and may contain CDATA. */
const TEXT_ELEMENTS = new Set(['style', 'title', 'desc']);

const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[A-Za-z0-9_:.-]/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function refuse(name: string, reason: string, details?: Record<string, unknown>): never {
  throw new LockupError('svg-refused', `"${name}" was refused: ${reason}`, { reason, ...details });
}

/** Decodes SVG bytes as strict UTF-8 (a byte-order mark is allowed) within the size limit. */
export function decodeSvgText(bytes: Uint8Array, name: string): string {
  if (bytes.byteLength > SVG_LIMITS.maxBytes) refuse(name, `it is ${bytes.byteLength} bytes; SVG logos may be up to ${SVG_LIMITS.maxBytes / 1024 / 1024} MB`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return refuse(name, 'it is not valid UTF-8 text');
  }
}

/** Replaces the predefined and numeric character references; any other entity reference is refused. */
function unescape(raw: string, name: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s<]{0,32});?/g, (m, ent: string) => {
    if (!m.endsWith(';')) refuse(name, `it has a bare "&" (${JSON.stringify(m.slice(0, 20))})`);
    if (ent in PREDEFINED) return PREDEFINED[ent]!;
    const num = /^#x([0-9a-fA-F]{1,6})$/.exec(ent) ?? /^#([0-9]{1,7})$/.exec(ent);
    if (num) {
      const cp = parseInt(num[1]!, ent[1] === 'x' ? 16 : 10);
      if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) refuse(name, `it has an invalid character reference "${m}"`);
      return String.fromCodePoint(cp);
    }
    return refuse(name, `it references the entity "&${ent};", and entity declarations are not accepted`);
  });
}

/** Parses an SVG document's text into an element tree, refusing anything outside the subset above. */
export function parseXml(text: string, name: string): XmlElement {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let elements = 0;
  let root: XmlElement | undefined;
  const stack: XmlElement[] = [];

  const readName = (): string => {
    const start = i;
    if (i >= n || !NAME_START.test(text[i]!)) refuse(name, `malformed XML at character ${i}`);
    while (i < n && NAME_CHAR.test(text[i]!)) i++;
    if (i - start > 100) refuse(name, `a name at character ${start} is too long`);
    return text.slice(start, i);
  };
  const skipSpace = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const addText = (t: string) => {
    const top = stack[stack.length - 1];
    if (!top) {
      if (t.trim() !== '') refuse(name, 'it has text outside the root element');
      return;
    }
    if (TEXT_ELEMENTS.has(top.name)) top.children.push({ text: t });
  };

  // The XML declaration, only at the very start.
  if (text.startsWith('<?xml', i) && /[\s?]/.test(text[i + 5] ?? '')) {
    const end = text.indexOf('?>', i);
    if (end < 0) refuse(name, 'the XML declaration is not closed');
    i = end + 2;
  }

  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      addText(unescape(text.slice(i), name));
      i = n;
      break;
    }
    if (lt > i) addText(unescape(text.slice(i, lt), name));
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) refuse(name, 'a comment is not closed');
      i = end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', i)) {
      const top = stack[stack.length - 1];
      if (!top || !(TEXT_ELEMENTS.has(top.name) || top.name === 'script')) refuse(name, `it has a CDATA section inside <${top?.name ?? 'no element'}>; CDATA is accepted only in <style>, <title> and <desc>`);
      const end = text.indexOf(']]>', i + 9);
      if (end < 0) refuse(name, 'a CDATA section is not closed');
      addText(text.slice(i + 9, end));
      i = end + 3;
      continue;
    }
    if (text.startsWith('<!', i)) {
      const what = /^<!([A-Za-z]*)/.exec(text.slice(i, i + 20))?.[1]?.toUpperCase() ?? '';
      refuse(name, what === 'DOCTYPE' || what === 'ENTITY' ? `it has a ${what} declaration (entity declarations can expand without bound or read files)` : `it has a markup declaration "<!${what}"`, { declaration: what });
    }
    if (text.startsWith('<?', i)) {
      const target = /^<\?([^\s?]*)/.exec(text.slice(i, i + 60))?.[1] ?? '';
      refuse(name, `it has a processing instruction "<?${target}"; only the XML declaration is accepted`, { instruction: target });
    }
    if (text.startsWith('</', i)) {
      i += 2;
      const tag = readName();
      skipSpace();
      if (text[i] !== '>') refuse(name, `malformed end tag </${tag}>`);
      i++;
      const open = stack.pop();
      if (!open || open.name !== tag) refuse(name, `</${tag}> does not match ${open ? `<${open.name}>` : 'any open element'}`);
      continue;
    }
    // Start tag.
    i++;
    const tag = readName();
    if (root && stack.length === 0) refuse(name, 'it has more than one root element');
    if (++elements > SVG_LIMITS.maxElements) refuse(name, `it has more than ${SVG_LIMITS.maxElements} elements`, { limit: 'elements' });
    if (stack.length + 1 > SVG_LIMITS.maxDepth) refuse(name, `elements are nested more than ${SVG_LIMITS.maxDepth} deep`, { limit: 'depth' });
    const el: XmlElement = { name: tag, attrs: [], children: [] };
    const seen = new Set<string>();
    for (;;) {
      const before = i;
      skipSpace();
      if (text[i] === '>' || text.startsWith('/>', i)) break;
      if (i === before) refuse(name, `malformed start tag <${tag}>`);
      const attr = readName();
      skipSpace();
      if (text[i] !== '=') refuse(name, `attribute "${attr}" on <${tag}> has no value`);
      i++;
      skipSpace();
      const q = text[i];
      if (q !== '"' && q !== "'") refuse(name, `attribute "${attr}" on <${tag}> is not quoted`);
      const end = text.indexOf(q, i + 1);
      if (end < 0) refuse(name, `attribute "${attr}" on <${tag}> is not closed`);
      if (end - i - 1 > SVG_LIMITS.maxAttributeLength) refuse(name, `attribute "${attr}" on <${tag}> is longer than ${SVG_LIMITS.maxAttributeLength} characters`, { limit: 'attribute-length' });
      const raw = text.slice(i + 1, end);
      if (raw.includes('<')) refuse(name, `attribute "${attr}" on <${tag}> contains "<"`);
      i = end + 1;
      if (seen.has(attr)) refuse(name, `attribute "${attr}" appears twice on <${tag}>`);
      seen.add(attr);
      if (seen.size > SVG_LIMITS.maxAttributes) refuse(name, `<${tag}> has more than ${SVG_LIMITS.maxAttributes} attributes`, { limit: 'attributes' });
      // Attribute-value normalisation: whitespace characters become spaces.
      el.attrs.push([attr, unescape(raw, name).replace(/[\t\n\r]/g, ' ')]);
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    if (text.startsWith('/>', i)) i += 2;
    else {
      i++;
      stack.push(el);
    }
  }
  if (stack.length > 0) refuse(name, `<${stack[stack.length - 1]!.name}> is not closed`);
  if (!root) refuse(name, 'it has no root element');
  return root;
}
