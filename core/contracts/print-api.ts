import { z } from 'zod';
import { PartnerDocument } from '../model/document.ts';
import { FindingView, op } from './op.ts';

/**
 * Print export in the app: the preflight report the export dialog shows
 * when Print is chosen, before exporting. Handlers in backend/api/print-ops.ts;
 * the report is the same as `lockup preflight --json`.
 */

const ReportFinding = FindingView;

const Box = z.tuple([z.number(), z.number(), z.number(), z.number()]);

export const PrintPreflightView = z.object({
  /** No error in either list: the print export would be written. */
  ok: z.boolean(),
  /** The brand's compliance findings for the print profile. */
  compliance: z.array(ReportFinding),
  /** Print preflight findings (codes `print-*`, core/rules/preflight.ts). */
  preflight: z.array(ReportFinding),
  /** Points from the media box's lower-left corner, as `[x, y, width, height]`. */
  boxes: z.object({ media: Box, bleed: Box, trim: Box }),
  marks: z.object({ offset: z.number(), length: z.number(), lineWidth: z.number() }),
  outputIntent: z.object({ identifier: z.string(), condition: z.string(), info: z.string() }),
});
export type PrintPreflightView = z.infer<typeof PrintPreflightView>;

export const PRINT_API = {
  'document:preflight': op(z.object({ document: PartnerDocument }).strict(), PrintPreflightView),
} as const;
