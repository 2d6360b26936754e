import { condition } from '@temporalio/workflow';
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
  // An unsettled charge due for a check before the deadline wakes the loop early for it (0.4.0).
  const check = nextUnsettledCheckMs(run);
  const wakeAt = check !== null && (deadlineMs === null || check < deadlineMs) ? check : deadlineMs;
  const ms = wakeAt === null ? null : Math.max(0, wakeAt - Date.now());
  co.parked = true;
  try {
    if (ms === null) {
      await condition(woken);
      return false;
    }
    const timedOut = !(await condition(woken, ms, { summary: wakeAt === deadlineMs ? summary : `${summary}; verify an unsettled charge first` }));
    return timedOut && wakeAt === deadlineMs;
  } finally {
    co.parked = false;
  }
}
