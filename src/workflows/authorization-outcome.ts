import { log, patched } from '@temporalio/workflow';
import type { ChargeOutcome, StoredCard } from '../shared/gateway-port';
import { refundReference } from '../shared/ids';
import { formatMoney, type Money } from '../shared/money';
import type { ChargeRecord } from '../shared/state';
import { gateway } from './activity-proxies';
import type { SubscriptionState } from './subscription-state';

const sameMoney = (a: Money, b: Money): boolean => a.amount === b.amount && a.currency === b.currency;

/**
 * A checkout paid with another amount or currency than was asked (a hosted or inline checkout whose amount the
 * customer's browser could change) is not the authorization: it is recorded, refunded under its own deterministic
 * reference, and a new checkout opens under the next authorization reference. The refund happens after the reference
 * moves on, so it counts as a merchant-visible refund, not as the automatic refund of the authorization minimum.
 */
async function refundMismatchedPayment(sub: SubscriptionState, record: ChargeRecord & { gatewayTransactionId: string }, asked: Money): Promise<void> {
  log.error('checkout paid a different amount than asked; refunding it and opening a new checkout', {
    reference: record.reference,
    paid: formatMoney(record.amount),
    asked: formatMoney(asked),
  });
  sub.recordCharge(record);
  sub.reopenCheckout();
  const reference = refundReference(record.reference);
  if (sub.s.refunds.some((r) => r.reference === reference)) return;
  sub.recordRefund({ reference, chargeReference: record.reference, amount: record.amount, status: 'pending', reason: 'checkout amount mismatch', at: new Date(sub.now()).toISOString() });
  try {
    const outcome = await gateway.refundCharge.executeWithOptions({ summary: `refund mismatched checkout payment ${formatMoney(record.amount)}` }, [
      {
        gateway: sub.s.input.gateway,
        connectionId: sub.s.input.gatewayConnectionId,
        chargeReference: record.reference,
        gatewayTransactionId: record.gatewayTransactionId,
        amount: record.amount,
        reference,
      },
    ]);
    if (outcome.status !== 'pending') sub.settleRefund(reference, outcome.status, outcome.reason);
  } catch (err) {
    log.error('refund of a mismatched checkout payment failed; an operator must refund it', { reference, error: String(err) });
    sub.settleRefund(reference, 'failed', String(err));
  }
}

/**
 * Applies what the gateway said about the authorization reference (from a webhook, or from a verify call before the
 * window closes). Returns true when the card is now authorized. Only a success for exactly the amount asked, with a
 * reusable card, authorizes; a decline is recorded and the customer may try again at the same checkout.
 */
export async function applyAuthorizationOutcome(sub: SubscriptionState, outcome: ChargeOutcome, eventCard?: StoredCard): Promise<boolean> {
  const a = sub.s.authorization;
  const base = { cycle: a.isFirstInvoice ? 1 : 0, attempt: 1, reference: a.reference, kind: 'authorization' as const, at: new Date(sub.now()).toISOString() };
  if (outcome.status === 'succeeded') {
    // Histories recorded before this check accepted any amount.
    if (!sameMoney(outcome.amount, a.amount) && patched('authorization-amount-must-match')) {
      await refundMismatchedPayment(
        sub,
        { ...base, amount: outcome.amount, outcome: 'succeeded', gatewayTransactionId: outcome.gatewayTransactionId, reason: `paid ${formatMoney(outcome.amount)}, asked ${formatMoney(a.amount)}` },
        a.amount,
      );
      return false;
    }
    const card = eventCard ?? outcome.card;
    if (!card) {
      log.error('authorization succeeded without a reusable card; waiting for another event', { reference: a.reference });
      return false;
    }
    sub.authorize(card, { ...base, amount: outcome.amount, outcome: 'succeeded', gatewayTransactionId: outcome.gatewayTransactionId });
    return true;
  }
  if (outcome.status === 'declined') sub.recordCharge({ ...base, amount: a.amount, outcome: 'declined', reason: outcome.reason });
  return false;
}
