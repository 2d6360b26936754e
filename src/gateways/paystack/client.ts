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
import { duplicateReference, outcomeUnknownOnFailure, parseBody, rejected, requestJson, type FetchLike, type GatewayResponse } from '../http';
import { toPaystackAmount } from './amounts';
import { toChargeOutcome, toRefundOutcome } from './outcomes';
import {
  PaystackEnvelopeSchema,
  PaystackInitializeDataSchema,
  PaystackRefundListSchema,
  PaystackRefundSchema,
  PaystackTransactionSchema,
} from './schemas';

const LABEL = 'Paystack';
/** Paystack has no refund idempotency key, so the refund reference rides in merchant_note and is looked up first. */
export const refundNote = (reference: string): string => `chargeloop:${reference}`;

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
    return parseBody(LABEL, what, PaystackEnvelopeSchema, res.body);
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
      if (/duplicate/i.test(env.message)) throw duplicateReference(LABEL, input.reference);
      throw rejected(LABEL, `initialize ${input.reference} refused: ${env.message}`);
    }
    const data = parseBody(LABEL, 'initialize', PaystackInitializeDataSchema, env.data);
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
      if (/duplicate/i.test(env.message)) return outcomeUnknownOnFailure(LABEL, `verify after duplicate ${input.reference}`, () => this.verifyCharge(input));
      // Deactivated or non-reusable authorizations are the card's problem: a decline the customer can fix.
      if (/authorization|reusable/i.test(env.message) && !/email/i.test(env.message)) {
        return { status: 'declined', reference: input.reference, reason: env.message };
      }
      throw rejected(LABEL, `charge ${input.reference} refused: ${env.message}`);
    }
    return toChargeOutcome(parseBody(LABEL, 'charge_authorization', PaystackTransactionSchema, env.data), input.reference);
  }

  /** `GET /transaction/verify/:reference`. */
  async verifyCharge(input: VerifyChargeInput): Promise<ChargeOutcome> {
    const res = await this.call('GET', `/transaction/verify/${encodeURIComponent(input.reference)}`);
    const env = this.envelope(res, 'verify');
    if (!env.status) {
      if (res.status === 404 || /not found/i.test(env.message)) return { status: 'not_found', reference: input.reference };
      throw rejected(LABEL, `verify ${input.reference} refused: ${env.message}`);
    }
    return toChargeOutcome(parseBody(LABEL, 'verify', PaystackTransactionSchema, env.data), input.reference);
  }

  /** `POST /refund`, after looking for an earlier refund carrying the same reference (a retried activity). */
  async refund(input: RefundInput): Promise<RefundOutcome> {
    const note = refundNote(input.reference);
    const listed = await this.call('GET', `/refund?reference=${encodeURIComponent(input.chargeReference)}`);
    const listEnv = this.envelope(listed, 'list refunds');
    if (listEnv.status) {
      const earlier = parseBody(LABEL, 'list refunds', PaystackRefundListSchema, listEnv.data).find((r) => r.merchant_note === note);
      if (earlier) return toRefundOutcome(earlier, input);
    }
    const res = await this.call('POST', '/refund', {
      transaction: input.chargeReference,
      amount: toPaystackAmount(input.amount),
      currency: input.amount.currency,
      merchant_note: note,
    });
    const env = this.envelope(res, 'refund');
    if (!env.status) throw rejected(LABEL, `refund ${input.reference} refused: ${env.message}`);
    return toRefundOutcome(parseBody(LABEL, 'refund', PaystackRefundSchema, env.data), input);
  }

  /** `GET /balance`: authenticated and cheap. */
  async checkCredentials(): Promise<void> {
    const res = await this.call('GET', '/balance');
    const env = this.envelope(res, 'balance');
    if (!env.status) throw new Error(`Paystack refused the credentials check: ${env.message}`);
  }
}
