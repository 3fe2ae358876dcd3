import type { ErrorCode } from '../core/errors.ts';

/** Stable exit codes of the `lockup` command. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  compliance: 3,
  badInput: 4,
  /** `completion verify`: a genuine record, but not the one asked for (--code or --key does not match). */
  mismatch: 5,
  /** A batch stopped by SIGINT or SIGTERM (128 + 2); its state resumes it. */
  cancelled: 130,
} as const;

export function exitCodeFor(code: ErrorCode | string): number {
  switch (code) {
    case 'usage':
    case 'field-unknown':
      return EXIT.usage;
    case 'compliance-errors':
      return EXIT.compliance;
    case 'internal':
    case 'catalogue-migration-order':
      return EXIT.internal;
    default:
      return EXIT.badInput;
  }
}
