import { ActivityFailure, ApplicationFailure, condition, log } from '@temporalio/workflow';
import { formatDuration } from '../shared/calendar';
import { GatewayErrors } from '../shared/gateway-port';
import { formatMoney, type Money } from '../shared/money';
import type { RefundRecord } from '../shared/state';
import { gateway } from './activity-proxies';
import type { Run } from './run';

const HOUR = 60 * 60_000;
/** Backoff between sends of a refund whose outcome is unknown; the same reference every time, so at most one refund. */
const REFUND_RETRY = { firstMs: HOUR, maxMs: 24 * HOUR };
/** Sends without an answer after which a refund is announced as delayed: the first, then 1 h, 2 h, 4 h and 8 h later (about 15 h). */
const DELAYED_AFTER_SENDS = 5;

export interface RefundRequest {
  reference: string;
  chargeReference: string;
  gatewayTransactionId: string;
  amount: Money;
}

/** The gateway refused the refund outright (refunds off on the connection, a rejected request): it will not change. */
function definiteRefusal(err: unknown): string | null {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    const { type, message } = err.cause;
    if (type === GatewayErrors.RefundsDisabled || type === GatewayErrors.Rejected || type === GatewayErrors.UnknownConnection) return `${type}: ${message}`;
  }
  return null;
}

/**
 * Sends one refund request under its reference. Its answer settles the refund, or leaves it pending for the webhook.
 * An unknown outcome (the activity gave up) is sent again later under the same reference (0.3.0; the refund activity
 * looks for an earlier refund of that reference first), so it is never marked failed while money may have moved.
 * Returns the status reached, 'refused' (the request failed for good: the refund is failed), or 'unknown'.
 */
export async function requestRefund(run: Run, r: RefundRequest, what: string, attempts = 0): Promise<RefundRecord['status'] | 'refused' | 'unknown'> {
  const { sub, co, f } = run;
  const settleOpts = { failedMaySettle: f.refundRetries, announceFailure: f.refundRetries };
  co.refundsInFlight += 1;
  try {
    const outcome = await gateway.refundCharge.executeWithOptions({ summary: `refund ${what} ${formatMoney(r.amount)}${attempts > 0 ? ` (sent again, ${attempts})` : ''}` }, [
      {
        gateway: sub.s.input.gateway,
        connectionId: sub.s.input.gatewayConnectionId,
        chargeReference: r.chargeReference,
        gatewayTransactionId: r.gatewayTransactionId,
        amount: r.amount,
        reference: r.reference,
      },
    ]);
    sub.dropRefundRetry(r.reference);
    // `pending` stays pending until the refund webhook settles it.
    if (outcome.status !== 'pending') sub.settleRefund(r.reference, outcome.status, outcome.reason, settleOpts);
    return outcome.status;
  } catch (err) {
    const refused = definiteRefusal(err);
    if (!f.refundRetries || refused) {
      log.error(`${what} refund failed; an operator must refund it`, { reference: r.reference, error: String(err) });
      sub.dropRefundRetry(r.reference);
      sub.settleRefund(r.reference, 'failed', refused ?? String(err), settleOpts);
      return 'refused';
    }
    const backoff = Math.min(REFUND_RETRY.firstMs * 2 ** attempts, REFUND_RETRY.maxMs);
    log.warn(`${what} refund outcome unknown; sending it again under the same reference`, { reference: r.reference, inMs: backoff, error: String(err) });
    const retryAt = new Date(sub.now() + backoff).toISOString();
    sub.retryRefundAt({ ...r, attempts: attempts + 1, retryAt });
    // After about a day without an answer the merchant hears of it, once (0.4.0): the customer is still owed it.
    if (f.refundDelayAnnounced && attempts + 1 === DELAYED_AFTER_SENDS) {
      sub.emit('refund.delayed', { reference: r.reference, chargeReference: r.chargeReference, amount: r.amount, attempt: attempts + 1, nextRetryAt: retryAt, reason: 'the gateway has not answered the refund request (errors or timeouts)' });
    }
    return 'unknown';
  } finally {
    co.refundsInFlight -= 1;
  }
}

/**
 * A refund Chargeloop makes on its own, now (the authorization minimum, a refused checkout payment): once per charge
 * under `refundReference(charge)`, recorded as pending before the gateway is asked. Returns null when already made.
 */
export async function refundNow(run: Run, r: Omit<RefundRequest, 'reference'> & { reason: string; what: string }): Promise<RefundRecord['status'] | 'refused' | 'unknown' | null> {
  const reference = run.sub.recordFirstRefund(r);
  if (reference === null) return null;
  return requestRefund(run, { reference, chargeReference: r.chargeReference, gatewayTransactionId: r.gatewayTransactionId, amount: r.amount }, r.what);
}

/** Whether a refund is still to be sent or is being sent: the workflow neither completes nor continues as new then. */
export function refundsOutstanding(run: Run): boolean {
  return (run.sub.s.refundRetries?.length ?? 0) > 0 || run.co.refundsInFlight > 0;
}

/**
 * Beside the billing loop, like the outbox: sends queued refunds when due (refunds owed for payments that cannot
 * count, and retries of unknown outcomes). A refund never waits for billing, and billing never waits for a refund.
 */
export async function runRefundQueue(run: Run): Promise<void> {
  const { sub } = run;
  const queue = (): readonly { reference: string; retryAt: string }[] => sub.s.refundRetries ?? [];
  const key = (): string => queue().map((r) => `${r.reference}@${r.retryAt}`).join(',');
  for (;;) {
    await condition(() => queue().length > 0);
    const next = [...queue()].sort((a, b) => Date.parse(a.retryAt) - Date.parse(b.retryAt))[0]!;
    const wait = Date.parse(next.retryAt) - sub.now();
    if (wait > 0) {
      const seen = key();
      await condition(() => key() !== seen, wait, { summary: `send refund ${next.reference} again in ${formatDuration(wait)}` });
      continue;
    }
    const retry = sub.s.refundRetries!.find((r) => r.reference === next.reference)!;
    if (sub.s.refunds.find((r) => r.reference === retry.reference)?.status !== 'pending') {
      sub.dropRefundRetry(retry.reference); // settled meanwhile (a webhook), or no longer kept
      continue;
    }
    await requestRefund(run, { reference: retry.reference, chargeReference: retry.chargeReference, gatewayTransactionId: retry.gatewayTransactionId, amount: retry.amount }, 'owed', retry.attempts);
  }
}
