import type { ModuleCard, ModuleStatus } from '../../../core/contracts/learning-api.ts';

/** A 0..1 fraction as a whole percentage ("80%"). */
export const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** "14:05" today, "3 Jun, 14:05" on another day. */
export function clock(iso: string): string {
  const d = new Date(iso);
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return sameDay(d, new Date()) ? time : `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}, ${time}`;
}

export const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });

/** A cool-down as people say it: "60 min", "3 h", "2 days". */
export function duration(minutes: number): string {
  if (minutes < 120) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} days`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const lessonsText = (n: number) => plural(n, 'lesson');

/** "10 questions, pass mark 80%, 3 attempts, 60 min cool-down". */
export function rulesText(card: Pick<ModuleCard, 'draw' | 'passMark' | 'attemptLimit' | 'cooldownMinutes'>): string {
  const attempts = card.attemptLimit === null ? 'unlimited attempts' : plural(card.attemptLimit, 'attempt');
  const cooldown = card.cooldownMinutes > 0 ? `${duration(card.cooldownMinutes)} cool-down` : 'no cool-down';
  return `${plural(card.draw, 'question')}, pass mark ${percent(card.passMark)}, ${attempts}, ${cooldown}`;
}

/** Whether a new attempt may start now (a cool-down ends exactly at `until`). */
export function canStart(status: ModuleStatus, now: number): boolean {
  if (status.state === 'open') return true;
  return status.state === 'cooldown' && status.until !== null && now >= Date.parse(status.until);
}

/** The status badge: Passed / Open / Cooling down until 14:05 / No attempts left. */
export function statusText(status: ModuleStatus, now: number): string {
  switch (status.state) {
    case 'passed':
      return 'Passed';
    case 'open':
      return 'Open';
    case 'cooldown':
      return canStart(status, now) ? 'Open' : `Cooling down until ${status.until ? clock(status.until) : 'later'}`;
    case 'exhausted':
      return 'No attempts left';
  }
}

/** Why "Start quiz" is off, or undefined when it is on. */
export function blockedReason(status: ModuleStatus, now: number): string | undefined {
  if (canStart(status, now)) return undefined;
  switch (status.state) {
    case 'passed':
      return 'You passed this module already.';
    case 'cooldown':
      return `Cooling down until ${status.until ? clock(status.until) : 'later'}: you can try again then.`;
    case 'exhausted':
      return 'No attempts left.';
    default:
      return undefined;
  }
}

export function attemptsLeftText(status: ModuleStatus): string | undefined {
  if (status.attemptsLeft === null) return undefined;
  return status.attemptsLeft === 0 ? 'No attempts left.' : `${plural(status.attemptsLeft, 'attempt')} left.`;
}

/** "A, B, C" from named items. */
export const names = (items: readonly { name: string }[]) => items.map((i) => i.name).join(', ');
