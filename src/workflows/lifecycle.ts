import { formatDuration } from '../shared/calendar';
import { stepIncomplete } from './authorization';
import { cardUpdateDue, expireCardUpdate } from './card-update';
import { attemptCharge, stepAttempt } from './charging';
import type { Run } from './run';
import { reverifyUnsettled, unsettledDue } from './unsettled';
import { lastAttempt } from './view';
import { waitUntil } from './waits';

/** What the last attempt said, for the summary of the wait that follows it: a decline reads as one in the timeline. */
function afterLastAttempt(run: Run): string {
  const a = lastAttempt(run.sub);
  return a && a.outcome !== 'succeeded' ? `cycle ${a.cycle} attempt ${a.attempt} ${a.outcome}${a.reason ? ` (${a.reason})` : ''}: ` : '';
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** trialing/active: wait for the next period boundary, then cancel, complete, or bill the next cycle. */
async function stepScheduled(run: Run): Promise<void> {
  const { sub, co, f } = run;
  const s = sub.s;
  const boundary = sub.nextBoundaryMs();
  const what = s.cancelAtPeriodEnd ? 'cancel at period end' : sub.isFinished() && !s.pendingPlan ? 'complete after the last cycle' : `next charge cycle ${s.cycle + 1}`;
  if (!(await waitUntil(run, boundary, `${what} on ${day(boundary)} (in ${formatDuration(boundary - sub.now())})`))) return;
  if (s.cancelAtPeriodEnd) return sub.cancelNow();
  // A plan changed to more cycles (or to unlimited) must take effect before "finished" is decided (0.3.0); runs
  // before 0.3.0 decided first.
  if (f.planBeforeFinish) sub.applyPendingPlan(boundary, f.keepAnchorDay);
  if (sub.isFinished()) return sub.complete();
  if (!f.planBeforeFinish) sub.applyPendingPlan(boundary, f.keepAnchorDay);
  sub.beginCycle();
  co.cyclesThisRun += 1;
  await attemptCharge(run, 'renewal');
}

/** past_due: the next automatic retry at its time, or at once when a Razorpay retry-now asked for it. */
async function stepPastDue(run: Run): Promise<void> {
  const { sub } = run;
  const d = sub.s.dunning;
  if (!d.retryNowRequested) {
    const at = d.nextRetryAt === null ? null : Date.parse(d.nextRetryAt);
    const summary = `${afterLastAttempt(run)}${at === null ? 'past due' : `retry attempt ${d.attemptsMade + 1} in ${formatDuration(at - sub.now())}`}`;
    if (!(await waitUntil(run, at, summary))) return;
  }
  await attemptCharge(run, sub.s.dunning.retryNowRequested ? 'manual_retry' : 'renewal');
}

/** unpaid and paused wait for the merchant (retry-now, resume, cancel); nothing is charged meanwhile. */
async function stepWaitForMerchant(run: Run): Promise<void> {
  const { sub } = run;
  if (sub.s.status === 'unpaid' && sub.s.dunning.retryNowRequested) return attemptCharge(run, 'manual_retry');
  const waiting = sub.s.status === 'unpaid' ? `unpaid: ${afterLastAttempt(run)}waiting for a merchant retry or a cancel` : 'paused: waiting for resume or cancel';
  await waitUntil(run, null, waiting);
}

/** One step of the loop: the open attempt first (nothing else is charged until its outcome is known), then by status. */
export async function step(run: Run): Promise<void> {
  if (unsettledDue(run)) return reverifyUnsettled(run);
  if (cardUpdateDue(run)) return expireCardUpdate(run);
  if (run.sub.attempt) return stepAttempt(run);
  switch (run.sub.s.status) {
    case 'incomplete':
      return stepIncomplete(run);
    case 'trialing':
    case 'active':
      return stepScheduled(run);
    case 'past_due':
      return stepPastDue(run);
    case 'unpaid':
    case 'paused':
      return stepWaitForMerchant(run);
    case 'incomplete_expired':
    case 'canceled':
    case 'completed':
      return;
  }
}
