import { cardLookupKey } from '../../../src/gateways/card-key';
import * as flutterwave from '../../../src/gateways/flutterwave/webhook';
import * as paystack from '../../../src/gateways/paystack/webhook';
import * as razorpay from '../../../src/gateways/razorpay/webhook';
import { GatewayEventSchema } from '../../../src/shared/gateway-events';

describe('Paystack normalize', () => {
  const chargeSuccess = {
    event: 'charge.success',
    data: {
      id: 895091250,
      status: 'success',
      reference: 'sub-1-c2-a1',
      amount: 110000,
      currency: 'NGN',
      paid_at: '2026-11-21T06:00:00.000Z',
      authorization: { authorization_code: 'AUTH_abc', reusable: true, last4: '4081', exp_month: '12', exp_year: '2030', brand: 'visa' },
      customer: { email: 'a@b.co', customer_code: 'CUS_1' },
    },
  };

  it('maps charge.success to charge.succeeded in minor units with the stored card', () => {
    const out = paystack.normalize(chargeSuccess);
    expect(out.events).toEqual([
      {
        type: 'charge.succeeded',
        eventId: 'paystack:charge.success:895091250',
        gateway: 'paystack',
        reference: 'sub-1-c2-a1',
        gatewayTransactionId: '895091250',
        amount: { amount: 110000, currency: 'NGN' },
        paidAt: '2026-11-21T06:00:00.000Z',
        card: { token: 'AUTH_abc', gatewayCustomerId: 'CUS_1', last4: '4081', brand: 'visa', expMonth: '12', expYear: '2030', reusable: true },
        needsVerification: false,
      },
    ]);
    expect(() => GatewayEventSchema.parse(out.events[0])).not.toThrow();
    expect(out.dedupeKey).toBe('paystack:charge.success:895091250:success');
  });

  it('maps refund.processed (string amount) to the charge and amount (real payloads carry no merchant_note)', () => {
    const out = paystack.normalize({
      event: 'refund.processed',
      data: { status: 'processed', transaction_reference: 'sub-1-auth1', refund_reference: 'RF1', amount: '5000', currency: 'NGN' },
    });
    expect(out.events).toEqual([
      { type: 'refund.processed', eventId: 'paystack:refund.processed:sub-1-auth1:RF1:5000:processed', gateway: 'paystack', reference: 'RF1', chargeReference: 'sub-1-auth1', amount: { amount: 5000, currency: 'NGN' } },
    ]);
  });

  it('ignores event types Chargeloop does not use, with a reason', () => {
    const out = paystack.normalize({ event: 'subscription.create', data: { subscription_code: 'SUB_1' } });
    expect(out.events).toEqual([]);
    expect(out.ignoredReason).toMatch(/subscription.create/);
  });
});

describe('Flutterwave normalize', () => {
  const completed = (status: string) => ({
    event: 'charge.completed',
    data: { id: 285959875, tx_ref: 'sub-2-c1-a1', status, amount: 1500.5, currency: 'NGN', processor_response: status === 'failed' ? 'Insufficient funds' : 'Approved', created_at: '2026-11-21T06:00:00.000Z' },
  });

  it('converts major units to minor and always asks for verification', () => {
    const out = flutterwave.normalize(completed('successful'));
    expect(out.events).toEqual([
      expect.objectContaining({ type: 'charge.succeeded', reference: 'sub-2-c1-a1', gatewayTransactionId: '285959875', amount: { amount: 150050, currency: 'NGN' }, needsVerification: true }),
    ]);
    expect(out.dedupeKey).toBe('flutterwave:charge.completed:285959875:successful');
  });

  it('maps a failed charge to charge.failed to be verified (the unsigned processor text is not carried)', () => {
    const out = flutterwave.normalize(completed('failed'));
    expect(out.events).toEqual([expect.objectContaining({ type: 'charge.failed', reason: 'charge failed (to be verified)', needsVerification: true })]);
    expect(out.dedupeKey).not.toBe(flutterwave.normalize(completed('successful')).dedupeKey);
  });

  it('understands the v4 envelope and dedupes on the charge id and status', () => {
    const out = flutterwave.normalize({ id: 'wbk_1', type: 'charge.completed', data: { id: 'chg_1', reference: 'sub-2-c1-a1', status: 'succeeded', amount: 100, currency: 'KES' } });
    expect(out.dedupeKey).toBe('flutterwave:charge.completed:chg_1:succeeded');
    expect(out.events[0]).toEqual(expect.objectContaining({ type: 'charge.succeeded', amount: { amount: 10000, currency: 'KES' } }));
  });
});

describe('Razorpay normalize', () => {
  const payment = { id: 'pay_1', amount: 49900, currency: 'INR', status: 'captured', customer_id: 'cust_1', token_id: 'token_1', created_at: 1763704800, notes: { chargeloop_reference: 'sub-3-c1-a1' }, card: { last4: '1007', network: 'Visa' } };

  it('maps order.paid via the order receipt and dedupes on the signed payment id and status, never the unsigned header', () => {
    const out = razorpay.normalize(
      { entity: 'event', event: 'order.paid', payload: { order: { entity: { id: 'order_1', receipt: 'sub-3-c1-a1' } }, payment: { entity: payment } } },
      { 'x-razorpay-event-id': 'evt_1' },
    );
    expect(out.dedupeKey).toBe('razorpay:order.paid:pay_1:captured');
    expect(out.events).toEqual([
      {
        type: 'charge.succeeded',
        eventId: 'razorpay:order.paid:pay_1:captured',
        gateway: 'razorpay',
        reference: 'sub-3-c1-a1',
        gatewayTransactionId: 'pay_1',
        amount: { amount: 49900, currency: 'INR' },
        paidAt: new Date(1763704800 * 1000).toISOString(),
        card: { token: 'token_1', gatewayCustomerId: 'cust_1', last4: '1007', brand: 'visa', reusable: true, lookupKey: cardLookupKey('razorpay', 'token_1') },
        needsVerification: false,
      },
    ]);
  });

  it('maps payment.failed through the payment notes', () => {
    const failed = { ...payment, status: 'failed', error_description: 'Payment failed due to insufficient balance', error_reason: 'insufficient_funds' };
    const out = razorpay.normalize({ event: 'payment.failed', payload: { payment: { entity: failed } } }, { 'x-razorpay-event-id': 'evt_2' });
    expect(out.events).toEqual([{ type: 'charge.failed', eventId: 'razorpay:payment.failed:pay_1:failed', gateway: 'razorpay', reference: 'sub-3-c1-a1', reason: 'Payment failed due to insufficient balance', needsVerification: false }]);
  });

  it('maps refund.processed to the refund receipt and charge reference', () => {
    const out = razorpay.normalize(
      { event: 'refund.processed', payload: { refund: { entity: { id: 'rfnd_1', amount: 100, currency: 'INR', receipt: 'sub-3-c1-a1-r1', status: 'processed' } }, payment: { entity: payment } } },
      { 'x-razorpay-event-id': 'evt_3' },
    );
    expect(out.events).toEqual([{ type: 'refund.processed', eventId: 'razorpay:refund.processed:rfnd_1:processed', gateway: 'razorpay', reference: 'sub-3-c1-a1-r1', chargeReference: 'sub-3-c1-a1', amount: { amount: 100, currency: 'INR' } }]);
  });

  it('ignores subscription events Chargeloop does not drive', () => {
    const out = razorpay.normalize({ event: 'subscription.charged', payload: { subscription: { entity: { id: 'sub_X' } } } }, { 'x-razorpay-event-id': 'evt_4' });
    expect(out.events).toEqual([]);
    expect(out.ignoredReason).toMatch(/subscription.charged/);
  });
});
