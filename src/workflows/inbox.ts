import { log } from '@temporalio/workflow';
import type { GatewayEvent } from '../shared/gateway-events';
import type { ChargeOutcome } from '../shared/gateway-port';
import { verifier } from './activity-proxies';
import { applyAuthorizationOutcome } from './authorization-outcome';
import { refundReferenceFor } from './refund-match';
import type { SubscriptionState } from './subscription-state';

type ChargeEvent = Extract<GatewayEvent, { type: 'charge.succeeded' | 'charge.failed' }>;

/** The outcome a charge webhook reports; unsigned (Flutterwave) events count only once the verify API agrees. */
async function eventOutcome(sub: SubscriptionState, event: ChargeEvent): Promise<ChargeOutcome | null> {
  if (event.needsVerification) {
    try {
      return await verifier.verifyCharge.executeWithOptions({ summary: `verify webhook for ${event.reference}` }, [
        {
          gateway: sub.s.input.gateway,
          connectionId: sub.s.input.gatewayConnectionId,
          reference: event.reference,
          ...(event.type === 'charge.succeeded' ? { gatewayTransactionId: event.gatewayTransactionId } : {}),
        },
      ]);
    } catch (err) {
      log.warn('webhook could not be verified; ignored', { eventId: event.eventId, error: String(err) });
      return null;
    }
  }
  return event.type === 'charge.succeeded'
    ? { status: 'succeeded', reference: event.reference, gatewayTransactionId: event.gatewayTransactionId, amount: event.amount, paidAt: event.paidAt, ...(event.card ? { card: event.card } : {}) }
    : { status: 'declined', reference: event.reference, reason: event.reason };
}

async function onAuthorizationEvent(sub: SubscriptionState, event: ChargeEvent): Promise<void> {
  const outcome = await eventOutcome(sub, event);
  // Re-check after the verify call: a cancel or expiry may have happened meanwhile.
  if (!outcome || sub.s.authorization.status !== 'pending' || sub.s.status !== 'incomplete') return;
  await applyAuthorizationOutcome(sub, outcome, event.type === 'charge.succeeded' ? event.card : undefined);
}

/**
 * Applies buffered webhooks. Refund events settle refunds; the authorization's events authorize the card; an event
 * for `awaitedReference` (a pending charge) is returned to the caller. Anything else is late or duplicate and
 * changes nothing: references already settled are final.
 */
export async function processInbox(sub: SubscriptionState, awaitedReference?: string): Promise<ChargeOutcome | null> {
  while (sub.s.inbox.length > 0) {
    const event = sub.s.inbox.shift()!;
    switch (event.type) {
      case 'refund.processed':
        sub.settleRefund(refundReferenceFor(sub.s.refunds, event), 'processed');
        break;
      case 'refund.failed':
        sub.settleRefund(refundReferenceFor(sub.s.refunds, event), 'failed', event.reason);
        break;
      case 'charge.succeeded':
      case 'charge.failed':
        if (event.reference === awaitedReference) {
          const outcome = await eventOutcome(sub, event);
          if (outcome && outcome.status !== 'pending' && outcome.status !== 'not_found') return outcome;
        } else if (event.reference === sub.s.authorization.reference && sub.s.authorization.status === 'pending') {
          await onAuthorizationEvent(sub, event);
        } else {
          log.info('gateway event changes nothing (late, duplicate or unknown reference)', { eventId: event.eventId, reference: event.reference });
        }
        break;
    }
  }
  return null;
}
