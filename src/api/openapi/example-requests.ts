import type { z } from 'zod';
import type { CancelRequestSchema, ChangePlanRequestSchema, RefundRequestSchema } from '../../shared/messages';
import type { CreateSubscriptionBodySchema } from '../../shared/schemas';
import type { AdvanceTestClockRequestSchema } from '../routes/test-clock-schemas';

/**
 * Request examples for the document: one story on the Paystack sandbox connection `npm run dev` configures, so
 * Swagger's "Try it out" works as shown, in order (create, pay at the checkout, then the operations).
 * Typed from the zod schemas; buildOpenApiDocument parses each one with its schema, and
 * test/integration/openapi-examples.test.ts sends them to the real API.
 */
export const EXAMPLE_SUBSCRIPTION_ID = 'sub-7f3a9c';
export const EXAMPLE_CONNECTION_ID = 'paystack-sandbox';

export const createExample: z.input<typeof CreateSubscriptionBodySchema> = {
  id: EXAMPLE_SUBSCRIPTION_ID,
  customer: { id: 'cus_1', email: 'ada@example.com', firstName: 'Ada', lastName: 'Obi', phone: '+2348012345678' },
  // NGN 5,000.00 a month, in kobo.
  plan: { id: 'gold-monthly', amount: 500000, currency: 'NGN', interval: 'month', intervalCount: 1, trialDays: 0, totalCycles: null },
  gatewayConnectionId: EXAMPLE_CONNECTION_ID,
  metadata: { crmAccount: 'acc_1029' },
};

export const cancelExample: z.input<typeof CancelRequestSchema> = { at: 'period_end' };

export const changePlanExample: z.input<typeof ChangePlanRequestSchema> = {
  id: 'platinum-monthly',
  amount: 750000,
  currency: 'NGN',
  interval: 'month',
  intervalCount: 1,
};

/** Half of cycle 1's charge (`<id>-c<cycle>-a<attempt>`, see lastPayment.reference). */
export const refundExample: z.input<typeof RefundRequestSchema> = {
  chargeReference: `${EXAMPLE_SUBSCRIPTION_ID}-c1-a1`,
  amount: 250000,
  reason: 'customer asked for a partial refund',
};

export const advanceTestClockExample: z.input<typeof AdvanceTestClockRequestSchema> = { by: '1mo' };

/** Paystack's `charge.success` for the example's checkout, as the gateway posts it (signed with x-paystack-signature). */
export const paystackWebhookExample = {
  event: 'charge.success',
  data: {
    id: 4099260516,
    status: 'success',
    reference: `${EXAMPLE_SUBSCRIPTION_ID}-auth1`,
    amount: 5000,
    currency: 'NGN',
    paid_at: '2026-04-01T09:02:11.000Z',
    channel: 'card',
    customer: { email: 'ada@example.com', customer_code: 'CUS_xnxdt6s1zg1f4nx' },
    authorization: {
      authorization_code: 'AUTH_72btv547',
      last4: '4081',
      brand: 'visa',
      card_type: 'visa',
      reusable: true,
      exp_month: '12',
      exp_year: '2030',
    },
  },
};
