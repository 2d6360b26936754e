import { log, patched } from '@temporalio/workflow';
import type { ChargeOutcome, StoredCard } from '../shared/gateway-port';
import { formatMoney, type Money } from '../shared/money';
import type { ChargeRecord } from '../shared/state';
import { refundNow } from './refunds';
import type { Run } from './run';

const sameMoney = (a: Money, b: Money): boolean => a.amount === b.amount && a.currency === b.currency;

/**
 * A checkout payment that cannot be the authorization: paid with another amount or currency than was asked (a hosted
 * or inline checkout whose amount the customer's browser could change), or with a card the gateway says cannot be
 * charged again (Paystack `authorization.reusable: false`), which would make every renewal fail. It is recorded,
 * refunded under its own deterministic reference, and a new checkout opens under the next authorization reference.
 * The refund happens after the reference moves on, so it counts as a merchant-visible refund, not as the automatic
 * refund of the authorization minimum.
 */
async function refuseCheckoutPayment(run: Run, record: ChargeRecord & { gatewayTransactionId: string; reason: string }): Promise<void> {
  const { sub } = run;
  log.error('checkout payment cannot be the authorization; refunding it and opening a new checkout', { reference: record.reference, paid: formatMoney(record.amount), why: record.reason });
  sub.recordCharge(record);
  sub.reopenCheckout();
  await refundNow(run, {
    chargeReference: record.reference,
    gatewayTransactionId: record.gatewayTransactionId,
    amount: record.amount,
    reason: record.reason,
    what: 'refused checkout payment',
  });
}

/**
 * Applies what the gateway said about the authorization reference (from a webhook, or from a verify call before the
 * window closes). Returns true when the card is now authorized. Only a success for exactly the amount asked, with a
 * reusable card, authorizes; a decline is recorded and the customer may try again at the same checkout.
 */
export async function applyAuthorizationOutcome(run: Run, outcome: ChargeOutcome, eventCard?: StoredCard): Promise<boolean> {
  const { sub } = run;
  const a = sub.s.authorization;
  const base = { cycle: a.isFirstInvoice ? 1 : 0, attempt: 1, reference: a.reference, kind: 'authorization' as const, at: new Date(sub.now()).toISOString() };
  if (outcome.status === 'succeeded') {
    const paid = { ...base, amount: outcome.amount, outcome: 'succeeded' as const, gatewayTransactionId: outcome.gatewayTransactionId };
    // Histories recorded before this check accepted any amount.
    if (!sameMoney(outcome.amount, a.amount) && patched('authorization-amount-must-match')) {
      await refuseCheckoutPayment(run, { ...paid, reason: `paid ${formatMoney(outcome.amount)}, asked ${formatMoney(a.amount)}` });
      return false;
    }
    const card = eventCard ?? outcome.card;
    if (!card) {
      log.error('authorization succeeded without a reusable card; waiting for another event', { reference: a.reference });
      return false;
    }
    // Histories recorded before this check stored a non-reusable card and failed every renewal with it.
    if (!card.reusable && patched('authorization-card-must-be-reusable')) {
      await refuseCheckoutPayment(run, { ...paid, reason: 'the card cannot be charged again (not reusable); the customer must use another card' });
      return false;
    }
    sub.authorize(card, { ...base, amount: outcome.amount, outcome: 'succeeded', gatewayTransactionId: outcome.gatewayTransactionId });
    return true;
  }
  if (outcome.status === 'declined') sub.recordCharge({ ...base, amount: a.amount, outcome: 'declined', reason: outcome.reason });
  return false;
}
