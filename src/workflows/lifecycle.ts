import { formatDuration } from '../shared/calendar';
import { stepIncomplete } from './authorization';
import { attemptCharge } from './charging';
import { processInbox } from './inbox';
import type { SubscriptionState } from './subscription-state';
import { waitUntil } from './waits';

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** trialing/active: wait for the next period boundary, then cancel, complete, or bill the next cycle. */
async function stepScheduled(sub: SubscriptionState): Promise<void> {
  const s = sub.s;
  const boundary = sub.nextBoundaryMs();
  const what = s.cancelAtPeriodEnd ? 'cancel at period end' : sub.isFinished() ? 'complete after the last cycle' : `next charge cycle ${s.cycle + 1}`;
  if (!(await waitUntil(sub, boundary, `${what} on ${day(boundary)} (in ${formatDuration(boundary - sub.now())})`))) return;
  if (s.cancelAtPeriodEnd) return sub.cancelNow();
  if (sub.isFinished()) return sub.complete();
  sub.applyPendingPlan(boundary);
  sub.beginCycle();
  await attemptCharge(sub, 'renewal');
}

/** past_due: the next automatic retry at its time, or at once when a Razorpay retry-now asked for it. */
async function stepPastDue(sub: SubscriptionState): Promise<void> {
  const d = sub.s.dunning;
  if (!d.retryNowRequested) {
    const at = d.nextRetryAt === null ? null : Date.parse(d.nextRetryAt);
    const summary = at === null ? 'past due' : `retry attempt ${d.attemptsMade + 1} in ${formatDuration(at - sub.now())}`;
    if (!(await waitUntil(sub, at, summary))) return;
  }
  await attemptCharge(sub, d.retryNowRequested ? 'manual_retry' : 'renewal');
}

/** unpaid and paused wait for the merchant (retry-now, resume, cancel); nothing is charged meanwhile. */
async function stepWaitForMerchant(sub: SubscriptionState): Promise<void> {
  if (sub.s.status === 'unpaid' && sub.s.dunning.retryNowRequested) return attemptCharge(sub, 'manual_retry');
  await waitUntil(sub, null, sub.s.status);
}

/** Handles the webhooks that arrived since the last step. */
export async function settle(sub: SubscriptionState): Promise<void> {
  while (sub.hasWork()) await processInbox(sub);
}

export async function step(sub: SubscriptionState): Promise<void> {
  switch (sub.s.status) {
    case 'incomplete':
      return stepIncomplete(sub);
    case 'trialing':
    case 'active':
      return stepScheduled(sub);
    case 'past_due':
      return stepPastDue(sub);
    case 'unpaid':
    case 'paused':
      return stepWaitForMerchant(sub);
    case 'incomplete_expired':
    case 'canceled':
    case 'completed':
      return;
  }
}
