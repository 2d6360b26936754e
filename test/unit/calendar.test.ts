import {
  addMonthsClamped,
  daysInMonthUtc,
  firstPeriodIndexAfter,
  formatDuration,
  isLeapYear,
  periodStart,
  trialEnd,
} from '../../src/shared/calendar';

const iso = (ms: number): string => new Date(ms).toISOString();
const at = (s: string): number => Date.parse(s);
const starts = (anchor: string, interval: 'day' | 'week' | 'month' | 'year', intervalCount: number, count: number): string[] =>
  Array.from({ length: count }, (_, n) => iso(periodStart(at(anchor), { interval, intervalCount }, n)));

describe('billing calendar', () => {
  it('knows month lengths and leap years', () => {
    expect(daysInMonthUtc(2027, 1)).toBe(28);
    expect(daysInMonthUtc(2028, 1)).toBe(29);
    expect(daysInMonthUtc(2100, 1)).toBe(28);
    expect(daysInMonthUtc(2000, 1)).toBe(29);
    expect([1900, 2000, 2024, 2027, 2028, 2100].map(isLeapYear)).toEqual([false, true, true, false, true, false]);
  });

  it('keeps a Jan 31 anchor and clamps at month end without drifting (non-leap year)', () => {
    expect(starts('2027-01-31T09:30:00.000Z', 'month', 1, 13)).toEqual([
      '2027-01-31T09:30:00.000Z',
      '2027-02-28T09:30:00.000Z',
      '2027-03-31T09:30:00.000Z',
      '2027-04-30T09:30:00.000Z',
      '2027-05-31T09:30:00.000Z',
      '2027-06-30T09:30:00.000Z',
      '2027-07-31T09:30:00.000Z',
      '2027-08-31T09:30:00.000Z',
      '2027-09-30T09:30:00.000Z',
      '2027-10-31T09:30:00.000Z',
      '2027-11-30T09:30:00.000Z',
      '2027-12-31T09:30:00.000Z',
      '2028-01-31T09:30:00.000Z',
    ]);
  });

  it('gives Feb 29 in a leap year for a Jan 31 anchor', () => {
    expect(starts('2028-01-31T00:00:00.000Z', 'month', 1, 3)).toEqual([
      '2028-01-31T00:00:00.000Z',
      '2028-02-29T00:00:00.000Z',
      '2028-03-31T00:00:00.000Z',
    ]);
  });

  it('keeps the 30th after February instead of following the clamp', () => {
    expect(starts('2027-01-30T12:00:00.000Z', 'month', 1, 4)).toEqual([
      '2027-01-30T12:00:00.000Z',
      '2027-02-28T12:00:00.000Z',
      '2027-03-30T12:00:00.000Z',
      '2027-04-30T12:00:00.000Z',
    ]);
  });

  it('handles every 2 and 3 months across the year boundary', () => {
    expect(starts('2027-11-30T00:00:00.000Z', 'month', 3, 4)).toEqual([
      '2027-11-30T00:00:00.000Z',
      '2028-02-29T00:00:00.000Z',
      '2028-05-30T00:00:00.000Z',
      '2028-08-30T00:00:00.000Z',
    ]);
    expect(starts('2027-12-31T00:00:00.000Z', 'month', 2, 3)).toEqual([
      '2027-12-31T00:00:00.000Z',
      '2028-02-29T00:00:00.000Z',
      '2028-04-30T00:00:00.000Z',
    ]);
  });

  it('bills a Feb 29 yearly anchor on Feb 28 in common years and Feb 29 in leap years', () => {
    expect(starts('2028-02-29T08:00:00.000Z', 'year', 1, 5)).toEqual([
      '2028-02-29T08:00:00.000Z',
      '2029-02-28T08:00:00.000Z',
      '2030-02-28T08:00:00.000Z',
      '2031-02-28T08:00:00.000Z',
      '2032-02-29T08:00:00.000Z',
    ]);
    expect(starts('2028-02-29T08:00:00.000Z', 'year', 2, 3)).toEqual([
      '2028-02-29T08:00:00.000Z',
      '2030-02-28T08:00:00.000Z',
      '2032-02-29T08:00:00.000Z',
    ]);
  });

  it('counts days and weeks as fixed UTC lengths, across month ends and leap days', () => {
    expect(starts('2028-02-27T23:00:00.000Z', 'day', 1, 4)).toEqual([
      '2028-02-27T23:00:00.000Z',
      '2028-02-28T23:00:00.000Z',
      '2028-02-29T23:00:00.000Z',
      '2028-03-01T23:00:00.000Z',
    ]);
    expect(starts('2027-12-20T10:00:00.000Z', 'week', 2, 3)).toEqual([
      '2027-12-20T10:00:00.000Z',
      '2028-01-03T10:00:00.000Z',
      '2028-01-17T10:00:00.000Z',
    ]);
    expect(starts('2027-03-01T00:00:00.000Z', 'day', 7, 2)[1]).toBe('2027-03-08T00:00:00.000Z');
  });

  it('computes far periods directly from the anchor (no accumulated clamping)', () => {
    const anchor = at('2027-01-31T00:00:00.000Z');
    let previous = anchor;
    for (let n = 1; n <= 120; n += 1) {
      const direct = periodStart(anchor, { interval: 'month', intervalCount: 1 }, n);
      expect(direct).toBeGreaterThan(previous);
      previous = direct;
    }
    expect(iso(periodStart(anchor, { interval: 'month', intervalCount: 1 }, 120))).toBe('2037-01-31T00:00:00.000Z');
    expect(iso(addMonthsClamped(anchor, 25))).toBe('2029-02-28T00:00:00.000Z');
  });

  it('rejects invalid indexes and counts', () => {
    expect(() => periodStart(0, { interval: 'day', intervalCount: 1 }, -1)).toThrow(RangeError);
    expect(() => periodStart(0, { interval: 'day', intervalCount: 0 }, 1)).toThrow(RangeError);
  });

  it('finds the first period starting strictly after a moment', () => {
    const anchor = at('2027-01-31T09:00:00.000Z');
    const monthly = { interval: 'month' as const, intervalCount: 1 };
    expect(firstPeriodIndexAfter(anchor, monthly, at('2027-01-31T09:00:00.000Z'))).toBe(1);
    expect(firstPeriodIndexAfter(anchor, monthly, at('2027-02-28T08:59:59.999Z'))).toBe(1);
    expect(firstPeriodIndexAfter(anchor, monthly, at('2027-02-28T09:00:00.000Z'))).toBe(2);
    expect(firstPeriodIndexAfter(anchor, monthly, at('2029-07-15T00:00:00.000Z'))).toBe(30);
    expect(firstPeriodIndexAfter(anchor, monthly, at('2026-01-01T00:00:00.000Z'))).toBe(0);
    expect(firstPeriodIndexAfter(anchor, monthly, at('2026-01-01T00:00:00.000Z'), 4)).toBe(4);
    const daily = { interval: 'day' as const, intervalCount: 2 };
    expect(firstPeriodIndexAfter(anchor, daily, at('2027-02-04T09:00:00.000Z'))).toBe(3);
    expect(firstPeriodIndexAfter(anchor, daily, at('2027-02-04T08:00:00.000Z'))).toBe(2);
    const yearly = { interval: 'year' as const, intervalCount: 1 };
    expect(firstPeriodIndexAfter(at('2028-02-29T00:00:00.000Z'), yearly, at('2031-03-01T00:00:00.000Z'))).toBe(4);
  });

  it('ends a trial whole days later and formats durations for timer summaries', () => {
    expect(iso(trialEnd(at('2027-02-27T10:00:00.000Z'), 3))).toBe('2027-03-02T10:00:00.000Z');
    expect(formatDuration(30 * 60_000)).toBe('30m');
    expect(formatDuration(24 * 3_600_000)).toBe('1d');
    expect(formatDuration(27 * 24 * 3_600_000 + 5 * 3_600_000 + 60_000)).toBe('27d 5h');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(250)).toBe('250ms');
  });
});
