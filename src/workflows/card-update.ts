import { ApplicationFailure, log } from '@temporalio/workflow';
import type { ChargeOutcome, StoredCard } from '../shared/gateway-port';
import { formatMoney, type Money } from '../shared/money';
import { authorizationMinimum } from '../shared/plan-rules';
import { SubscriptionErrors } from '../shared/workflow-errors';
import { gateway } from './activity-proxies';
import { isDuplicateReference } from './charging';
import type { Run } from './run';
import { watchClosedCheckout } from './unsettled';
import { verifyReference } from './verify-reference';

/**
 * Card updates (0.6.0): a subscription that is already billing moves to a new card through the gateway's own
 * authorization flow, a checkout under the next `<id>-auth<n>` reference that charges the gateway's minimum and
 * refunds it. The old card keeps being billed until the new one is authorized; once it is, an `unpaid` or
 * `past_due` cycle is charged on it at once under the cycle's next attempt reference (the loop's retry-now path).
 * A card-update checkout that closes unpaid (expired, replaced, the subscription ended) is watched like any closed
 * checkout: a payment found there later is refunded, never kept.
 *
 * No `patched()` flag: all of this starts only from the `updateCard` update, which no earlier history holds, so every
 * committed history replays exactly as before.
 */

const MAX_REFERENCE_MOVES = 2;
const sameMoney = (a: Money, b: Money): boolean => a.amount === b.amount && a.currency === b.currency;

/** Closes a pending card update without a new card, and keeps watching its checkout when it was opened. */
export function closeCardUpdate(run: Run, status: 'expired' | 'replaced', reason: string): void {
  const { sub } = run;
  const cu = sub.cardUpdate;
  if (!cu || cu.status !== 'pending') return;
  if (cu.checkoutUrl !== null) watchClosedCheckout(run, { cycle: sub.s.cycle, reference: cu.reference, kind: 'card_update', amount: cu.amount });
  sub.closeCardUpdate(status, reason);
}

/**
 * The `updateCard` update: replaces a pending card update, then opens the new checkout and answers with its link.
 * Opening a checkout moves no money, so it runs in the handler beside the loop, holding nothing. A gateway that keeps
 * failing fails the update (502 at the API) with the card update closed as failed; the merchant may ask again.
 */
export async function requestCardUpdate(run: Run): Promise<void> {
  const { sub } = run;
  const s = sub.s;
  const minimum = authorizationMinimum(s.input.gateway, s.plan.currency, s.input.authorizationMinimums);
  if (minimum === undefined) throw ApplicationFailure.nonRetryable(`no authorization minimum for ${s.plan.currency}`, SubscriptionErrors.CheckoutUnavailable);
  const amount = { amount: minimum, currency: s.plan.currency };
  // Under the money lock: a webhook of the card update being replaced is applied before, or after, never across it.
  await run.co.money.run(() => {
    closeCardUpdate(run, 'replaced', 'a newer card update replaced it');
    sub.openCardUpdate(sub.nextCheckoutReference(), amount, sub.now() + s.input.authorizationWindowMs);
  });
  const opening = sub.cardUpdate!.reference;
  const stillOpening = (reference: string): boolean => sub.cardUpdate?.reference === reference && sub.cardUpdate.status === 'pending';
  for (let moves = 0, reference = opening; ; moves += 1) {
    try {
      const result = await gateway.initializeAuthorization.executeWithOptions(
        { summary: `open card-update checkout ${reference}: authorize ${formatMoney(amount)} (refunded)` },
        [{ gateway: s.input.gateway, connectionId: s.input.gatewayConnectionId, subscriptionId: sub.id, customer: s.input.customer, amount, reference, isFirstInvoice: false }],
      );
      if (stillOpening(reference)) sub.cardUpdateOpened(result.checkoutUrl);
      return;
    } catch (err) {
      if (!stillOpening(reference)) return; // the subscription ended meanwhile
      // The reference exists at the gateway but its link was lost with the answer: nobody can pay it, use the next.
      if (isDuplicateReference(err) && moves < MAX_REFERENCE_MOVES) {
        reference = sub.nextCheckoutReference();
        sub.moveCardUpdate(reference);
        continue;
      }
      const why = `the gateway could not open the checkout: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`;
      sub.closeCardUpdate('failed', why, false);
      throw ApplicationFailure.nonRetryable(why, SubscriptionErrors.CheckoutUnavailable);
    }
  }
}

/**
 * What the gateway said about the pending card update's reference (its webhook, or a verify before it expires). Only
 * a success for exactly the minimum asked, with a card that can be charged again, switches the card; any other payment
 * is refunded and closes the card update as failed. A decline is recorded; the customer may try again at the link.
 */
export function applyCardUpdateOutcome(run: Run, outcome: ChargeOutcome, eventCard?: StoredCard): void {
  const { sub } = run;
  const cu = sub.cardUpdate;
  if (!cu || cu.status !== 'pending') return;
  const base = { cycle: sub.s.cycle, attempt: 1, reference: cu.reference, kind: 'card_update' as const, at: new Date(sub.now()).toISOString() };
  if (outcome.status === 'declined') return sub.recordCharge({ ...base, amount: cu.amount, outcome: 'declined', reason: outcome.reason });
  if (outcome.status !== 'succeeded') return;
  const paid = { ...base, amount: outcome.amount, outcome: 'succeeded' as const, gatewayTransactionId: outcome.gatewayTransactionId };
  const card = eventCard ?? outcome.card;
  const problem = !sameMoney(outcome.amount, cu.amount)
    ? `paid ${formatMoney(outcome.amount)}, asked ${formatMoney(cu.amount)}`
    : card && !card.reusable
      ? 'the card cannot be charged again (not reusable); the customer must use another card'
      : null;
  if (!problem && !card) {
    log.error('card update paid without a reusable card; waiting for another event', { reference: cu.reference });
    return;
  }
  sub.recordCharge(problem ? { ...paid, reason: problem } : paid);
  // The minimum (or the payment that cannot authorize) is owed back at once, under the charge's first refund reference.
  sub.owesRefund({ chargeReference: cu.reference, gatewayTransactionId: outcome.gatewayTransactionId, amount: outcome.amount, reason: problem ?? 'card update authorization' });
  if (problem || !card) return sub.closeCardUpdate('failed', problem ?? 'no card');
  sub.cardUpdated(card, paid);
  // The open cycle is collected on the new card now, unless an attempt on the old one is still open.
  const collecting = sub.s.status === 'past_due' || sub.s.status === 'unpaid';
  if (collecting && sub.attempt === null && !sub.s.dunning.retryNowRequested) sub.requestRetryNow();
}

/** When the pending card update's checkout closes, or null. */
export function cardUpdateExpiryMs({ sub }: Run): number | null {
  const cu = sub.cardUpdate;
  return cu?.status === 'pending' && cu.checkoutUrl !== null ? Date.parse(cu.expiresAt) : null;
}

export const cardUpdateDue = (run: Run): boolean => {
  const at = cardUpdateExpiryMs(run);
  return at !== null && at <= run.sub.now();
};

/**
 * The card-update checkout's window ended: its reference is verified first (a lost webhook must not lose the new
 * card), then it closes. Holds the money lock like any other booking.
 */
export async function expireCardUpdate(run: Run): Promise<void> {
  const { sub } = run;
  await run.co.money.run(async () => {
    const cu = sub.cardUpdate;
    if (!cu || cu.status !== 'pending') return;
    try {
      const outcome = await verifyReference(run, cu.reference, `verify card-update checkout ${cu.reference} before it expires`);
      if (outcome.status === 'succeeded') applyCardUpdateOutcome(run, outcome);
    } catch (err) {
      log.warn('card-update checkout could not be verified before expiry', { reference: cu.reference, error: String(err) });
    }
    closeCardUpdate(run, 'expired', 'the checkout window ended unpaid');
  });
}
