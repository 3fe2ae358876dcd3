import { z } from 'zod';
import { Id } from './access.ts';

/** Attributes a visibility condition may read: partner attributes or a field value. */
export const ConditionAttr = z.union([
  z.enum(['tier', 'type', 'region', 'distributor']),
  z.string().regex(/^field:[a-z][a-zA-Z0-9_]*$/, 'must be tier, type, region, distributor or field:<key>'),
]);

export type Condition =
  | { present: string }
  | { absent: string }
  | { equals: { attr: string; value: string } }
  | { in: { attr: string; values: string[] } }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ present: ConditionAttr }).strict(),
    z.object({ absent: ConditionAttr }).strict(),
    z.object({ equals: z.object({ attr: ConditionAttr, value: z.string() }).strict() }).strict(),
    z.object({ in: z.object({ attr: ConditionAttr, values: z.array(z.string()).min(1) }).strict() }).strict(),
    z.object({ all: z.array(Condition).min(1) }).strict(),
    z.object({ any: z.array(Condition).min(1) }).strict(),
    z.object({ not: Condition }).strict(),
  ]),
);

export type AttrReader = (attr: string) => string | undefined;

/** Evaluates a visibility condition. Empty strings count as absent. */
export function evaluateCondition(cond: Condition, read: AttrReader): boolean {
  const value = (attr: string) => {
    const v = read(attr);
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  if ('present' in cond) return value(cond.present) !== undefined;
  if ('absent' in cond) return value(cond.absent) === undefined;
  if ('equals' in cond) return value(cond.equals.attr) === cond.equals.value;
  if ('in' in cond) {
    const v = value(cond.in.attr);
    return v !== undefined && cond.in.values.includes(v);
  }
  if ('all' in cond) return cond.all.every((c) => evaluateCondition(c, read));
  if ('any' in cond) return cond.any.some((c) => evaluateCondition(c, read));
  return !evaluateCondition(cond.not, read);
}

export { Id };
