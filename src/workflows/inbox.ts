import { log } from '@temporalio/workflow';
import type { GatewayEvent } from '../shared/gateway-events';
import type { ChargeOutcome } from '../shared/gateway-port';
import { authorizationAttempt } from '../shared/ids';
import { verifyReference } from './verify-reference';
import { isCheckoutCharge } from '../shared/state';
import { applyAuthorizationOutcome } from './authorization-outcome';
import { applyCardUpdateOutcome } from './card-update';
import { bookSuccess, finishAttempt } from './charging';
import { refundReferenceFor } from './refund-match';
import type { Run } from './run';
import { isTerminal } from './state-machine';
import { closedCheckoutWhy } from './unsettled';

type ChargeEvent = Extract<GatewayEvent, { type: 'charge.succeeded' | 'charge.failed' }>;

/** The outcome a charge webhook reports; unsigned (Flutterwave) events count only once the verify API agrees. */
async function eventOutcome(run: Run, event: ChargeEvent): Promise<ChargeOutcome | null> {
  if (event.needsVerification) {
    try {
      return await verifyReference(run, event.reference, `verify webhook for ${event.reference}`, event.type === 'charge.succeeded' ? event.gatewayTransactionId : undefined);
    } catch (err) {
      log.warn('webhook could not be verified; ignored', { eventId: event.eventId, error: String(err) });
      return null;
    }
  }
  return event.type === 'charge.succeeded'
    ? { status: 'succeeded', reference: event.reference, gatewayTransactionId: event.gatewayTransactionId, amount: event.amount, paidAt: event.paidAt, ...(event.card ? { card: event.card } : {}) }
    : { status: 'declined', reference: event.reference, reason: event.reason };
}

async function onAuthorizationEvent(run: Run, event: ChargeEvent): Promise<void> {
  const { sub } = run;
  const outcome = await eventOutcome(run, event);
  // Re-check after the verify call: a cancel or expiry may have happened meanwhile.
  if (!outcome || sub.s.authorization.status !== 'pending' || sub.s.status !== 'incomplete') return;
  await applyAuthorizationOutcome(run, outcome, event.type === 'charge.succeeded' ? event.card : undefined);
}


/**
 * A success for a reference that is no longer awaited: an attempt recorded as declined (re-sent, verified not found,
 * or failed first and paid later), a checkout that expired, was replaced or belongs to a canceled subscription. The
 * gateway took the money, so it is never dropped: it pays its cycle if that cycle is still being collected, and is
 * otherwise refunded with the merchant told (bookSuccess). Duplicates of a recorded success change nothing.
 */
async function onLatePayment(run: Run, event: Extract<GatewayEvent, { type: 'charge.succeeded' }>): Promise<void> {
  const { sub } = run;
  const record = sub.findCharge(event.reference);
  if (record?.outcome === 'succeeded') return;
  if (!record && authorizationAttempt(sub.id, event.reference) === null) {
    log.info('gateway event for an unknown reference changes nothing', { eventId: event.eventId, reference: event.reference });
    return;
  }
  const outcome = await eventOutcome(run, event);
  if (outcome?.status !== 'succeeded' || sub.findCharge(event.reference)?.outcome === 'succeeded') return;
  const at = new Date(sub.now()).toISOString();
  const paid = { amount: outcome.amount, outcome: 'succeeded' as const, gatewayTransactionId: outcome.gatewayTransactionId, at };
  if (record && !isCheckoutCharge(record.kind)) return bookSuccess(run, { ...record, ...paid });
  const kind = sub.isCardUpdateReference(event.reference) ? 'card_update' : 'authorization';
  sub.refuseLatePayment({ cycle: record?.cycle ?? 0, attempt: 1, reference: event.reference, kind, ...paid }, closedCheckoutWhy(sub, event.reference));
}

/** The pending card update's checkout was paid or declined (card-update.ts); re-checked after a verify call. */
async function onCardUpdateEvent(run: Run, event: ChargeEvent): Promise<void> {
  const { sub } = run;
  const outcome = await eventOutcome(run, event);
  if (!outcome || sub.cardUpdate?.reference !== event.reference || isTerminal(sub.s.status)) return;
  applyCardUpdateOutcome(run, outcome, event.type === 'charge.succeeded' ? event.card : undefined);
}

async function applyEvent(run: Run, event: GatewayEvent): Promise<void> {
  const { sub, f } = run;
  const settleOpts = { failedMaySettle: f.refundRetries, announceFailure: f.refundRetries };
  switch (event.type) {
    case 'refund.processed':
      return sub.settleRefund(refundReferenceFor(sub.s.refunds, event), 'processed', undefined, settleOpts);
    case 'refund.failed':
      return sub.settleRefund(refundReferenceFor(sub.s.refunds, event), 'failed', event.reason, settleOpts);
    case 'card.revoked':
      // Found by a lookup key in visibility (the webhook route): act only when the token is this subscription's card.
      if (!f.cardRevocation || sub.s.card?.token !== event.token) {
        log.warn('card revocation for a card this subscription does not hold; ignored', { eventId: event.eventId });
        return;
      }
      return sub.revokeCard(`the customer revoked the card's mandate at the gateway (${event.reason})`);
    case 'charge.succeeded':
    case 'charge.failed': {
      const open = sub.attempt;
      const a = sub.s.authorization;
      if (open && event.reference === open.reference) {
        const outcome = await eventOutcome(run, event);
        if (outcome && (outcome.status === 'succeeded' || outcome.status === 'declined') && sub.attempt?.reference === event.reference) finishAttempt(run, outcome);
      } else if (event.reference === a.reference && a.status === 'pending' && sub.s.status === 'incomplete') {
        await onAuthorizationEvent(run, event);
      } else if (sub.cardUpdate?.status === 'pending' && event.reference === sub.cardUpdate.reference) {
        await onCardUpdateEvent(run, event);
      } else if (f.latePayments && event.type === 'charge.succeeded') {
        await onLatePayment(run, event);
      } else {
        log.info('gateway event changes nothing (late, duplicate or unknown reference)', { eventId: event.eventId, reference: event.reference });
      }
    }
  }
}

/**
 * Applies the webhooks that arrived, oldest first, each holding the money lock so no cancel or pause cuts into it.
 * Refund events settle refunds; the open attempt's events finish it; the checkout's events authorize the card;
 * anything else is a late payment (booked or refunded) or a duplicate that changes nothing.
 */
export async function settle(run: Run): Promise<void> {
  while (run.sub.hasWork()) {
    await run.co.money.run(async () => {
      const event = run.sub.takeInboxEvent();
      if (event) await applyEvent(run, event);
    });
  }
}
