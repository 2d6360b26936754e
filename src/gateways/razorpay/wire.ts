import { z } from 'zod';
import type { ChargeOutcome, StoredCard } from '../../shared/gateway-port';
import { CurrencySchema } from '../../shared/money';
import { canonicalCardBrand } from '../card-brand';
import { cardLookupKey } from '../card-key';

/**
 * Razorpay's wire model, in one place. Shapes follow https://razorpay.com/docs/api/ (markdown copy:
 * https://github.com/razorpay/markdown-docs) and the official SDK's typings (razorpay-node). Amounts are integers
 * in the currency's subunit by its exponent, which is exactly Chargeloop's minor units.
 */

/** Errors: { error: { code, description, reason?, source?, step? } } (https://razorpay.com/docs/errors/). */
export const ErrorSchema = z.object({
  error: z.object({ code: z.string(), description: z.string().default(''), reason: z.string().nullish(), source: z.string().nullish(), step: z.string().nullish() }),
});
export type RazorpayError = z.infer<typeof ErrorSchema>['error'];

export const OrderSchema = z.object({
  id: z.string(),
  receipt: z.string().nullish(),
  status: z.enum(['created', 'attempted', 'paid']),
  amount: z.number().int(),
  currency: z.string(),
});
export const CollectionSchema = <T extends z.ZodType>(item: T): z.ZodObject<{ items: z.ZodArray<T> }> => z.object({ items: z.array(item) });

const Notes = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).nullish();
export const noteOf = (notes: z.infer<typeof Notes>, key: string): string | undefined => {
  const value = notes && !Array.isArray(notes) ? notes[key] : undefined;
  return typeof value === 'string' ? value : undefined;
};

export const PaymentSchema = z.object({
  id: z.string(),
  status: z.enum(['created', 'authorized', 'captured', 'refunded', 'failed']),
  amount: z.number().int(),
  currency: z.string(),
  order_id: z.string().nullish(),
  customer_id: z.string().nullish(),
  token_id: z.string().nullish(),
  created_at: z.number().optional(),
  error_code: z.string().nullish(),
  error_description: z.string().nullish(),
  error_reason: z.string().nullish(),
  notes: Notes,
  card: z
    .object({ last4: z.string(), network: z.string(), expiry_month: z.union([z.string(), z.number()]).transform(String), expiry_year: z.union([z.string(), z.number()]).transform(String) })
    .partial()
    .nullish(),
});
export type RazorpayPayment = z.infer<typeof PaymentSchema>;

/** A registration (authorization) link is an invoice entity with a short_url and its own order. */
export const InvoiceSchema = z.object({ id: z.string(), receipt: z.string().nullish(), order_id: z.string().nullish(), short_url: z.url(), status: z.string() });

export const RecurringPaymentSchema = z.object({ razorpay_payment_id: z.string(), razorpay_order_id: z.string().optional() });

export const RefundSchema = z.object({
  id: z.string(),
  payment_id: z.string().optional(),
  amount: z.number().int(),
  currency: CurrencySchema,
  status: z.enum(['pending', 'processed', 'failed']),
  receipt: z.string().nullish(),
  notes: Notes,
});

export const TokenSchema = z.object({ id: z.string(), customer_id: z.string().nullish(), recurring_details: z.object({ status: z.string() }).partial().nullish() });

/**
 * Error reasons that mean the cardholder's side said no (https://razorpay.com/docs/errors/payments/): a decline
 * the customer can fix. Every other reason (technical errors, timeouts, `payment_pending`, unknown) leaves the
 * outcome open.
 */
export const DECLINE_REASONS: ReadonlySet<string> = new Set([
  'authentication_failed', 'card_declined', 'card_expired', 'card_number_invalid', 'debit_declined', 'debit_instrument_blocked',
  'debit_instrument_inactive', 'incorrect_card_details', 'incorrect_card_expiry_date', 'incorrect_cvv', 'insufficient_funds',
  'international_transaction_not_allowed', 'payment_declined', 'payment_risk_check_failed', 'transaction_limit_exceeded',
  'credit_limit_exceeded', 'payment_cancelled', 'card_not_enrolled', 'mandate_creation_declined', 'mandate_creation_failed',
]);

export type ErrorClass = 'already_paid' | 'declined' | 'invalid_request' | 'unknown';

/** Classify a Razorpay error positively, or call it unknown. `order_already_paid` means: go and read the order. */
export function classifyError(err: RazorpayError): ErrorClass {
  const reason = err.reason ?? '';
  if (reason === 'order_already_paid') return 'already_paid';
  if (DECLINE_REASONS.has(reason)) return 'declined';
  if (reason === 'input_validation_failed') return 'invalid_request';
  return 'unknown';
}

export function storedCard(p: Pick<RazorpayPayment, 'token_id' | 'customer_id' | 'card'>): StoredCard | undefined {
  if (!p.token_id) return undefined;
  return {
    token: p.token_id,
    gatewayCustomerId: p.customer_id ?? undefined,
    last4: p.card?.last4,
    brand: canonicalCardBrand(p.card?.network),
    expMonth: p.card?.expiry_month,
    expYear: p.card?.expiry_year,
    // A recurring token exists only after the mandate registered; revocation arrives as token.* webhooks, which
    // the route routes by this key.
    reusable: true,
    lookupKey: cardLookupKey('razorpay', p.token_id),
  };
}

/**
 * The outcome of one Razorpay order from its payments. `captured` (or later `refunded`) is paid; anything in
 * flight is pending; an order whose attempts all reached the final `failed` status is declined with the last reason.
 */
export function outcomeFromPayments(reference: string, payments: RazorpayPayment[]): ChargeOutcome {
  const paid = payments.find((p) => p.status === 'captured' || p.status === 'refunded');
  if (paid) {
    const card = storedCard(paid);
    return {
      status: 'succeeded',
      reference,
      gatewayTransactionId: paid.id,
      amount: { amount: paid.amount, currency: CurrencySchema.parse(paid.currency) },
      paidAt: new Date((paid.created_at ?? Date.now() / 1000) * 1000).toISOString(),
      ...(card ? { card } : {}),
    };
  }
  if (payments.some((p) => p.status === 'created' || p.status === 'authorized')) return { status: 'pending', reference };
  const last = [...payments].sort((a, b) => (b.created_at ?? 0) - (a.created_at ?? 0))[0];
  if (last) return { status: 'declined', reference, reason: last.error_description ?? last.error_reason ?? 'payment failed', code: last.error_reason ?? last.error_code ?? undefined };
  return { status: 'pending', reference };
}

// ── webhooks ───────────────────────────────────────────────────────────────

const WebhookPaymentSchema = PaymentSchema.extend({ status: z.string(), currency: CurrencySchema });
export const WebhookEnvelopeSchema = z.object({
  event: z.string(),
  payload: z.object({
    payment: z.object({ entity: WebhookPaymentSchema }).optional(),
    order: z.object({ entity: z.object({ id: z.string(), receipt: z.string().nullish(), notes: Notes }) }).optional(),
    invoice: z.object({ entity: z.object({ id: z.string(), receipt: z.string().nullish() }) }).optional(),
    refund: z.object({ entity: RefundSchema.extend({ status: z.string() }) }).optional(),
    token: z.object({ entity: TokenSchema }).optional(),
  }),
});
export type RazorpayWebhook = z.infer<typeof WebhookEnvelopeSchema>;
