import { formatDuration } from '../shared/calendar';
import type { Run } from './run';
import type { OpenAttempt, Sealed } from './snapshot';
import { watchUnsettledFromNow } from './unsettled';

/**
 * How long a charge may stay `pending` (0.4.0, `boundedPending`): its gateway's window (`pendingWindowMs` in the
 * policy table), counted from when the attempt was sent. Until then it is verified on the recheck schedule, whose
 * last check falls on the window's end; after it the attempt is escalated and closed, never as a decline.
 */
export function pendingDeadlineMs(run: Run, a: Sealed<OpenAttempt>): number {
  return Date.parse(a.startedAt) + run.sub.policy.pendingWindowMs;
}

/** The next check of a pending charge: after `backoffMs`, but never past the end of its window. */
export function nextPendingCheckMs(run: Run, a: Sealed<OpenAttempt>, backoffMs: number): number {
  const next = run.sub.now() + backoffMs;
  return run.f.boundedPending ? Math.min(next, pendingDeadlineMs(run, a)) : next;
}

/** Whether the open attempt, known to be pending, has outlived its window. */
export function pendingExpired(run: Run, a: Sealed<OpenAttempt>): boolean {
  return run.f.boundedPending && a.pendingRounds > 0 && run.sub.now() >= pendingDeadlineMs(run, a);
}

/**
 * Closes an attempt still pending past its window. The gateway may yet complete it (a customer finishing 3-D
 * Secure, a bank answering late), so it is recorded `unknown`, never `declined`: a success that arrives later is
 * booked for its cycle, or refunded if the cycle was paid meanwhile (bookSuccess). The merchant hears of it
 * (`charge.pending_expired`), and dunning moves on as after a failed attempt (`invoice.payment_failed`, then past_due
 * while retries remain, otherwise unpaid), so the subscription is never held by a charge that will not finish.
 */
export function expirePending(run: Run): void {
  const { sub, f } = run;
  const a = sub.closeAttempt();
  // Verified on over the settlement horizon from now, like every charge whose outcome is not known (unsettled.ts).
  watchUnsettledFromNow(run, a);
  const reason = `still pending at ${sub.policy.label} ${formatDuration(sub.policy.pendingWindowMs)} after it was sent; not counted as a decline: a later success is booked, or refunded if the cycle is paid by then`;
  const at = new Date(sub.now()).toISOString();
  sub.emit('charge.pending_expired', { cycle: a.cycle, attempt: a.attempt, reference: a.reference, amount: a.amount, reason });
  const record = { cycle: a.cycle, attempt: a.attempt, reference: a.reference, kind: a.kind, amount: a.amount, outcome: 'unknown' as const, reason, at };
  sub.chargeDeclined(record, f.spacingFromAttemptStart ? Date.parse(a.startedAt) : sub.now());
}
