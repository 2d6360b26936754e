import { ActivityFailure, ApplicationFailure, log } from '@temporalio/workflow';
import { formatDuration } from '../shared/calendar';
import { GatewayErrors, type ChargeCardInput, type ChargeOutcome } from '../shared/gateway-port';
import { formatMoney } from '../shared/money';
import { isCheckoutCharge, type ChargeRecord } from '../shared/state';
import { charger } from './activity-proxies';
import { verifyReference } from './verify-reference';
import type { Run } from './run';
import type { OpenAttempt, Sealed } from './snapshot';
import { expirePending, nextPendingCheckMs, pendingExpired } from './pending-window';
import { refuseRevokedCard } from './revoked-card';
import { isTerminal } from './state-machine';
import { watchIfUnsettled } from './unsettled';
import { waitUntil } from './waits';

export type FinalOutcome = Extract<ChargeOutcome, { status: 'succeeded' | 'declined' }>;

const MINUTE = 60_000;
/** How often a `pending` charge is re-verified when no webhook arrives (doubling up to a day, within its window: pending-window.ts). */
const PENDING_RECHECK = { firstMs: 30 * MINUTE, maxMs: 24 * 60 * MINUTE };
/** Backoff between verify rounds when the verify activity itself keeps failing. */
const VERIFY_BACKOFF = { firstMs: 5 * MINUTE, maxMs: 6 * 60 * MINUTE };
/** A reference the gateway never saw is re-sent (same reference, so still at most one charge) this many times. */
const MAX_RESENDS = 2;

const iso = (ms: number): string => new Date(ms).toISOString();

/** Failures that prove nothing was charged: the gateway refused the request outright. */
export function refusedOutright(err: unknown): string | null {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    const type = err.cause.type;
    if (type === GatewayErrors.Rejected || type === GatewayErrors.UnknownConnection) return `${type}: ${err.cause.message}`;
  }
  return null;
}

export function isDuplicateReference(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === GatewayErrors.DuplicateReference;
}

const summaryOf = (a: Sealed<OpenAttempt>): string => `charge cycle ${a.cycle} attempt ${a.attempt}: ${formatMoney(a.amount)}`;

function chargeInput(run: Run, a: Sealed<OpenAttempt>): ChargeCardInput {
  const s = run.sub.s;
  if (!s.card) throw new Error(`no stored card for ${run.sub.id}`);
  return {
    gateway: s.input.gateway,
    connectionId: s.input.gatewayConnectionId,
    subscriptionId: run.sub.id,
    customer: s.input.customer,
    amount: a.amount,
    reference: a.reference,
    card: s.card,
    description: `${s.plan.id} cycle ${a.cycle}`,
  };
}

/** One chargeCard call; null when the outcome is unknown (timeouts, retries exhausted). */
async function callCharge(run: Run, input: ChargeCardInput, summary: string): Promise<ChargeOutcome | null> {
  try {
    return await charger(run.f, input.connectionId).chargeCard.executeWithOptions({ summary }, [input]);
  } catch (err) {
    const reason = refusedOutright(err);
    if (reason) return { status: 'declined', reference: input.reference, reason };
    log.warn('charge outcome unknown; verifying the reference before anything else', { reference: input.reference, error: String(err) });
    return null;
  }
}

/**
 * Books a successful charge of a cycle, whenever and however it is learned (the charge call, a webhook, a verify, a
 * success that arrives after its attempt was recorded as declined). One rule: a cycle keeps at most one payment.
 * A success for a cycle already paid, for a cycle that is no longer being collected, or after the subscription ended
 * is recorded, refunded and announced (0.3.0); otherwise it pays its cycle.
 */
export function bookSuccess(run: Run, record: ChargeRecord & { gatewayTransactionId: string }): void {
  const { sub, f } = run;
  if (f.latePayments) {
    if (isTerminal(sub.s.status)) return sub.refuseLatePayment(record, `paid after the subscription was ${sub.s.status}`);
    if (sub.cyclePaid(record.cycle)) return sub.refuseLatePayment(record, `cycle ${record.cycle} was already paid`);
    if (record.cycle !== sub.s.cycle) return sub.refuseLatePayment(record, `cycle ${record.cycle} is no longer being collected (cycle ${sub.s.cycle} is)`);
  }
  sub.chargeSucceeded(record);
}

/** The open attempt has its outcome: book it and close the attempt. */
export function finishAttempt(run: Run, outcome: FinalOutcome): void {
  const { sub, f } = run;
  const a = sub.closeAttempt();
  const at = iso(sub.now());
  const base = { cycle: a.cycle, attempt: a.attempt, reference: a.reference, kind: a.kind } as const;
  if (outcome.status === 'succeeded') {
    bookSuccess(run, { ...base, amount: outcome.amount, outcome: 'succeeded', gatewayTransactionId: outcome.gatewayTransactionId, at });
  } else {
    sub.chargeDeclined({ ...base, amount: a.amount, outcome: 'declined', reason: outcome.reason, at }, f.spacingFromAttemptStart ? Date.parse(a.startedAt) : sub.now());
  }
}

/** Moves the open attempt on from what the gateway answered (null: unknown). */
function applyAnswer(run: Run, outcome: ChargeOutcome | null): void {
  const { sub } = run;
  const a = sub.attempt!;
  if (outcome === null) return sub.attemptProgress({ phase: 'verify', nextCheckAt: iso(sub.now()) });
  switch (outcome.status) {
    case 'succeeded':
    case 'declined':
      return finishAttempt(run, outcome);
    case 'not_found':
      if (a.resends >= MAX_RESENDS) {
        watchIfUnsettled(run, a);
        return finishAttempt(run, { status: 'declined', reference: a.reference, reason: 'the gateway did not process the charge' });
      }
      return sub.attemptProgress({ phase: 'send', resends: a.resends + 1 });
    case 'pending': {
      if (pendingExpired(run, a)) return expirePending(run);
      const recheck = Math.min(PENDING_RECHECK.firstMs * 2 ** a.pendingRounds, PENDING_RECHECK.maxMs);
      return sub.attemptProgress({ phase: 'await_webhook', nextCheckAt: iso(nextPendingCheckMs(run, a, recheck)), pendingRounds: a.pendingRounds + 1 });
    }
  }
}

async function verifyOnce(run: Run): Promise<void> {
  const { sub } = run;
  const a = sub.attempt!;
  try {
    const outcome = await verifyReference(run, a.reference, `verify ${a.reference} (round ${a.verifyRounds + 1})`);
    applyAnswer(run, outcome);
  } catch (err) {
    // A charge last known pending whose window has ended is escalated even when its final verify fails.
    if (pendingExpired(run, a)) return expirePending(run);
    const backoff = Math.min(VERIFY_BACKOFF.firstMs * 2 ** a.verifyRounds, VERIFY_BACKOFF.maxMs);
    log.warn('verify failed; backing off', { reference: a.reference, round: a.verifyRounds + 1, error: String(err) });
    const next = a.pendingRounds > 0 ? nextPendingCheckMs(run, a, backoff) : sub.now() + backoff;
    sub.attemptProgress({ phase: 'verify', nextCheckAt: iso(next), verifyRounds: a.verifyRounds + 1 });
  }
}

const due = (run: Run, a: Sealed<OpenAttempt>): boolean => a.nextCheckAt === null || Date.parse(a.nextCheckAt) <= run.sub.now();

/**
 * Drives the open attempt as far as it goes without a durable wait: send (and re-send a reference the gateway never
 * saw), verify an unknown outcome. Returns once it has an outcome or must wait. Runs holding the money lock.
 */
async function drive(run: Run): Promise<void> {
  for (;;) {
    const a = run.sub.attempt;
    if (!a) return;
    if (a.phase === 'send') applyAnswer(run, await callCharge(run, chargeInput(run, a), a.resends > 0 ? `${summaryOf(a)} (re-sent)` : summaryOf(a)));
    else if (a.phase === 'verify' && due(run, a)) await verifyOnce(run);
    else return;
  }
}

/**
 * Before the cycle is charged again: its earlier attempts whose outcome is unknown (escalated while pending:
 * pending-window.ts) are verified once each, since a success whose webhook was lost would otherwise be charged a
 * second time. A success found pays the cycle (true: no new attempt); a decline found is recorded; anything else
 * (still pending, not found, the verify failing) leaves the record unknown and the new attempt goes ahead.
 */
async function foundUnknownPaid(run: Run): Promise<boolean> {
  const { sub } = run;
  // Also the cycle's unsettled charges (recorded declined, not found after ambiguous sends: unsettled.ts).
  const watched = new Set(sub.unsettledCharges.filter((u) => u.cycle === sub.s.cycle).map((u) => u.reference));
  const unknown = sub.s.charges.filter((c) => c.cycle === sub.s.cycle && !isCheckoutCharge(c.kind) && (c.outcome === 'unknown' || watched.has(c.reference)));
  if (unknown.length === 0) return false;
  for (const c of unknown) {
    let outcome: ChargeOutcome;
    try {
      outcome = await verifyReference(run, c.reference, `verify ${c.reference} before charging cycle ${c.cycle} again`);
    } catch (err) {
      log.warn('verify of an unknown charge failed; charging again (a late success is refunded)', { reference: c.reference, error: String(err) });
      continue;
    }
    const at = iso(sub.now());
    if (outcome.status === 'succeeded' || outcome.status === 'declined') sub.unsettledChecked(c.reference, null);
    if (outcome.status === 'succeeded') bookSuccess(run, { ...c, amount: outcome.amount, outcome: 'succeeded', gatewayTransactionId: outcome.gatewayTransactionId, at });
    else if (outcome.status === 'declined') sub.recordCharge({ ...c, outcome: 'declined', reason: outcome.reason, at });
  }
  return sub.cyclePaid(sub.s.cycle);
}

/**
 * One charge attempt for the current cycle with its deterministic reference, as far as it goes at once. Its outcome
 * moves the subscription (success → active on the anchor; decline → dunning per the gateway policy); an unknown or
 * pending outcome stays open in the snapshot, and the loop resumes it (stepAttempt), across continue-as-new too.
 */
export async function attemptCharge(run: Run, kind: OpenAttempt['kind']): Promise<void> {
  await run.co.money.run(async () => {
    if (run.f.boundedPending && (await foundUnknownPaid(run))) return;
    run.sub.openAttempt(kind);
    if (run.f.cardRevocation && run.sub.s.cardRevoked) return refuseRevokedCard(run);
    await drive(run);
  });
  run.co.attemptsAnswered += 1;
}

/** The loop's step while an attempt is open: verify when due, otherwise wait for its webhook or its next check. */
export async function stepAttempt(run: Run): Promise<void> {
  const { sub } = run;
  const a = sub.attempt!;
  // No webhook came by the recheck time: verify now.
  if (a.phase === 'await_webhook' && due(run, a)) sub.attemptProgress({ phase: 'verify', nextCheckAt: iso(sub.now()) });
  if (a.phase !== 'await_webhook' && due(run, a)) {
    await run.co.money.run(() => drive(run));
    return;
  }
  const at = Date.parse(a.nextCheckAt!);
  const what = a.phase === 'await_webhook' ? `await confirmation of ${a.reference}, verify in` : `verify ${a.reference} again in`;
  await waitUntil(run, at, `${what} ${formatDuration(at - sub.now())}`);
}
