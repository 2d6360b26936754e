import { log } from '@temporalio/workflow';
import { refundReference } from '../shared/ids';
import { formatMoney, type Money } from '../shared/money';
import type { RefundRecord } from '../shared/state';
import { gateway } from './activity-proxies';
import type { SubscriptionState } from './subscription-state';

export interface AutomaticRefund {
  /** The charge refunded; its refund's reference is derived from it, so it is refunded at most once. */
  chargeReference: string;
  gatewayTransactionId: string;
  amount: Money;
  /** Kept on the refund record. */
  reason: string;
  /** What is refunded, for the timeline (`refund <what> NGN 50.00`) and the log. */
  what: string;
}

/**
 * A refund Chargeloop makes on its own (never an operator's): once per charge under `refundReference(charge)`,
 * recorded as pending before the gateway is asked. A failure never blocks billing: it is recorded as failed, visible in
 * the refunds list for an operator. Returns the refund's status, or null when it had already been made.
 */
export async function refundAutomatically(sub: SubscriptionState, r: AutomaticRefund): Promise<RefundRecord['status'] | null> {
  const reference = refundReference(r.chargeReference);
  if (sub.s.refunds.some((x) => x.reference === reference)) return null;
  sub.recordRefund({ reference, chargeReference: r.chargeReference, amount: r.amount, status: 'pending', reason: r.reason, at: new Date(sub.now()).toISOString() });
  try {
    const outcome = await gateway.refundCharge.executeWithOptions({ summary: `refund ${r.what} ${formatMoney(r.amount)}` }, [
      {
        gateway: sub.s.input.gateway,
        connectionId: sub.s.input.gatewayConnectionId,
        chargeReference: r.chargeReference,
        gatewayTransactionId: r.gatewayTransactionId,
        amount: r.amount,
        reference,
      },
    ]);
    // `pending` stays pending until the refund webhook settles it.
    if (outcome.status !== 'pending') sub.settleRefund(reference, outcome.status, outcome.reason);
    return outcome.status;
  } catch (err) {
    log.error(`${r.what} refund failed; an operator must refund it`, { reference, error: String(err) });
    sub.settleRefund(reference, 'failed', String(err));
    return 'failed';
  }
}
