import type { SubscriptionInput } from '../../src/shared/schemas';

let n = 0;
/** A valid Paystack subscription input; override any field per test. */
export function paystackInput(overrides: Partial<SubscriptionInput> = {}): SubscriptionInput {
  n += 1;
  return {
    subscriptionId: `sub-t${process.pid}-${n}`,
    customer: { id: 'cus_1', email: 'ada@example.com', firstName: 'Ada', lastName: 'Obi' },
    plan: { id: 'gold', amount: 500000, currency: 'NGN', interval: 'month', intervalCount: 1, trialDays: 0, totalCycles: null },
    gateway: 'paystack',
    gatewayConnectionId: 'paystack-sandbox',
    metadata: {},
    authorizationWindowMs: 23 * 60 * 60 * 1000,
    createdAt: '2026-01-31T09:00:00.000Z',
    ...overrides,
  };
}
