import type {
  ChargeCardInput,
  ChargeOutcome,
  InitializeAuthorizationInput,
  InitializeAuthorizationResult,
  RefundInput,
  RefundOutcome,
  VerifyChargeInput,
} from '../../shared/gateway-port';
import { CurrencySchema, fromMajorUnits, toMajorUnitString, type Money } from '../../shared/money';
import type { GatewayClient } from '../client';
import { baseUrlOf, type FlutterwaveConnection } from '../connections';
import { duplicateReference, outcomeUnknownOnFailure, parseBody, rejected, requestJson, type FetchLike, type GatewayResponse } from '../http';
import { toChargeOutcome } from './outcomes';
import { FlutterwaveEnvelopeSchema, FlutterwaveHostedLinkSchema, FlutterwaveRefundSchema, FlutterwaveTransactionSchema } from './schemas';

const LABEL = 'Flutterwave';
/** Flutterwave takes major units; a JSON number keeps the decimals exact for 0–3 decimal currencies. */
const major = (money: Money): number => Number(toMajorUnitString(money.amount, money.currency));

export class FlutterwaveClient implements GatewayClient {
  constructor(
    private readonly connection: FlutterwaveConnection,
    private readonly fetchFn: FetchLike,
  ) {}

  private call(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<GatewayResponse> {
    return requestJson(this.fetchFn, LABEL, `${baseUrlOf(this.connection)}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.connection.keys.secretKey}`, ...headers },
      body,
    });
  }

  private envelope(res: GatewayResponse, what: string) {
    return parseBody(LABEL, what, FlutterwaveEnvelopeSchema, res.body);
  }

  /** `POST /payments` (Standard): a hosted card checkout whose successful payment yields a reusable card token. */
  async initializeAuthorization(input: InitializeAuthorizationInput): Promise<InitializeAuthorizationResult> {
    const name = [input.customer.firstName, input.customer.lastName].filter(Boolean).join(' ');
    const res = await this.call('POST', '/payments', {
      tx_ref: input.reference,
      amount: major(input.amount),
      currency: input.amount.currency,
      redirect_url: this.connection.callbackUrl,
      payment_options: 'card',
      customer: { email: input.customer.email, name: name || undefined, phonenumber: input.customer.phone },
      meta: { subscription_id: input.subscriptionId, customer_id: input.customer.id },
      customizations: { title: 'Subscription' },
    });
    const env = this.envelope(res, 'payments');
    if (env.status !== 'success') {
      if (/duplicate|already (exists|been used)|unique/i.test(env.message)) throw duplicateReference(LABEL, input.reference);
      throw rejected(LABEL, `checkout ${input.reference} refused: ${env.message}`);
    }
    return { checkoutUrl: parseBody(LABEL, 'payments', FlutterwaveHostedLinkSchema, env.data).link, reference: input.reference };
  }

  /** `POST /tokenized-charges`. A duplicate tx_ref is resolved by verifying, never by charging again. */
  async chargeCard(input: ChargeCardInput): Promise<ChargeOutcome> {
    const res = await this.call('POST', '/tokenized-charges', {
      token: input.card.token,
      email: input.customer.email,
      currency: input.amount.currency,
      amount: major(input.amount),
      tx_ref: input.reference,
      first_name: input.customer.firstName,
      last_name: input.customer.lastName,
      narration: input.description,
      meta: { subscription_id: input.subscriptionId },
    });
    const env = this.envelope(res, 'tokenized-charges');
    if (env.status !== 'success' && /duplicate|already (exists|been used)|unique/i.test(env.message)) {
      return outcomeUnknownOnFailure(LABEL, `verify after duplicate ${input.reference}`, () => this.verifyCharge(input));
    }
    const tx = FlutterwaveTransactionSchema.safeParse(env.data);
    // A declined tokenized charge comes back as status "error" with the failed transaction in data.
    if (tx.success) return toChargeOutcome(tx.data, input.reference, input.amount.currency);
    if (env.status === 'success') throw new Error(`${LABEL}: charge ${input.reference} succeeded with an unreadable transaction; outcome unknown`);
    if (env.status !== 'success' && res.status === 400 && /token|card|declin|insufficient|expired/i.test(env.message)) {
      return { status: 'declined', reference: input.reference, reason: env.message };
    }
    throw rejected(LABEL, `charge ${input.reference} refused: ${env.message}`);
  }

  /** `GET /transactions/{id}/verify` when the webhook gave an id, else `GET /transactions/verify_by_reference?tx_ref=`. */
  async verifyCharge(input: VerifyChargeInput): Promise<ChargeOutcome> {
    const path = input.gatewayTransactionId
      ? `/transactions/${encodeURIComponent(input.gatewayTransactionId)}/verify`
      : `/transactions/verify_by_reference?tx_ref=${encodeURIComponent(input.reference)}`;
    const res = await this.call('GET', path);
    const env = this.envelope(res, 'verify');
    if (env.status !== 'success') {
      if (res.status === 404 || /no transaction|not found/i.test(env.message)) return { status: 'not_found', reference: input.reference };
      throw rejected(LABEL, `verify ${input.reference} refused: ${env.message}`);
    }
    const tx = parseBody(LABEL, 'verify', FlutterwaveTransactionSchema, env.data);
    return toChargeOutcome(tx, input.reference, CurrencySchema.parse(tx.currency));
  }

  /**
   * `POST /transactions/{id}/refund` (amount in major units). v3 has no refund idempotency; the reference travels in
   * `comments` and in the v4-style `X-Idempotency-Key` header, which newer API versions (and the sandbox) honour.
   */
  async refund(input: RefundInput): Promise<RefundOutcome> {
    const res = await this.call(
      'POST',
      `/transactions/${encodeURIComponent(input.gatewayTransactionId)}/refund`,
      { amount: major(input.amount), comments: `chargeloop:${input.reference}` },
      { 'x-idempotency-key': input.reference },
    );
    const env = this.envelope(res, 'refund');
    if (env.status !== 'success') throw rejected(LABEL, `refund ${input.reference} refused: ${env.message}`);
    const refund = parseBody(LABEL, 'refund', FlutterwaveRefundSchema, env.data);
    const status = /completed|processed|successful/i.test(refund.status) ? 'processed' : /failed/i.test(refund.status) ? 'failed' : 'pending';
    return {
      status,
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
