import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { GatewayErrors, type ChargeOutcome, type StoredCard } from '../../shared/gateway-port';
import { CurrencySchema, fromMajorUnits, toMajorUnitString, type Currency, type Money } from '../../shared/money';
import { canonicalCardBrand } from '../card-brand';

/**
 * Flutterwave v3's wire model, in one place. Shapes follow https://developer.flutterwave.com/v3.0.0/reference and
 * the samples of the official SDK (https://github.com/Flutterwave/Node-v3, documentation/*.md). Amounts are in
 * MAJOR units on the wire (`amount: 1500.5`), minor units inside Chargeloop.
 */

/** A JSON number keeps the decimals exact for 0–3 decimal currencies. */
export const toFlutterwaveAmount = (money: Money): number => Number(toMajorUnitString(money.amount, money.currency));

/** Every answer is { status: 'success' | 'error', message, data }. */
export const EnvelopeSchema = z.object({ status: z.string(), message: z.string().default(''), data: z.unknown().optional() });
export const HostedLinkSchema = z.object({ link: z.url() });

const id = z.union([z.number(), z.string()]).transform(String);

export const TransactionSchema = z.object({
  id,
  tx_ref: z.string(),
  status: z.string(),
  amount: z.union([z.number(), z.string()]),
  currency: z.string(),
  processor_response: z.string().nullish(),
  created_at: z.string().nullish(),
  card: z.object({ token: z.string(), last_4digits: z.string(), type: z.string(), expiry: z.string() }).partial().nullish(),
  customer: z.object({ id, email: z.string() }).partial().nullish(),
  /** A tokenized charge that needs the customer (3-D Secure) answers pending with `meta.authorization.mode: "redirect"`. */
  meta: z.object({ authorization: z.object({ mode: z.string(), redirect: z.string().optional() }).partial().optional() }).partial().nullish(),
});
export type FlutterwaveTransaction = z.infer<typeof TransactionSchema>;

/** `POST /transactions/{id}/refund` and `GET /refunds` items. */
export const RefundSchema = z.object({
  id,
  tx_id: id.optional(),
  amount_refunded: z.union([z.number(), z.string()]),
  status: z.string(),
  comments: z.string().nullish(),
});
export type FlutterwaveRefund = z.infer<typeof RefundSchema>;
export const RefundListSchema = z.array(RefundSchema);
/** List answers carry `meta.page_info` ({ total, current_page, total_pages }); absent means one page. */
export const PageInfoSchema = z.object({ meta: z.object({ page_info: z.object({ total_pages: z.number().int() }).partial().nullish() }).partial().nullish() });
export const totalPagesOf = (body: unknown): number => PageInfoSchema.safeParse(body).data?.meta?.page_info?.total_pages ?? 1;

export function storedCard(tx: FlutterwaveTransaction): StoredCard | undefined {
  const card = tx.card;
  if (!card?.token) return undefined;
  const [expMonth, expYear] = (card.expiry ?? '').split('/');
  // Flutterwave tokenizes only cards it can charge again: a token is reusable by definition.
  return { token: card.token, gatewayCustomerId: tx.customer?.id, last4: card.last_4digits, brand: canonicalCardBrand(card.type), expMonth, expYear, reusable: true };
}

/**
 * A verify that returned another transaction (tx_ref or currency differ) says nothing about ours. It is neither a
 * decline nor retryable: the caller ignores it and logs it. The message names no reference: it may be a customer's.
 */
export function verificationMismatch(): ApplicationFailure {
  return ApplicationFailure.nonRetryable('Flutterwave: verify returned a transaction that is not the one asked for; ignored', GatewayErrors.VerificationMismatch);
}

/**
 * Map a Flutterwave transaction to the workflow's outcome. The caller passes what it expects: a transaction whose
 * currency or tx_ref differs is not ours (Flutterwave's own advice before giving value).
 */
export function toChargeOutcome(tx: FlutterwaveTransaction, reference: string, currency: Currency): ChargeOutcome {
  if (tx.tx_ref !== reference || tx.currency !== currency) throw verificationMismatch();
  switch (tx.status) {
    case 'successful': {
      const card = storedCard(tx);
      return {
        status: 'succeeded',
        reference,
        gatewayTransactionId: tx.id,
        amount: { amount: fromMajorUnits(tx.amount, currency), currency },
        paidAt: tx.created_at ?? new Date().toISOString(),
        ...(card ? { card } : {}),
      };
    }
    case 'failed':
      return { status: 'declined', reference, reason: tx.processor_response ?? tx.status, code: tx.status };
    default:
      // pending (including a 3-D Secure redirect the customer never completes): the caller bounds the wait.
      return { status: 'pending', reference };
  }
}

export const currencyOf = (tx: FlutterwaveTransaction): Currency => CurrencySchema.parse(tx.currency);

export function refundStatus(status: string): 'pending' | 'processed' | 'failed' {
  return /completed|processed|successful/i.test(status) ? 'processed' : /failed/i.test(status) ? 'failed' : 'pending';
}

// ── webhooks ───────────────────────────────────────────────────────────────

export const V3EventSchema = z.object({
  event: z.string(),
  data: z.object({
    id,
    tx_ref: z.string().optional(),
    status: z.string(),
    amount: z.union([z.number(), z.string()]).optional(),
    currency: CurrencySchema.optional(),
    processor_response: z.string().nullish(),
    created_at: z.string().nullish(),
  }),
});
export const V4EventSchema = z.object({
  id: z.string(),
  type: z.string(),
  data: z.object({
    id: z.string(),
    reference: z.string(),
    status: z.string(),
    amount: z.union([z.number(), z.string()]).optional(),
    currency: CurrencySchema.optional(),
  }),
});
