import { condition } from '@temporalio/workflow';
import type { SubscriptionState } from './subscription-state';

/**
 * Waits until `deadlineMs` (null: no deadline) or until anything changes (an update, a webhook, an event to send),
 * so cancel and pause act at once. Returns true when the deadline was reached, false when woken early.
 */
export async function waitUntil(sub: SubscriptionState, deadlineMs: number | null, summary: string): Promise<boolean> {
  const seen = sub.version;
  const woken = (): boolean => sub.version !== seen || sub.hasWork();
  const ms = deadlineMs === null ? null : deadlineMs - Date.now();
  if (ms !== null && ms <= 0) return true;
  sub.idle = true;
  try {
    if (ms === null) {
      await condition(woken);
      return false;
    }
    return !(await condition(woken, ms, { summary }));
  } finally {
    sub.idle = false;
  }
}
