import { customerRuleErrors, planRuleErrors, policyRuleErrors } from '../../src/api/gateway-rules';
import { CreateSubscriptionBodySchema } from '../../src/shared/schemas';

const body = (plan: Record<string, unknown> = {}, customer: Record<string, unknown> = {}) =>
  CreateSubscriptionBodySchema.parse({
    customer: { id: 'cus_1', email: 'ada@example.com', firstName: 'Ada', lastName: 'Obi', ...customer },
    plan: { id: 'gold', amount: 500000, currency: 'NGN', interval: 'month', ...plan },
    gatewayConnectionId: 'paystack-sandbox',
  });

describe('gateway rules from GATEWAY_POLICIES', () => {
  it('accepts a valid Paystack subscription', () => {
    expect(policyRuleErrors('paystack', body())).toEqual([]);
  });

  it('names plan.intervalCount when Paystack is asked for every 2 months', () => {
    expect(policyRuleErrors('paystack', body({ intervalCount: 2 }))).toEqual([
      { field: 'plan.intervalCount', message: 'Paystack supports only single intervals (every month); intervalCount must be 1, got 2.' },
    ]);
    // Flutterwave and Razorpay bill multi-interval plans.
    expect(planRuleErrors('flutterwave', { currency: 'NGN', interval: 'month', intervalCount: 2 })).toEqual([]);
  });

  it("names each customer field the gateway needs (Paystack: first and last name)", () => {
    const errors = customerRuleErrors('paystack', { id: 'c', email: 'a@b.co' });
    expect(errors).toEqual([
      { field: 'customer.firstName', message: "Paystack requires the customer's first name." },
      { field: 'customer.lastName', message: "Paystack requires the customer's last name." },
    ]);
    expect(customerRuleErrors('razorpay', { id: 'c', email: 'a@b.co' })).toEqual([]);
  });

  it('names the currency the gateway does not settle, with a hint for opt-in currencies', () => {
    expect(planRuleErrors('razorpay', { currency: 'NGN', interval: 'month', intervalCount: 1 })).toEqual([
      { field: 'plan.currency', message: 'Razorpay does not accept NGN; it accepts INR.' },
    ]);
    const [usd] = planRuleErrors('paystack', { currency: 'USD', interval: 'month', intervalCount: 1 }, '');
    expect(usd?.field).toBe('currency');
    expect(usd?.message).toMatch(/must first be enabled on the gateway connection/);
  });
});
