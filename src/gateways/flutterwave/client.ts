import type {
  ChargeCardInput,
  ChargeOutcome,
  InitializeAuthorizationInput,
  InitializeAuthorizationResult,
  RefundInput,
  RefundOutcome,
  VerifyChargeInput,
} from '../../shared/gateway-port';
import { fromMajorUnits } from '../../shared/money';
import type { GatewayClient } from '../client';
import { baseUrlOf, type FlutterwaveConnection } from '../connections';
import { ambiguous, duplicateReference, parseBody, rejected, requestJson, type FetchLike, type GatewayResponse } from '../http';
import { findInPages, type ListPage } from '../pages';
import {
  EnvelopeSchema,
  HostedLinkSchema,
  RefundListSchema,
  RefundSchema,
  TransactionSchema,
  currencyOf,
  refundStatus,
  toChargeOutcome,
  totalPagesOf,
  toFlutterwaveAmount,
  type FlutterwaveRefund,
} from './wire';

const LABEL = 'Flutterwave';
/** The refund's Chargeloop reference, in the documented `comments` field. */
export const refundComment = (reference: string): string => `chargeloop:${reference}`;

/**
 * What a repeated `tx_ref` returns is not documented (reference §2.6), so no safety rests on it: every charge and
 * checkout is preceded by a verify of its reference, and any answer that is not a documented success or a failed
 * transaction of ours is an unknown outcome (retried, and the retry verifies first).
 */
export class FlutterwaveClient implements GatewayClient {
  constructor(
    private readonly connection: FlutterwaveConnection,
    private readonly fetchFn: FetchLike,
  ) {}

  private call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<GatewayResponse> {
    return requestJson(this.fetchFn, LABEL, `${baseUrlOf(this.connection)}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.connection.keys.secretKey}` },
      body,
    });
  }

  private envelope(res: GatewayResponse, what: string) {
    return parseBody(LABEL, what, EnvelopeSchema, res.body);
  }

  /** `POST /payments` (Standard): a hosted card checkout whose successful payment yields a reusable card token. */
  async initializeAuthorization(input: InitializeAuthorizationInput): Promise<InitializeAuthorizationResult> {
    // An earlier attempt may have created this checkout and lost its link: the link cannot be had again.
    if ((await this.verifyCharge({ ...input })).status !== 'not_found') throw duplicateReference(LABEL, input.reference);
    const name = [input.customer.firstName, input.customer.lastName].filter(Boolean).join(' ');
    const res = await this.call('POST', '/payments', {
      tx_ref: input.reference,
      amount: toFlutterwaveAmount(input.amount),
      currency: input.amount.currency,
      redirect_url: this.connection.callbackUrl,
      payment_options: 'card',
      customer: { email: input.customer.email, name: name || undefined, phonenumber: input.customer.phone },
      meta: { subscription_id: input.subscriptionId, customer_id: input.customer.id },
      customizations: { title: 'Subscription' },
    });
    const env = this.envelope(res, 'payments');
    if (env.status !== 'success') throw rejected(LABEL, `checkout ${input.reference} refused: ${env.message}`);
    return { checkoutUrl: parseBody(LABEL, 'payments', HostedLinkSchema, env.data).link, reference: input.reference };
  }

  /** Verify the tx_ref first (a retried activity finds its earlier charge), then `POST /tokenized-charges`. */
  async chargeCard(input: ChargeCardInput): Promise<ChargeOutcome> {
    const earlier = await this.verifyCharge(input);
    if (earlier.status !== 'not_found') return earlier;
    const res = await this.call('POST', '/tokenized-charges', {
      token: input.card.token,
      email: input.customer.email,
      currency: input.amount.currency,
      amount: toFlutterwaveAmount(input.amount),
      tx_ref: input.reference,
      first_name: input.customer.firstName,
      last_name: input.customer.lastName,
      narration: input.description,
      meta: { subscription_id: input.subscriptionId },
    });
    const env = this.envelope(res, 'tokenized-charges');
    const tx = TransactionSchema.safeParse(env.data);
    if (env.status === 'success') {
      if (!tx.success) throw ambiguous(LABEL, `charge ${input.reference}`, 'success without a readable transaction');
      return toChargeOutcome(tx.data, input.reference, input.amount.currency);
    }
    // A decline is documented as status "error" with the failed transaction (ours) in data. Anything else, a
    // duplicate tx_ref included, is unknown: the retry verifies the reference before it could send again.
    if (tx.success && tx.data.tx_ref === input.reference && tx.data.status === 'failed') return toChargeOutcome(tx.data, input.reference, input.amount.currency);
    throw ambiguous(LABEL, `charge ${input.reference}`, `HTTP ${res.status}: ${env.message}`);
  }

  /** `GET /transactions/{id}/verify` when the webhook gave an id, else `GET /transactions/verify_by_reference?tx_ref=`. */
  async verifyCharge(input: VerifyChargeInput): Promise<ChargeOutcome> {
    const path = input.gatewayTransactionId
      ? `/transactions/${encodeURIComponent(input.gatewayTransactionId)}/verify`
      : `/transactions/verify_by_reference?tx_ref=${encodeURIComponent(input.reference)}`;
    const res = await this.call('GET', path);
    const env = this.envelope(res, 'verify');
    if (env.status !== 'success') {
      if (/no transaction was found/i.test(env.message)) return { status: 'not_found', reference: input.reference };
      throw ambiguous(LABEL, `verify ${input.reference}`, `HTTP ${res.status}: ${env.message}`);
    }
    const tx = parseBody(LABEL, 'verify', TransactionSchema, env.data);
    return toChargeOutcome(tx, input.reference, currencyOf(tx));
  }

  /**
   * `POST /transactions/{id}/refund` (amount in major units). v3 refunds take no idempotency key (X-Idempotency-Key
   * is documented for v4 only), so a retried activity first lists the refunds (`GET /refunds`, every page up to a
   * bound: src/gateways/pages.ts) and takes one of this transaction carrying our comment, or else of the same amount,
   * as the result instead of refunding again. Pages left unread past the bound make the outcome unknown (retried).
   */
  async refund(input: RefundInput): Promise<RefundOutcome> {
    const comment = refundComment(input.reference);
    const minor = (r: FlutterwaveRefund) => fromMajorUnits(r.amount_refunded, input.amount.currency);
    const ofThisTx = (r: FlutterwaveRefund) => r.tx_id === input.gatewayTransactionId;
    const earlier = await findInPages(
      LABEL,
      `look up refunds for ${input.reference}`,
      (page) => this.refundsPage(page, input.reference),
      (r) => ofThisTx(r) && r.comments === comment,
      (r) => ofThisTx(r) && !r.comments && minor(r) === input.amount.amount,
    );
    if (earlier) return this.refundOutcome(earlier, input);
    const res = await this.call('POST', `/transactions/${encodeURIComponent(input.gatewayTransactionId)}/refund`, {
      amount: toFlutterwaveAmount(input.amount),
      comments: comment,
    });
    const env = this.envelope(res, 'refund');
    if (env.status !== 'success') throw rejected(LABEL, `refund ${input.reference} refused: ${env.message}`);
    return this.refundOutcome(parseBody(LABEL, 'refund', RefundSchema, env.data), input);
  }

  /** One page of `GET /refunds` (`page` is 1-based; `meta.page_info.total_pages` says how many there are). */
  private async refundsPage(page: number, reference: string): Promise<ListPage<FlutterwaveRefund>> {
    const res = await this.call('GET', `/refunds?page=${page}`);
    const listed = this.envelope(res, 'list refunds');
    if (listed.status !== 'success') throw ambiguous(LABEL, `list refunds for ${reference}`, listed.message);
    return { items: parseBody(LABEL, 'list refunds', RefundListSchema, listed.data), totalPages: totalPagesOf(res.body) };
  }

  private refundOutcome(refund: FlutterwaveRefund, input: RefundInput): RefundOutcome {
    return {
      status: refundStatus(refund.status),
      reference: input.reference,
      gatewayRefundId: refund.id,
      amount: { amount: fromMajorUnits(refund.amount_refunded, input.amount.currency), currency: input.amount.currency },
    };
  }

  /** `GET /balances`: authenticated and cheap. */
  async checkCredentials(): Promise<void> {
    const env = this.envelope(await this.call('GET', '/balances'), 'balances');
    if (env.status !== 'success') throw new Error(`Flutterwave refused the credentials check: ${env.message}`);
  }
}
