import { condition } from '@temporalio/workflow';
import { cardUpdateExpiryMs } from './card-update';
import type { Run } from './run';
import { nextUnsettledCheckMs } from './unsettled';

/**
 * The loop's only durable wait: until `deadlineMs` (null: no deadline) or until anything changes (an update, a
 * webhook, or `alsoWakeWhen`), so cancel and pause act at once. Never called holding the money lock. Returns true when the deadline
 * was reached, false when woken early.
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
  co.parked = true;
  try {
    if (ms === null) {
      await condition(woken);
      return false;
    }
    const timedOut = !(await condition(woken, ms, { summary: wakeAt === deadlineMs ? summary : `${summary}; ${first}` }));
    return timedOut && wakeAt === deadlineMs;
  } finally {
    co.parked = false;
  }
}
