import { useEffect, useState } from 'react';

/** The longest delay setTimeout keeps (about 24.8 days); a later moment is waited for in steps. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * The current time, read again when `until` (an ISO time, a cool-down's
 * end) passes, so a "Cooling down until…" badge and a disabled Start button
 * turn back on by themselves.
 */
export function useNow(until: string | null | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!until) return;
    const end = Date.parse(until);
    if (!Number.isFinite(end) || now >= end) return;
    // 50 ms after the end, so the comparison with `until` has surely flipped.
    const timer = setTimeout(() => setNow(Date.now()), Math.min(MAX_DELAY, Math.max(0, end - Date.now()) + 50));
    return () => clearTimeout(timer);
  }, [until, now]);
  return now;
}
