import { condition } from '@temporalio/workflow';
import type { Run } from './run';

/**
 * The loop's only durable wait: until `deadlineMs` (null: no deadline) or until anything changes (an update, a
 * webhook, or `alsoWakeWhen`), so cancel and pause act at once. Never called holding the money lock. Returns true when the deadline
 * was reached, false when woken early.
 */
export async function waitUntil(run: Run, deadlineMs: number | null, summary: string, alsoWakeWhen: () => boolean = () => false): Promise<boolean> {
  const { sub, co } = run;
  const seen = sub.version;
  const woken = (): boolean => sub.version !== seen || sub.hasWork() || alsoWakeWhen();
  const ms = deadlineMs === null ? null : deadlineMs - Date.now();
  if (ms !== null && ms <= 0) return true;
  co.parked = true;
  try {
    if (ms === null) {
      await condition(woken);
      return false;
    }
    return !(await condition(woken, ms, { summary }));
  } finally {
    co.parked = false;
  }
}
