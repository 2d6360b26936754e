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
import { baseUrlOf, type RazorpayConnection } from '../connections';
import { ambiguous, outcomeUnknownOnFailure, parseBody, rejected, requestJson, type FetchLike, type GatewayResponse } from '../http';
import {
  CollectionSchema,
  ErrorSchema,
  InvoiceSchema,
  OrderSchema,
  PaymentSchema,
  RecurringPaymentSchema,
  RefundSchema,
  classifyError,
  outcomeFromPayments,
  type RazorpayError,
} from './wire';

const LABEL = 'Razorpay';
const q = encodeURIComponent;

/**
 * The order is the idempotency boundary: one order per reference (`receipt`), found again on retry, and an order
 * can be paid only once (`order_already_paid`).
 */
export class RazorpayClient implements GatewayClient {
  constructor(
    private readonly connection: RazorpayConnection,
    private readonly fetchFn: FetchLike,
  ) {}

  private call(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<GatewayResponse> {
    const basic = Buffer.from(`${this.connection.keys.keyId}:${this.connection.keys.keySecret}`).toString('base64');
    return requestJson(this.fetchFn, LABEL, `${baseUrlOf(this.connection)}${path}`, {
      method,
      headers: { authorization: `Basic ${basic}`, ...headers },
      body,
    });
  }

  /** A 4xx on a read or a setup call: nothing moved, but an unknown error is still not proof of that. */
  private ok<T>(res: GatewayResponse, what: string, schema: Parameters<typeof parseBody<T>>[2]): T {
    if (res.status >= 400) {
      const err = this.errorOf(res);
      if (classifyError(err) === 'invalid_request') throw rejected(LABEL, `${what} refused: ${err.description}`);
      throw ambiguous(LABEL, what, `HTTP ${res.status}: ${err.reason ?? err.code}: ${err.description}`);
    }
    return parseBody(LABEL, what, schema, res.body);
  }

  private errorOf(res: GatewayResponse): RazorpayError {
    const parsed = ErrorSchema.safeParse(res.body);
    return parsed.success ? parsed.data.error : { code: 'UNKNOWN', description: `HTTP ${res.status}` };
  }

  private async findOrder(receipt: string) {
    const res = await this.call('GET', `/orders?receipt=${q(receipt)}`);
    return this.ok(res, 'orders', CollectionSchema(OrderSchema)).items[0];
  }

  private async paymentsOf(orderId: string) {
    const res = await this.call('GET', `/orders/${q(orderId)}/payments`);
    return this.ok(res, 'order payments', CollectionSchema(PaymentSchema)).items;
  }

  /** `POST /subscription_registration/auth_links`: a registration link whose card payment creates a recurring token. */
  async initializeAuthorization(input: InitializeAuthorizationInput): Promise<InitializeAuthorizationResult> {
    const found = await this.call('GET', `/invoices?receipt=${q(input.reference)}`);
    const existing = this.ok(found, 'invoices', CollectionSchema(InvoiceSchema)).items[0];
    if (existing) return { checkoutUrl: existing.short_url, reference: input.reference, gatewayOrderId: existing.order_id ?? undefined };
    const name = [input.customer.firstName, input.customer.lastName].filter(Boolean).join(' ') || input.customer.email;
    const res = await this.call('POST', '/subscription_registration/auth_links', {
      // `contact` is mandatory for a registration link; the API edge requires customer.phone for Razorpay.
      customer: { name, email: input.customer.email, contact: input.customer.phone },
      type: 'link',
      amount: input.amount.amount,
      currency: input.amount.currency,
      description: 'Card authorization for your subscription',
      receipt: input.reference,
      subscription_registration: { method: 'card', max_amount: this.connection.mandateMaxAmount, frequency: 'as_presented' },
      notes: { chargeloop_reference: input.reference, subscription_id: input.subscriptionId },
      email_notify: false,
      sms_notify: false,
    });
    const invoice = this.ok(res, 'auth_links', InvoiceSchema);
    return { checkoutUrl: invoice.short_url, reference: input.reference, gatewayOrderId: invoice.order_id ?? undefined };
  }

  /** Find or create the reference's order, then `POST /payments/create/recurring` unless the order was already paid. */
  async chargeCard(input: ChargeCardInput): Promise<ChargeOutcome> {
    let order = await this.findOrder(input.reference);
    if (order) {
      // A retried activity: whatever the earlier attempt started (paid, failed or in flight) is the answer.
      const payments = await this.paymentsOf(order.id);
      if (payments.length > 0 || order.status === 'paid') return outcomeFromPayments(input.reference, payments);
    } else {
      const created = await this.call('POST', '/orders', {
        amount: input.amount.amount,
        currency: input.amount.currency,
        receipt: input.reference,
        payment_capture: true,
        notes: { chargeloop_reference: input.reference, subscription_id: input.subscriptionId },
      });
      order = this.ok(created, 'orders', OrderSchema);
    }
    const res = await this.call('POST', '/payments/create/recurring', {
      email: input.customer.email,
      contact: input.customer.phone,
      amount: input.amount.amount,
      currency: input.amount.currency,
      order_id: order.id,
      customer_id: input.card.gatewayCustomerId,
      token: input.card.token,
      recurring: true,
      description: input.description,
      notes: { chargeloop_reference: input.reference, subscription_id: input.subscriptionId },
    });
    if (res.status >= 400) {
      const err = this.errorOf(res);
      switch (classifyError(err)) {
        case 'already_paid':
          // Paid in between (a concurrent retry): the order's payments are the answer, never a second charge.
          return outcomeUnknownOnFailure(LABEL, `verify paid order ${input.reference}`, () => this.verifyCharge(input));
        case 'declined':
          return { status: 'declined', reference: input.reference, reason: err.description, code: err.reason ?? err.code };
        case 'invalid_request':
          throw rejected(LABEL, `recurring payment ${input.reference} refused: ${err.description}`);
        case 'unknown':
          throw ambiguous(LABEL, `recurring payment ${input.reference}`, `HTTP ${res.status}: ${err.reason ?? err.code}: ${err.description}`);
      }
    }
    const orderId = order.id;
    return outcomeUnknownOnFailure(LABEL, `read back ${input.reference}`, async () => {
      parseBody(LABEL, 'create/recurring', RecurringPaymentSchema, res.body);
      return outcomeFromPayments(input.reference, await this.paymentsOf(orderId));
    });
  }

  /** The order with this receipt (or the registration link's order) and its payments. */
  async verifyCharge(input: VerifyChargeInput): Promise<ChargeOutcome> {
    let orderId = (await this.findOrder(input.reference))?.id;
    if (!orderId) {
      const found = await this.call('GET', `/invoices?receipt=${q(input.reference)}`);
      orderId = this.ok(found, 'invoices', CollectionSchema(InvoiceSchema)).items[0]?.order_id ?? undefined;
    }
    if (!orderId) return { status: 'not_found', reference: input.reference };
    return outcomeFromPayments(input.reference, await this.paymentsOf(orderId));
  }

  /** `POST /payments/{id}/refund` with `X-Refund-Idempotency`: a retry with the same key and body is safe. */
  async refund(input: RefundInput): Promise<RefundOutcome> {
    const res = await this.call(
      'POST',
      `/payments/${q(input.gatewayTransactionId)}/refund`,
      { amount: input.amount.amount, receipt: input.reference, notes: { chargeloop_reference: input.reference, charge_reference: input.chargeReference } },
      { 'x-refund-idempotency': input.reference },
    );
    if (res.status === 409) throw new Error(`Razorpay refund ${input.reference}: still in flight (409), will retry`);
    const refund = this.ok(res, 'refund', RefundSchema);
    return { status: refund.status, reference: input.reference, gatewayRefundId: refund.id, amount: { amount: refund.amount, currency: input.amount.currency } };
  }

  /** `GET /payments?count=1`: authenticated and cheap. */
  async checkCredentials(): Promise<void> {
    const res = await this.call('GET', '/payments?count=1');
    if (res.status >= 400) throw new Error(`Razorpay refused the credentials check: ${this.errorOf(res).description}`);
  }
}
