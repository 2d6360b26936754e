import { z } from 'zod';
import type { ChargeOutcome, RefundInput, RefundOutcome, StoredCard } from '../../shared/gateway-port';
import { CurrencySchema, currencyExponent, type Money } from '../../shared/money';
import { canonicalCardBrand } from '../card-brand';

/**
 * Paystack's wire model, in one place: every response and webhook shape Chargeloop reads, and their mapping to the
 * shared outcome types. Shapes follow https://github.com/PaystackOSS/openapi (dist/paystack.yaml) and the examples
 * in https://github.com/PaystackOSS/doc-code-snippets; only the fields Chargeloop reads are declared.
 */

/** Paystack amounts are integers in the currency's subunit; every Paystack currency has two decimals. */
export function toPaystackAmount(money: Money): number {
  if (currencyExponent(money.currency) !== 2) throw new RangeError(`Paystack does not bill ${money.currency}`);
  return money.amount;
}

/** Every answer is { status: boolean, message, data }. */
export const EnvelopeSchema = z.object({ status: z.boolean(), message: z.string().default(''), data: z.unknown().optional() });

export const InitializeDataSchema = z.object({ authorization_url: z.url(), access_code: z.string(), reference: z.string() });

const id = z.union([z.number(), z.string()]).transform(String);

export const AuthorizationSchema = z
  .object({
    authorization_code: z.string(),
    /** Only a reusable authorization can be charged again (https://paystack.com/docs/payments/recurring-charges/). */
    reusable: z.boolean().nullish(),
    last4: z.string().nullish(),
    exp_month: z.string().nullish(),
    exp_year: z.string().nullish(),
    brand: z.string().nullish(),
    card_type: z.string().nullish(),
  })
  .partial();

export const TransactionSchema = z.object({
  id,
  status: z.string(),
  reference: z.string(),
  /** Subunits (kobo, pesewas, cents). */
  amount: z.number().int(),
  currency: z.string(),
  gateway_response: z.string().nullish(),
  paid_at: z.string().nullish(),
  authorization: AuthorizationSchema.nullish(),
  customer: z.object({ email: z.string(), customer_code: z.string() }).partial().nullish(),
});
export type PaystackTransaction = z.infer<typeof TransactionSchema>;

/** A refund as `POST /refund` and `GET /refund` return it; `transaction` is the id (list) or the object (create). */
export const RefundSchema = z.object({
  id,
  status: z.string(),
  amount: z.union([z.number(), z.string()]).transform(Number),
  currency: z.string(),
  transaction: z.union([z.number(), z.string(), z.object({ id }).passthrough()]).nullish(),
  merchant_note: z.string().nullish(),
});
export type PaystackRefund = z.infer<typeof RefundSchema>;
export const RefundListSchema = z.array(RefundSchema);
/** List answers carry `meta` ({ total, skipped, perPage, page, pageCount }); absent means one page. */
const ListMetaSchema = z.object({ meta: z.object({ pageCount: z.number().int() }).partial().nullish() });
export const pageCountOf = (body: unknown): number => ListMetaSchema.safeParse(body).data?.meta?.pageCount ?? 1;

export const transactionIdOf = (r: PaystackRefund): string | undefined =>
  r.transaction === null || r.transaction === undefined ? undefined : typeof r.transaction === 'object' ? r.transaction.id : String(r.transaction);

/** The card an authorization stores; `reusable` is exactly what Paystack said (absent means not reusable). */
export function storedCard(tx: Pick<PaystackTransaction, 'authorization' | 'customer'>): StoredCard | undefined {
  const auth = tx.authorization;
  if (!auth?.authorization_code) return undefined;
  return {
    token: auth.authorization_code,
    gatewayCustomerId: tx.customer?.customer_code ?? undefined,
    last4: auth.last4 ?? undefined,
    brand: canonicalCardBrand(auth.brand ?? auth.card_type),
    expMonth: auth.exp_month ?? undefined,
    expYear: auth.exp_year ?? undefined,
    reusable: auth.reusable === true,
  };
}

/**
 * A transaction's outcome. Only `success` is paid. `failed` is a decline, and so is `reversed` (paid, then the money
 * went back to the customer: final, and nothing is held for this reference). Everything else (abandoned, ongoing,
 * pending, processing, queued, send_*) is not final: the caller verifies again and bounds how long it waits.
 */
export function toChargeOutcome(tx: PaystackTransaction, reference: string): ChargeOutcome {
  if (tx.status === 'success') {
    const card = storedCard(tx);
    return {
      status: 'succeeded',
      reference,
      gatewayTransactionId: tx.id,
      amount: { amount: tx.amount, currency: CurrencySchema.parse(tx.currency) },
      paidAt: tx.paid_at ?? new Date().toISOString(),
      ...(card ? { card } : {}),
    };
  }
  if (tx.status === 'failed' || tx.status === 'reversed') return { status: 'declined', reference, reason: tx.gateway_response ?? tx.status, code: tx.status };
  return { status: 'pending', reference };
}

export function refundStatus(status: string): RefundOutcome['status'] {
  return status === 'processed' ? 'processed' : status === 'failed' ? 'failed' : 'pending';
}

export function toRefundOutcome(refund: PaystackRefund, input: RefundInput): RefundOutcome {
  return { status: refundStatus(refund.status), reference: input.reference, gatewayRefundId: refund.id, amount: { amount: refund.amount, currency: input.amount.currency } };
}

/** Paystack has no refund idempotency key: the refund reference rides in merchant_note, which GET /refund returns. */
export const refundNote = (reference: string): string => `chargeloop:${reference}`;

// ── webhooks ───────────────────────────────────────────────────────────────

export const WebhookEnvelopeSchema = z.object({ event: z.string(), data: z.record(z.string(), z.unknown()) });

export const ChargeEventDataSchema = TransactionSchema.extend({ currency: CurrencySchema });

/**
 * `refund.*` events name the charge (`transaction_reference`) and the amount (a string); `refund_reference` is
 * Paystack's own (often null). There is no merchant_note: a refund is matched by its charge and amount.
 */
export const RefundEventDataSchema = z.object({
  status: z.string(),
  transaction_reference: z.string(),
  refund_reference: z.string().nullish(),
  amount: z.union([z.number(), z.string()]).transform(Number),
  currency: CurrencySchema,
});
