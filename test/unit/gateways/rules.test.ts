import { parseConnections } from '../../../src/gateways/connections';
import { validatePlanForConnection, validateSubscriptionForConnection } from '../../../src/gateways/rules';
import { CreateSubscriptionBodySchema } from '../../../src/shared/schemas';
import { testConnections } from '../../helpers/gateway-connections';

const body = (over: { customer?: object; plan?: object; gatewayConnectionId?: string } = {}) =>
  CreateSubscriptionBodySchema.parse({
    customer: { id: 'cus_1', email: 'ada@example.com', ...over.customer },
    plan: { id: 'basic', amount: 500000, currency: 'NGN', interval: 'month', ...over.plan },
    gatewayConnectionId: over.gatewayConnectionId ?? 'paystack-test',
  });

describe('validateSubscriptionForConnection', () => {
  const connections = testConnections();
  const paystack = connections.get('paystack-test')!;

  it('Paystack requires first and last name', () => {
    expect(validateSubscriptionForConnection(body(), paystack).map((v) => v.field)).toEqual(['customer.firstName', 'customer.lastName']);
    expect(validateSubscriptionForConnection(body({ customer: { firstName: 'Ada', lastName: 'Obi' } }), paystack)).toEqual([]);
  });

  it('Paystack refuses "every 2 months" naming the rule', () => {
    const v = validateSubscriptionForConnection(body({ customer: { firstName: 'A', lastName: 'B' }, plan: { intervalCount: 2 } }), paystack);
    expect(v).toEqual([{ field: 'plan.intervalCount', message: expect.stringMatching(/Paystack supports only single intervals/) }]);
  });

  it('a connection that cannot refund refuses a plan whose authorization minimum must be refunded, naming the field', () => {
    const fw = connections.get('flutterwave-test')!; // refunds off: Flutterwave's default
    expect(fw.flags.refundsEnabled).toBe(false);
    const [trial] = validateSubscriptionForConnection(body({ plan: { trialDays: 7 }, gatewayConnectionId: 'flutterwave-test' }), fw);
    expect(trial).toEqual({ field: 'plan.trialDays', message: expect.stringMatching(/cannot refund \(flags.refundsEnabled is false\)/) });
    expect(validateSubscriptionForConnection(body({ gatewayConnectionId: 'flutterwave-test' }), fw)).toEqual([]); // no trial: the first invoice authorizes
    const noRefunds = parseConnections({ ps: { gateway: 'paystack', mode: 'live', keys: { secretKey: 'sk_live_0123456789' }, flags: { refundsEnabled: false } } }).get('ps')!;
    const [paystack] = validateSubscriptionForConnection(body({ customer: { firstName: 'A', lastName: 'B' } }), noRefunds);
    expect(paystack?.field).toBe('gatewayConnectionId');
  });

  it('Paystack USD needs the international payments flag', () => {
    const customer = { firstName: 'A', lastName: 'B' };
    const [v] = validateSubscriptionForConnection(body({ customer, plan: { currency: 'USD' } }), paystack);
    expect(v?.field).toBe('plan.currency');
    expect(v?.message).toMatch(/internationalPayments/);
    const intl = parseConnections({ ps: { gateway: 'paystack', mode: 'live', keys: { secretKey: 'sk_live_0123456789' }, flags: { internationalPayments: true } } }).get('ps')!;
    expect(validateSubscriptionForConnection(body({ customer, plan: { currency: 'USD' } }), intl)).toEqual([]);
  });

  it('Flutterwave needs only email; Razorpay also the contact; both allow multi-intervals and check currency', () => {
    const fw = connections.get('flutterwave-test')!;
    const rzp = connections.get('razorpay-test')!;
    const phone = { phone: '+919876543210' };
    expect(validateSubscriptionForConnection(body({ plan: { intervalCount: 3 } }), fw)).toEqual([]);
    expect(validateSubscriptionForConnection(body({ customer: phone, plan: { currency: 'INR', intervalCount: 2 } }), rzp)).toEqual([]);
    expect(validateSubscriptionForConnection(body({ customer: phone }), rzp)).toEqual([{ field: 'plan.currency', message: expect.stringContaining('accepts INR') }]);
  });

  it('Razorpay: the registration link needs customer.contact, and a plan above the mandate max_amount could never renew', () => {
    const rzp = connections.get('razorpay-test')!;
    expect(validateSubscriptionForConnection(body({ plan: { currency: 'INR' } }), rzp)).toEqual([{ field: 'customer.phone', message: expect.stringMatching(/Razorpay requires the customer's phone number/) }]);
    const big = validateSubscriptionForConnection(body({ customer: { phone: '+919876543210' }, plan: { currency: 'INR', amount: 1_500_001 } }), rzp);
    expect(big).toEqual([{ field: 'plan.amount', message: expect.stringMatching(/max_amount/) }]);
    expect(validatePlanForConnection(body({ plan: { currency: 'INR', amount: 2_000_000 } }).plan, rzp, '')).toEqual([{ field: 'amount', message: expect.stringMatching(/1500000 paise/) }]);
  });

  it('allowedCurrencies narrows the policy', () => {
    const narrow = parseConnections({ fw: { gateway: 'flutterwave', mode: 'test', allowedCurrencies: ['KES'], keys: { publicKey: 'a', secretKey: 'b', encryptionKey: 'c', webhookSecretHash: 'flw-hash-0123456789' } } }).get('fw')!;
    expect(validateSubscriptionForConnection(body(), narrow).map((v) => v.field)).toEqual(['plan.currency']);
  });

  it('plan changes are checked with the plan at the body root', () => {
    const plan = body({ plan: { intervalCount: 3 } }).plan;
    expect(validatePlanForConnection(plan, paystack, '')).toEqual([{ field: 'intervalCount', message: expect.stringContaining('single intervals') }]);
    expect(validatePlanForConnection(plan, connections.get('flutterwave-test')!, '')).toEqual([]);
  });
});
