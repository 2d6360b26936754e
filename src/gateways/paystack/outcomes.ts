import type { ChargeOutcome, RefundInput, RefundOutcome } from '../../shared/gateway-port';
import { CurrencySchema } from '../../shared/money';
import type { PaystackTransaction } from './schemas';
import type { z } from 'zod';
import type { PaystackRefundSchema } from './schemas';

/** Map a Paystack transaction to the workflow's outcome. Paystack sends no webhook for failures: this is the truth. */
export function toChargeOutcome(tx: PaystackTransaction, reference: string): ChargeOutcome {
  switch (tx.status) {
    case 'success': {
      const auth = tx.authorization;
      return {
        status: 'succeeded',
        reference,
        gatewayTransactionId: tx.id,
        amount: { amount: tx.amount, currency: CurrencySchema.parse(tx.currency) },
        paidAt: tx.paid_at ?? new Date().toISOString(),
        card: auth?.authorization_code
          ? {
              token: auth.authorization_code,
              gatewayCustomerId: tx.customer?.customer_code,
              last4: auth.last4,
              brand: auth.brand,
              expMonth: auth.exp_month,
              expYear: auth.exp_year,
              reusable: auth.reusable ?? false,
            }
          : undefined,
      };
    }
    case 'failed':
    case 'reversed':
      return { status: 'declined', reference, reason: tx.gateway_response ?? tx.status, code: tx.status };
    default:
      // abandoned/ongoing/pending/processing/queued/send_*: not final yet (the customer may still finish checkout).
      return { status: 'pending', reference };
  }
}

export function toRefundOutcome(refund: z.infer<typeof PaystackRefundSchema>, input: RefundInput): RefundOutcome {
  const status = refund.status === 'processed' ? 'processed' : refund.status === 'failed' ? 'failed' : 'pending';
  return { status, reference: input.reference, gatewayRefundId: refund.id, amount: { amount: refund.amount, currency: input.amount.currency } };
}
