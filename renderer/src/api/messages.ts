import { ApiError } from './client.ts';

/** Error codes as sentences a partner can act on. The backend's message adds the specifics. */
const HINTS: Record<string, string> = {
  'compliance-errors': 'Fix the issues listed in the compliance panel, then export again.',
  'image-mislabelled': 'Rename the file with the right extension, or export it again from your design tool.',
  'image-truncated': 'The file is incomplete. Download or export it again.',
  'image-corrupt': 'The file is damaged. Export it again from your design tool.',
  'image-too-large': 'Use a smaller version of the logo.',
  'image-unsupported': 'Use a PNG, JPEG or PDF logo.',
  'svg-refused': 'Export the logo as PDF (vector) or PNG.',
  'pdf-logo-encrypted': 'Save a copy of the PDF without a password.',
  'template-not-entitled': 'Your partner level does not include this template.',
  forbidden: 'Reopen Lockup from the address it printed.',
  'output-unwritable': 'Choose another folder.',
};

export function describe(err: unknown): { title: string; hint: string | undefined; code: string } {
  if (err instanceof ApiError) return { title: err.message, hint: HINTS[err.code], code: err.code };
  return { title: err instanceof Error ? err.message : String(err), hint: undefined, code: 'internal' };
}
