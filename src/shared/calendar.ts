import type { BillingInterval } from './schemas';

/**
 * The billing calendar, in UTC and epoch milliseconds. Pure: the workflow passes its own clock in, so the same
 * functions serve the workflow, the API (previews) and the tests.
 *
 * Period `n` always starts at `anchor + n × interval`, computed from the anchor and never from the previous
 * period, so a Jan 31 anchor gives Feb 28/29, Mar 31, Apr 30… and never drifts to the 28th.
 */
export interface BillingSchedule {
  readonly interval: BillingInterval;
  readonly intervalCount: number;
  /**
   * The day of month to keep when the anchor itself sits on a clamped date: a Jan 31 monthly plan changed to
   * quarterly at its Feb 28 boundary re-anchors on Feb 28 but keeps day 31 (May 31, Aug 31, Nov 30).
   */
  readonly anchorDay?: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function daysInMonthUtc(year: number, monthIndex: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** `anchor` plus `months` calendar months, keeping the anchor's day (clamped to month end) and time of day. */
export function addMonthsClamped(anchorMs: number, months: number, anchorDay?: number | null): number {
  const a = new Date(anchorMs);
  const totalMonths = a.getUTCFullYear() * 12 + a.getUTCMonth() + months;
  const year = Math.floor(totalMonths / 12);
  const monthIndex = totalMonths - year * 12;
  const day = Math.min(anchorDay ?? a.getUTCDate(), daysInMonthUtc(year, monthIndex));
  return Date.UTC(year, monthIndex, day, a.getUTCHours(), a.getUTCMinutes(), a.getUTCSeconds(), a.getUTCMilliseconds());
}

/** Start of period `n` (n ≥ 0; period 0 starts at the anchor). */
export function periodStart(anchorMs: number, schedule: BillingSchedule, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`period index must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(schedule.intervalCount) || schedule.intervalCount < 1) {
    throw new RangeError(`intervalCount must be a positive integer, got ${schedule.intervalCount}`);
  }
  const steps = n * schedule.intervalCount;
  switch (schedule.interval) {
    case 'day':
      return anchorMs + steps * DAY_MS;
    case 'week':
      return anchorMs + steps * 7 * DAY_MS;
    case 'month':
      return addMonthsClamped(anchorMs, steps, schedule.anchorDay);
    case 'year':
      return addMonthsClamped(anchorMs, steps * 12, schedule.anchorDay);
  }
}

/** The index of the first period that starts strictly after `afterMs` (used after a pause or late recovery). */
export function firstPeriodIndexAfter(anchorMs: number, schedule: BillingSchedule, afterMs: number, fromIndex = 0): number {
  let n = Math.max(0, fromIndex);
  if (schedule.interval === 'day' || schedule.interval === 'week') {
    // Fixed-length periods: jump straight there instead of walking (a daily plan paused for years).
    const len = periodStart(anchorMs, schedule, 1) - anchorMs;
    n = Math.max(n, Math.floor((afterMs - anchorMs) / len));
  } else {
    const months = (schedule.interval === 'year' ? 12 : 1) * schedule.intervalCount;
    const a = new Date(anchorMs);
    const b = new Date(afterMs);
    const monthsBetween = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
    n = Math.max(n, Math.floor(monthsBetween / months) - 1);
  }
  while (periodStart(anchorMs, schedule, n) <= afterMs) n += 1;
  return n;
}

/** The end of a trial that starts at `startMs`: whole UTC days later, same time of day. */
export function trialEnd(startMs: number, trialDays: number): number {
  return startMs + trialDays * DAY_MS;
}

/** "30m", "1d", "2d 3h": short and stable, for timer summaries in the Temporal UI. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const units: [string, number][] = [
    ['d', DAY_MS],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  const parts: string[] = [];
  let rest = ms;
  for (const [label, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count}${label}`);
      rest -= count * size;
    }
    if (parts.length === 2) break;
  }
  return parts.length > 0 ? parts.join(' ') : `${ms}ms`;
}
