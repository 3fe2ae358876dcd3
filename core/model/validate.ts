import type { z } from 'zod';
import { LockupError, type ErrorCode } from '../errors.ts';

/** Formats a zod issue path as a JSON path, e.g. `pages[0].zones[2].rect.w`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '(root)' : out;
}

export interface ValidationIssue {
  path: string;
  message: string;
}

export function describeIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message }));
}

/**
 * Parses `data` with `schema` or throws a LockupError whose message names the
 * JSON path of the first fault (all faults are in `details.issues`).
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, data: unknown, code: ErrorCode, what: string): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issues = describeIssues(r.error);
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new LockupError(code, `${what} is invalid at ${first.path}: ${first.message}${more}`, { issues });
}

/** JSON.parse that reports the failure as a LockupError. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LockupError('json-invalid', `${what} is not valid JSON: ${(err as Error).message}`);
  }
}
