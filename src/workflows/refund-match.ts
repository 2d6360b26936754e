import { patched } from '@temporalio/workflow';
import type { GatewayEvent } from '../shared/gateway-events';
import type { RefundRecord } from '../shared/state';

type RefundEvent = Extract<GatewayEvent, { type: 'refund.processed' | 'refund.failed' }>;

/**
 * The refund a refund webhook settles. Razorpay echoes Chargeloop's refund reference; Paystack's refund events
 * name only the charge (`transaction_reference`) and the amount, so the oldest pending refund of that charge with
 * that amount is the one settled. Added behind a patch: older histories keep settling by reference only.
 */
export function refundReferenceFor(refunds: readonly RefundRecord[], event: RefundEvent): string {
  if (refunds.some((r) => r.reference === event.reference)) return event.reference;
  const amount = event.amount;
  if (!event.chargeReference || !amount || !patched('refund-match-by-charge-and-amount')) return event.reference;
  const match = refunds.find(
    (r) => r.status === 'pending' && r.chargeReference === event.chargeReference && r.amount.amount === amount.amount && r.amount.currency === amount.currency,
  );
  return match?.reference ?? event.reference;
}
