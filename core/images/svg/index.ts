/** SVG logos: a strict reader, an allow-list sanitiser and a vector converter to PDF operators (docs/decisions/0015). */
export { SVG_LIMITS, parseXml, decodeSvgText } from './xml.ts';
export { sanitiseSvg, serialiseSvg, SVG_ELEMENTS, SVG_PROPERTIES, type SanitisedSvg, type SvgNode } from './sanitise.ts';
export { svgToPdf, asPrinted, parseColor, MAX_DRAWN_SHAPES, type SvgDrawing } from './render.ts';
export { parsePath, parseTransform, arcToCubics, multiply, apply, type Matrix, type Segment } from './geometry.ts';
