import { PDFDict, PDFName, PDFRawStream, PDFString, type PDFContext, type PDFDocument, type PDFPage, type PDFRef } from 'pdf-lib';
import type { PlanPage } from '../compose/plan.ts';
import type { Deflate } from '../util/deflate.ts';
import { num } from './content.ts';
import { cropMarkOps, DEFAULT_MARKS, printGeometry, REGISTRATION_CS, type MarkSpec, type PrintGeometry } from './print-marks.ts';

/**
 * What a print export adds to a PDF (docs/decisions/0014-print-output.md):
 * crop marks in a slug around the bleed, MediaBox ⊃ BleedBox ⊃ TrimBox, an
 * output intent with a CMYK ICC profile, /Trapped /False, and a CMYK
 * transparency group on pages that hold transparency. The PDF writer calls
 * these hooks only when `WriteOptions.print` is set; screen exports are
 * untouched.
 */
export interface PrintOutput {
  marks?: MarkSpec;
  outputIntent: OutputIntent;
}

export interface OutputIntent {
  /** The ICC profile's bytes (an output-class CMYK profile, N = 4). */
  profile: Uint8Array;
  /** /OutputConditionIdentifier: a registered name, or "Custom" with the profile embedded. */
  identifier: string;
  /** /OutputCondition: human-readable name of the printing condition. */
  condition: string;
  /** /Info: what the profile is. */
  info: string;
  /** /RegistryName, only for identifiers from a registry. */
  registry?: string;
}

/** The page's boxes for a print export; returns the geometry the content and marks use. */
export function setPrintBoxes(page: PDFPage, width: number, height: number, bleed: number, marks: MarkSpec = DEFAULT_MARKS): PrintGeometry {
  const g = printGeometry(width, height, bleed, marks);
  page.setMediaBox(...g.media);
  page.setBleedBox(...g.bleed);
  page.setTrimBox(...g.trim);
  return g;
}

/**
 * Wraps a page's content streams: the plan's drawing is shifted into the
 * slug's frame (one `cm`, so cached static streams stay byte-identical to
 * the screen ones), then the crop marks are drawn outside the bleed.
 */
export function wrapPrintContent(ctx: PDFContext, streams: PDFRef[], g: PrintGeometry, deflate: Deflate, marks: MarkSpec = DEFAULT_MARKS): PDFRef[] {
  const raw = (text: string) => {
    const bytes = deflate(latin1(text), true);
    return ctx.register(PDFRawStream.of(ctx.obj({ Filter: 'FlateDecode', Length: bytes.byteLength }) as PDFDict, bytes));
  };
  return [raw(`q\n1 0 0 1 ${num(g.shift)} ${num(g.shift)} cm\n`), ...streams, raw(`Q\n${cropMarkOps(g, marks)}`)];
}

/** True when something on the page is drawn with transparency (an alpha channel, or alpha in an SVG logo). */
export function pageHasTransparency(page: PlanPage): boolean {
  return page.items.some((it) => it.type === 'image' && imageTransparency(it.image) !== undefined);
}

/** How an image brings transparency into the page, if it does. */
export function imageTransparency(image: { kind: string; info: { hasAlpha: boolean }; gstates?: readonly { ca: number; CA: number }[] }): 'soft-mask' | 'constant-alpha' | undefined {
  if (image.kind === 'raster' && image.info.hasAlpha) return 'soft-mask';
  if (image.kind === 'svg' && (image.gstates ?? []).some((g) => g.ca < 1 || g.CA < 1)) return 'constant-alpha';
  return undefined;
}

/**
 * The page's print resources: the registration colour space the crop marks
 * use (Separation /All), and on pages with transparency a page group that
 * blends in DeviceCMYK, the output intent's space, rather than the viewer's
 * choice.
 */
export function addPrintResources(ctx: PDFContext, page: PDFPage, resources: PDFDict, planPage: PlanPage): void {
  const tint = ctx.obj({ FunctionType: 2, Domain: [0, 1], C0: [0, 0, 0, 0], C1: [1, 1, 1, 1], N: 1 });
  const registration = ctx.obj([PDFName.of('Separation'), PDFName.of('All'), PDFName.of('DeviceCMYK'), tint]);
  const spaces = ctx.obj({}) as PDFDict;
  spaces.set(PDFName.of(REGISTRATION_CS), registration);
  resources.set(PDFName.of('ColorSpace'), spaces);
  if (pageHasTransparency(planPage)) page.node.set(PDFName.of('Group'), ctx.obj({ Type: 'Group', S: 'Transparency', CS: 'DeviceCMYK' }));
}

const compressedProfiles = new WeakMap<Uint8Array, Uint8Array>();

/** /OutputIntents with the ICC profile in the catalog, and /Trapped /False in the Info dictionary. */
export function addOutputIntent(doc: PDFDocument, intent: OutputIntent, deflate: Deflate): void {
  const ctx = doc.context;
  let bytes = compressedProfiles.get(intent.profile);
  if (!bytes) compressedProfiles.set(intent.profile, (bytes = deflate(intent.profile, true)));
  const profile = ctx.register(PDFRawStream.of(ctx.obj({ N: 4, Filter: 'FlateDecode', Length: bytes.byteLength }) as PDFDict, bytes));
  const dict = ctx.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFX',
    OutputConditionIdentifier: PDFString.of(intent.identifier),
    OutputCondition: PDFString.of(intent.condition),
    Info: PDFString.of(intent.info),
    DestOutputProfile: profile,
  }) as PDFDict;
  if (intent.registry) dict.set(PDFName.of('RegistryName'), PDFString.of(intent.registry));
  doc.catalog.set(PDFName.of('OutputIntents'), ctx.obj([dict]));
  const info = ctx.lookup(ctx.trailerInfo.Info, PDFDict);
  info.set(PDFName.of('Trapped'), PDFName.of('False'));
}

function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}
