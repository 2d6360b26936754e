import { condition } from '@temporalio/workflow';
import { cardUpdateExpiryMs } from './card-update';
import type { Run } from './run';
import { nextUnsettledCheckMs } from './unsettled';

/**
 * The loop's only durable wait: until `deadlineMs` (null: no deadline) or until anything changes (an update, a
 * webhook, or `alsoWakeWhen`), so cancel and pause act at once. Never called holding the money lock. Returns true when the deadline
 * was reached, false when woken early. Since 0.7.0 its timer survives an early wake-up (loop-timer.ts).
 */
export async function waitUntil(run: Run, deadlineMs: number | null, summary: string, alsoWakeWhen: () => boolean = () => false): Promise<boolean> {
  const { sub, co } = run;
  const seen = sub.version;
  const woken = (): boolean => sub.version !== seen || sub.hasWork() || alsoWakeWhen();
  if (deadlineMs !== null && deadlineMs <= Date.now()) return true;
  // An unsettled charge due for a check (0.4.0), or a card-update checkout closing (0.6.0), before the deadline wakes
  // the loop early for it.
  const check = nextUnsettledCheckMs(run);
  const expiry = cardUpdateExpiryMs(run);
  const early = check !== null && (expiry === null || check <= expiry) ? check : expiry;
  const wakeAt = early !== null && (deadlineMs === null || early < deadlineMs) ? early : deadlineMs;
  const ms = wakeAt === null ? null : Math.max(0, wakeAt - Date.now());
  const first = wakeAt === check ? 'verify an unsettled charge first' : 'close the card-update checkout first';
  const timerSummary = wakeAt === deadlineMs ? summary : `${summary}; ${first}`;
  co.parked = true;
  try {
    if (run.f.standingTimer) {
      // One timer per instant, kept across wake-ups (loop-timer.ts). Work that arrived with the timer wins: the loop
      // applies it first and comes back to a deadline that is then already reached.
      const fired = co.timer.until(wakeAt, timerSummary);
      await condition(() => woken() || fired());
      return !woken() && wakeAt === deadlineMs;
    }
    if (ms === null) {
      await condition(woken);
      return false;
    }
    const timedOut = !(await condition(woken, ms, { summary: timerSummary }));
    return timedOut && wakeAt === deadlineMs;
  } finally {
    co.parked = false;
  }
}
