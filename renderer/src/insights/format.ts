/** Numbers as the dashboards show them. Amounts arrive as whole cents. */

const counts = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export const count = (n: number) => counts.format(n);

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Whole currency units ("$12,500"): dashboards compare amounts, cents would only add noise. */
export function money(cents: number, currency: string): string {
  let f = moneyFormats.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 });
    } catch {
      // A currency code Intl does not know: the number with the code after it.
      const plain = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
      f = { format: (n: number) => `${plain.format(n)} ${currency}` } as Intl.NumberFormat;
    }
    moneyFormats.set(currency, f);
  }
  return f.format(Math.round(cents / 100));
}

/** A 0..1 fraction as a whole percentage ("80%"). */
export const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

/** "2026-03" → "Mar 2026" (calendar months are UTC in the contract). */
export function monthLabel(month: string, style: 'short' | 'long' = 'long'): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  const d = new Date(Date.UTC(y, m - 1, 1));
  return d.toLocaleDateString(undefined, { month: 'short', year: style === 'long' ? 'numeric' : '2-digit', timeZone: 'UTC' });
}

export const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

/** "12 ms", "1.4 s". */
export const duration = (ms: number) => (ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`);

/** Every month from `first` to `last` ("YYYY-MM"), so a chart's axis has no silent gaps. */
export function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  while ((y < ly || (y === ly && m <= lm)) && out.length < 1200) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}
