import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LockupError } from '../../errors.ts';
import { imageFixture } from '../../../test/core-support/files.ts';
import { thrown } from '../../../test/support/errors.ts';
import { sanitiseSvg, serialiseSvg, type SanitisedSvg } from './sanitise.ts';
import { svgToPdf } from './render.ts';
import { SVG_LIMITS } from './xml.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const SVG = (body: string, attrs = '') => `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50"${attrs}>${body}</svg>`;
const clean = (s: string): SanitisedSvg => sanitiseSvg(enc(s), 'logo.svg');
const refusal = (s: string | Uint8Array) => thrown(() => sanitiseSvg(typeof s === 'string' ? enc(s) : s, 'logo.svg'));

/** Nothing in the written-back SVG can run code or fetch anything. */
function expectInert(svg: SanitisedSvg): void {
  // Title and description text is escaped character data: it may say anything.
  const out = serialiseSvg(svg).toLowerCase().replace(/<(title|desc)>[^<]*<\/\1>/g, '');
  for (const bad of ['<script', 'foreignobject', 'javascript:', 'http://evil', 'https:', 'file:', '@import', 'data:', '<image', '<style']) {
    expect(out, bad).not.toContain(bad);
  }
  expect(out).not.toMatch(/\son[a-z]+=/);
  // The only namespace URLs left are the two declarations on the root.
  expect(out.match(/http:\/\//g)?.length).toBe(2);
}

describe('SVG attacks from issue #6: each refused or stripped as docs/decisions/0015 says', () => {
  const stripped: [string, string, RegExp][] = [
    ['script element', SVG('<script>alert(1)</script><rect width="10" height="10"/>'), /script element/],
    ['script in a namespace-prefixed root', SVG('<g><script type="text/ecmascript"><![CDATA[alert(1)]]></script></g>'), /script element/],
    ['onload= handler', SVG('<rect width="10" height="10"/>', ' onload="alert(1)"'), /onload attribute/],
    ['onclick on a shape', SVG('<rect width="10" height="10" onclick="alert(1)" ONMOUSEOVER="x()"/>'), /onclick attribute/],
    ['foreignObject', SVG('<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://evil.example"/></div></foreignObject>'), /foreignObject element/],
    ['external href on <use>', SVG('<use xlink:href="http://evil.example/sprite.svg#a"/>'), /external reference/],
    ['file:// reference', SVG('<use href="file:///etc/passwd#x"/>'), /file reference/],
    ['image with a data: URI', SVG('<image href="data:image/png;base64,AAAA" width="10" height="10"/>'), /image element/],
    ['image with an external ref', SVG('<image xlink:href="https://evil.example/a.png" width="10" height="10"/>'), /image element/],
    ['javascript: link', SVG('<a xlink:href="javascript:alert(1)"><rect width="10" height="10"/></a>'), /a element/],
    ['javascript: in href on use', SVG('<use href="javascript:alert(1)"/>'), /javascript: link/],
    ['@import in <style>', SVG('<style>@import url(https://evil.example/x.css); .a{fill:red}</style><rect class="a" width="10" height="10"/>'), /stylesheet @import/],
    ['url() to an external file in <style>', SVG('<style>.a{fill:url(https://evil.example/p.svg#g)}</style><rect class="a" width="10" height="10"/>'), /external reference/],
    ['url() in a style attribute', SVG('<rect width="10" height="10" style="fill:url(file:///x#g); stroke: red"/>'), /external reference/],
    ['external fill attribute', SVG('<rect width="10" height="10" fill="url(http://evil.example/#g)"/>'), /fill attribute with an external reference/],
    ['animation that rewrites href', SVG('<set attributeName="href" to="javascript:alert(1)"/><animate attributeName="onload"/>'), /set element/],
    ['iframe and html', SVG('<iframe src="https://evil.example"/>'), /iframe element/],
  ];
  it.each(stripped)('%s: removed, reported, and absent from the output', (_what, source, report) => {
    const svg = clean(source);
    expect(svg.removed.join('; ')).toMatch(report);
    expectInert(svg);
    // Still a drawable logo.
    expect(() => svgToPdf(svg)).not.toThrow();
  });

  const refused: [string, string | Uint8Array, RegExp][] = [
    ['entity declaration', `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${SVG('<text>&x;</text>')}`, /DOCTYPE declaration/],
    ['billion laughs', `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>${SVG('<title>&lol2;</title>')}`, /DOCTYPE/],
    ['undeclared entity reference', SVG('<title>&lol9;</title>'), /entity "&lol9;"/],
    ['a bare DOCTYPE (external DTD)', `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">${SVG('')}`, /DOCTYPE/],
    ['xml-stylesheet processing instruction', `<?xml version="1.0"?><?xml-stylesheet href="https://evil.example/x.css"?>${SVG('')}`, /processing instruction "<\?xml-stylesheet"/],
    ['CDATA inside a path', SVG('<g><![CDATA[<script>alert(1)</script>]]></g>'), /CDATA/],
    ['deeply nested groups', SVG('<g>'.repeat(SVG_LIMITS.maxDepth + 5) + '</g>'.repeat(SVG_LIMITS.maxDepth + 5)), /nested more than 64 deep/],
    ['huge attribute', SVG(`<path d="M0 0${' L1 1'.repeat(SVG_LIMITS.maxAttributeLength / 5 + 10)}"/>`), /longer than/],
    ['too many elements', SVG('<rect/>'.repeat(SVG_LIMITS.maxElements + 1)), /more than 10000 elements/],
    ['too many attributes', SVG(`<rect ${Array.from({ length: SVG_LIMITS.maxAttributes + 1 }, (_, i) => `a${i}="1"`).join(' ')}/>`), /more than 64 attributes/],
    ['oversize file', new Uint8Array(SVG_LIMITS.maxBytes + 1).fill(0x20), /SVG logos may be up to/],
    ['not UTF-8', new Uint8Array([...enc('<svg>'), 0xff, 0xfe, ...enc('</svg>')]), /not valid UTF-8/],
    ['root is not svg', '<html><svg/></html>', /root element is <html>/],
    ['duplicate attribute', SVG('<rect width="1" width="2"/>'), /appears twice/],
    ['unclosed element', '<svg><g>', /not closed/],
  ];
  it.each(refused)('%s: refused with svg-refused and the reason', (_what, source, reason) => {
    const err = refusal(source);
    expect(err.code).toBe('svg-refused');
    expect(err.message).toMatch(reason);
    expect(err.message).toContain('"logo.svg"');
  });

  it('the fixtures: script.svg is sanitised, entity.svg (billion laughs) is refused', () => {
    const script = sanitiseSvg(imageFixture('script.svg'), 'script.svg');
    expect(script.removed).toEqual(['script element']);
    expect(serialiseSvg(script)).not.toContain('alert');
    expect(thrown(() => sanitiseSvg(imageFixture('entity.svg'), 'entity.svg')).code).toBe('svg-refused');
  });

  it('a <use> cycle and an exponential <use> fan-out are refused when drawn', () => {
    const cycle = clean(SVG('<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>'));
    expect(thrown(() => svgToPdf(cycle, 'logo.svg')).message).toMatch(/refer back to themselves/);
    // Each level triples: 3^12 rects from 50 elements.
    let body = '<defs><rect id="l0" width="1" height="1"/>';
    for (let i = 1; i <= 12; i++) body += `<g id="l${i}">${`<use href="#l${i - 1}"/>`.repeat(3)}</g>`;
    body += '</defs><use href="#l12"/>';
    expect(thrown(() => svgToPdf(clean(SVG(body)), 'logo.svg')).message).toMatch(/more than 20000 shapes/);
  });

  it('removals are counted, not repeated', () => {
    const svg = clean(SVG('<script/><script/><rect width="1" height="1" onclick="x"/><rect width="1" height="1" onclick="y"/>'));
    expect(svg.removed).toEqual(['script element (×2)', 'onclick attribute (×2)']);
  });

  it('editor metadata (Inkscape, Illustrator) is dropped quietly', () => {
    const svg = clean(SVG('<metadata><rdf:RDF/></metadata><sodipodi:namedview/><g inkscape:label="Layer 1" data-name="x" class="a"><rect width="1" height="1"/></g>', ' version="1.1" xml:space="preserve" inkscape:version="1.0"'));
    expect(svg.removed).toEqual([]);
  });
});

describe('stylesheets and the cascade', () => {
  it('applies class, id and element rules with specificity, then style="" wins', () => {
    const svg = clean(SVG('<style>rect{fill:blue} .a{fill:red;stroke:#000} #r{stroke-width:3} .a:hover{fill:green} g .a{fill:pink}</style><rect id="r" class="a" width="1" height="1" fill="yellow" style="stroke:lime"/>'));
    expect(svg.root.children[0]!.attrs).toMatchObject({ fill: 'red', stroke: 'lime', 'stroke-width': '3' });
    expect(svg.removed).toContain('stylesheet rule with an unsupported selector (×2)');
  });

  it('keeps local url(#id) paint and @media is removed', () => {
    const svg = clean(SVG('<style>@media print { .a { fill: red } } .a{fill:url(#g)}</style><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient><rect class="a" width="1" height="1"/>'));
    expect(svg.root.children[1]!.attrs['fill']).toBe('url(#g)');
    expect(svg.removed).toEqual(['stylesheet @media rule']);
  });
});

describe('random input never crashes the reader (only LockupError)', () => {
  const base = new TextDecoder().decode(imageFixture('logo-clean.svg'));
  const safely = (text: string) => {
    try {
      const svg = sanitiseSvg(enc(text), 'fuzz.svg');
      svgToPdf(svg, 'fuzz.svg');
      expectInert(svg);
    } catch (err) {
      if (!(err instanceof LockupError)) throw err;
    }
  };

  it('mutations of a clean logo: byte edits, cuts and splices', () => {
    const pieces = ['<', '>', '/>', '"', "'", '&', '&amp;', '&#0;', '&#x110000;', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '<!DOCTYPE', '<script>', ' onload="x"', ' href="javascript:1"', 'url(', ')', 'A', 'a 1 1 0 1 1', 'e9999', 'NaN', '-', '.', ',', '#', ';', ':', '{', '}', '@import'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length), fc.nat(40), fc.constantFrom(...pieces)), { minLength: 1, maxLength: 8 }), (edits) => {
        let text = base;
        for (const [at, cut, piece] of edits) text = text.slice(0, at % (text.length + 1)) + piece + text.slice((at % (text.length + 1)) + (cut % 5 === 0 ? cut : 0));
        safely(text);
      }),
      { numRuns: 1500 },
    );
  });

  it('arbitrary strings and bytes', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => safely(`<svg width="10" height="10">${s}</svg>`)), { numRuns: 1000 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        try {
          svgToPdf(sanitiseSvg(b, 'fuzz.svg'));
        } catch (err) {
          if (!(err instanceof LockupError)) throw err;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('random path data and transforms draw or are ignored, never throw', () => {
    const token = fc.oneof(fc.constantFrom(...'MmLlHhVvCcSsQqTtAaZz, .-e'.split('')), fc.double({ noNaN: false }).map(String), fc.integer().map(String));
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), fc.array(token, { maxLength: 10 }), (d, t) => {
        const text = SVG(`<path d="${d.join(' ')}" transform="rotate(${t.join(' ')})"/><path d="${d.join('')}"/>`);
        const out = svgToPdf(clean(text)).ops;
        expect(out).not.toMatch(/NaN|Infinity|e[+-]/);
      }),
      { numRuns: 1000 },
    );
  });
});
