import type { ChargeOutcome } from '../../shared/gateway-port';
import { CurrencySchema } from '../../shared/money';
import type { RazorpayPayment } from './schemas';

/**
 * The outcome of one Razorpay order from its payments. `captured` (or later `refunded`) is paid; an order whose
 * attempts all failed is declined with the last reason; anything in flight is pending.
 */
export function outcomeFromPayments(reference: string, payments: RazorpayPayment[]): ChargeOutcome {
  const paid = payments.find((p) => p.status === 'captured' || p.status === 'refunded');
  if (paid) {
    return {
      status: 'succeeded',
      reference,
      gatewayTransactionId: paid.id,
      amount: { amount: paid.amount, currency: CurrencySchema.parse(paid.currency) },
      paidAt: new Date((paid.created_at ?? Date.now() / 1000) * 1000).toISOString(),
      card: paid.token_id
        ? {
            token: paid.token_id,
            gatewayCustomerId: paid.customer_id ?? undefined,
            last4: paid.card?.last4,
            brand: paid.card?.network,
            expMonth: paid.card?.expiry_month,
            expYear: paid.card?.expiry_year,
            reusable: true,
          }
        : undefined,
    };
  }
  if (payments.some((p) => p.status === 'created' || p.status === 'authorized')) return { status: 'pending', reference };
  const last = [...payments].sort((a, b) => (b.created_at ?? 0) - (a.created_at ?? 0))[0];
  if (last) {
    return { status: 'declined', reference, reason: last.error_description ?? last.error_reason ?? 'payment failed', code: last.error_code ?? undefined };
  }
  return { status: 'pending', reference };
}
