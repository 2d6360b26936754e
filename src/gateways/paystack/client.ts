import type {
  ChargeCardInput,
  ChargeOutcome,
  InitializeAuthorizationInput,
  InitializeAuthorizationResult,
  RefundInput,
  RefundOutcome,
  VerifyChargeInput,
} from '../../shared/gateway-port';
import type { GatewayClient } from '../client';
import { baseUrlOf, type PaystackConnection } from '../connections';
import { ambiguous, duplicateReference, outcomeUnknownOnFailure, parseBody, rejected, requestJson, type FetchLike, type GatewayResponse } from '../http';
import { findInPages, type ListPage } from '../pages';
import {
  EnvelopeSchema,
  InitializeDataSchema,
  RefundListSchema,
  RefundSchema,
  TransactionSchema,
  pageCountOf,
  refundNote,
  toChargeOutcome,
  toPaystackAmount,
  toRefundOutcome,
  transactionIdOf,
  type PaystackRefund,
} from './wire';

const LABEL = 'Paystack';
export { refundNote };

/**
 * Documented answers of `POST /transaction/charge_authorization` with `status: false`
 * (https://paystack.com/docs/api/errors/): the stored authorization cannot be charged (a decline the customer fixes
 * with a new card), or the request itself is wrong (nothing was charged). Anything else is an unknown outcome.
 */
const CARD_UNUSABLE = [/authorization code does not exist or has been deactivated/i, /authorization is not reusable/i];
const NOTHING_CHARGED = [/email does not match authorization code/i];
const DUPLICATE = /duplicate transaction reference/i;

export class PaystackClient implements GatewayClient {
  constructor(
    private readonly connection: PaystackConnection,
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

  /** `POST /transaction/initialize`: a hosted checkout for the (refunded) minimum authorization charge. */
  async initializeAuthorization(input: InitializeAuthorizationInput): Promise<InitializeAuthorizationResult> {
    const res = await this.call('POST', '/transaction/initialize', {
      email: input.customer.email,
      amount: toPaystackAmount(input.amount),
      currency: input.amount.currency,
      reference: input.reference,
      channels: ['card'],
      callback_url: this.connection.callbackUrl,
      subaccount: this.connection.keys.subaccountCode,
      metadata: { subscription_id: input.subscriptionId, customer_id: input.customer.id },
    });
    const env = this.envelope(res, 'initialize');
    if (!env.status) {
      // A duplicate means an earlier attempt created this checkout and its URL was lost; Paystack cannot return it again.
      if (DUPLICATE.test(env.message)) throw duplicateReference(LABEL, input.reference);
      throw rejected(LABEL, `initialize ${input.reference} refused: ${env.message}`);
    }
    const data = parseBody(LABEL, 'initialize', InitializeDataSchema, env.data);
    return { checkoutUrl: data.authorization_url, reference: data.reference, gatewayOrderId: data.access_code };
  }

  /** `POST /transaction/charge_authorization`. A duplicate reference is resolved by verifying, never by charging again. */
  async chargeCard(input: ChargeCardInput): Promise<ChargeOutcome> {
    const res = await this.call('POST', '/transaction/charge_authorization', {
      email: input.customer.email,
      amount: toPaystackAmount(input.amount),
      currency: input.amount.currency,
      authorization_code: input.card.token,
      reference: input.reference,
      subaccount: this.connection.keys.subaccountCode,
      metadata: { subscription_id: input.subscriptionId, description: input.description },
    });
    const env = this.envelope(res, 'charge_authorization');
    if (!env.status) {
      if (DUPLICATE.test(env.message)) return outcomeUnknownOnFailure(LABEL, `verify after duplicate ${input.reference}`, () => this.verifyCharge(input));
      if (CARD_UNUSABLE.some((re) => re.test(env.message))) return { status: 'declined', reference: input.reference, reason: env.message, code: 'authorization_unusable' };
      if (NOTHING_CHARGED.some((re) => re.test(env.message))) throw rejected(LABEL, `charge ${input.reference} refused: ${env.message}`);
      throw ambiguous(LABEL, `charge ${input.reference}`, `HTTP ${res.status}: ${env.message}`);
    }
    return toChargeOutcome(parseBody(LABEL, 'charge_authorization', TransactionSchema, env.data), input.reference);
  }

  /** `GET /transaction/verify/:reference`. */
  async verifyCharge(input: VerifyChargeInput): Promise<ChargeOutcome> {
    const res = await this.call('GET', `/transaction/verify/${encodeURIComponent(input.reference)}`);
    const env = this.envelope(res, 'verify');
    if (!env.status) {
      if (/transaction reference not found/i.test(env.message)) return { status: 'not_found', reference: input.reference };
      throw ambiguous(LABEL, `verify ${input.reference}`, `HTTP ${res.status}: ${env.message}`);
    }
    return toChargeOutcome(parseBody(LABEL, 'verify', TransactionSchema, env.data), input.reference);
  }

  /**
   * `POST /refund`, after looking for an earlier refund of the same transaction carrying the same merchant_note
   * (a retried activity). `GET /refund` is asked for that transaction's refunds; its pages (newest first) are
   * searched by transaction id and note, up to a bound (src/gateways/pages.ts); pages left unread past it make the
   * outcome unknown (retried).
   */
  async refund(input: RefundInput): Promise<RefundOutcome> {
    const note = refundNote(input.reference);
    const earlier = await findInPages(
      LABEL,
      `look up refunds for ${input.reference}`,
      (page) => this.refundsPage(page, input),
      (r) => r.merchant_note === note && transactionIdOf(r) === input.gatewayTransactionId,
    );
    if (earlier) return toRefundOutcome(earlier, input);
    const res = await this.call('POST', '/refund', {
      transaction: input.chargeReference,
      amount: toPaystackAmount(input.amount),
      currency: input.amount.currency,
      merchant_note: note,
    });
    const env = this.envelope(res, 'refund');
    if (!env.status) throw rejected(LABEL, `refund ${input.reference} refused: ${env.message}`);
    return toRefundOutcome(parseBody(LABEL, 'refund', RefundSchema, env.data), input);
  }

  /**
   * One page of `GET /refund` for the refunded transaction only (`transaction`: its id; 100 a page; `meta.pageCount`
   * says how many there are). Unfiltered, the list is the whole account's, so a merchant past MAX_LOOKUP_PAGES × 100
   * refunds (one per authorization) could never refund again. The caller still matches each item by transaction id
   * and merchant_note: the filter narrows the list, it is not trusted to have been applied.
   */
  private async refundsPage(page: number, input: RefundInput): Promise<ListPage<PaystackRefund>> {
    // An input without the id (none is known to exist) reads the whole list, as before: never a filter on "undefined".
    const query = new URLSearchParams({ ...(input.gatewayTransactionId ? { transaction: input.gatewayTransactionId } : {}), perPage: '100', page: String(page) });
    const res = await this.call('GET', `/refund?${query.toString()}`);
    const listed = this.envelope(res, 'list refunds');
    if (!listed.status) throw ambiguous(LABEL, `list refunds for ${input.reference}`, listed.message);
    return { items: parseBody(LABEL, 'list refunds', RefundListSchema, listed.data), totalPages: pageCountOf(res.body) };
  }

  /** `GET /balance`: authenticated and cheap. */
  async checkCredentials(): Promise<void> {
    const env = this.envelope(await this.call('GET', '/balance'), 'balance');
    if (!env.status) throw new Error(`Paystack refused the credentials check: ${env.message}`);
  }
}
