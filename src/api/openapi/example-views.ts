import type { z } from 'zod';
import { parseConnections, publicConnectionView, type GatewayConnection } from '../../gateways/connections';
import { setupChecklist } from '../../gateways/setup-checklist';
import type { SubscriptionView } from '../../shared/state';
import type { TestClockView } from '../routes/test-clock-schemas';
import type { SubscriptionPageSchema } from '../schemas';
import { createExample, EXAMPLE_CONNECTION_ID, EXAMPLE_SUBSCRIPTION_ID } from './example-requests';
import type { GatewayConnectionViewSchema, WebhookAckSchema } from './external-schemas';

/**
 * Response examples: the subscription of example-requests.ts at the points of its story a client sees. Shaped by the
 * zod output types; buildOpenApiDocument parses each with the schema it illustrates.
 */
const id = EXAMPLE_SUBSCRIPTION_ID;
const plan = { intervalCount: 1, trialDays: 0, totalCycles: null, ...createExample.plan };
const ngn = (amount: number) => ({ amount, currency: 'NGN' as const });

/** `201` of the create: the checkout for Paystack's NGN 50 authorization minimum is open for 23 hours. */
export const incompleteExample: SubscriptionView = {
  id,
  status: 'incomplete',
  gateway: 'paystack',
  gatewayConnectionId: EXAMPLE_CONNECTION_ID,
  customer: createExample.customer,
  plan,
  pendingPlan: null,
  metadata: { crmAccount: 'acc_1029' },
  authorization: {
    status: 'pending',
    checkoutUrl: 'http://127.0.0.1:4010/checkout/ac_5kq0d3vb7x',
    amount: ngn(5000),
    reference: `${id}-auth1`,
    expiresAt: '2026-04-02T08:00:00.000Z',
    refunded: false,
  },
  card: null,
  cardUpdate: null,
  cycle: 0,
  billingAnchor: null,
  trialEndsAt: null,
  currentPeriodStart: null,
  currentPeriodEnd: null,
  nextChargeAt: null,
  attempts: { made: 0, automaticRemaining: 0, nextRetryAt: null },
  cancelAtPeriodEnd: false,
  canceledAt: null,
  pausedAt: null,
  lastPayment: null,
  lastAttempt: null,
  charges: [],
  refunds: [],
  eventSequence: 0,
  createdAt: '2026-04-01T09:00:00.000Z',
  updatedAt: '2026-04-01T09:00:00.000Z',
};

const cycle1 = {
  cycle: 1,
  attempt: 1,
  reference: `${id}-c1-a1`,
  kind: 'initial' as const,
  amount: ngn(500000),
  outcome: 'succeeded' as const,
  gatewayTransactionId: '4099260519',
  at: '2026-04-01T09:02:14.000Z',
};

/** `200` of an operation (here a plan change): paid for April, the card stored, the new plan from May. */
export const activeExample: SubscriptionView = {
  ...incompleteExample,
  status: 'active',
  pendingPlan: { intervalCount: 1, trialDays: 0, totalCycles: null, id: 'platinum-monthly', amount: 750000, currency: 'NGN', interval: 'month' },
  authorization: { ...incompleteExample.authorization, status: 'authorized', refunded: true },
  card: { last4: '4081', brand: 'visa' },
  cycle: 1,
  billingAnchor: '2026-04-01T09:02:11.000Z',
  currentPeriodStart: '2026-04-01T09:02:11.000Z',
  currentPeriodEnd: '2026-05-01T09:02:11.000Z',
  nextChargeAt: '2026-05-01T09:02:11.000Z',
  attempts: { made: 1, automaticRemaining: 0, nextRetryAt: null },
  lastPayment: cycle1,
  lastAttempt: cycle1,
  charges: [
    { cycle: 0, attempt: 1, reference: `${id}-auth1`, kind: 'authorization', amount: ngn(5000), outcome: 'succeeded', gatewayTransactionId: '4099260516', at: '2026-04-01T09:02:11.000Z' },
    cycle1,
  ],
  refunds: [{ reference: `${id}-auth1-r1`, chargeReference: `${id}-auth1`, amount: ngn(5000), status: 'processed', reason: 'authorization charge', at: '2026-04-01T09:02:13.000Z' }],
  eventSequence: 3,
  updatedAt: '2026-04-03T10:15:00.000Z',
};

export const pageExample: z.output<typeof SubscriptionPageSchema> = {
  data: [
    { id, status: 'active', gateway: 'paystack', gatewayConnectionId: EXAMPLE_CONNECTION_ID, customerId: 'cus_1', planId: 'gold-monthly', nextChargeAt: '2026-05-01T09:02:11.000Z', createdAt: '2026-04-01T09:00:00.000Z' },
  ],
  nextPageToken: null,
};

/** `202` of an advance by `1mo`: the clock runs to the May renewal; the GET answers `ready` once it is charged. */
export const advancingClockExample: TestClockView = {
  subscriptionId: id,
  status: 'advancing',
  currentTime: '2026-04-03T10:15:00.000Z',
  targetTime: '2026-05-03T10:15:00.000Z',
  advanceId: 'tc-5d1c0e9b7a2f4c3e8b6a0d9f1e2c3b4a-0f1e2d3c4b5a6978~1777803300000',
  maxAdvanceTo: '2026-06-01T09:02:11.000Z',
  subscription: activeExample,
};

export const readyClockExample: TestClockView = { ...advancingClockExample, status: 'ready', currentTime: advancingClockExample.targetTime! };

/** The examples' connection, parsed as the API parses its configuration (placeholder keys: none ever leaves). */
export const exampleConnection: GatewayConnection = parseConnections({
  [EXAMPLE_CONNECTION_ID]: { gateway: 'paystack', mode: 'test', baseUrl: 'http://127.0.0.1:4010/paystack', keys: { secretKey: 'sk_test_example', subaccountCode: 'ACCT_example' } },
}).get(EXAMPLE_CONNECTION_ID)!;

/** The connection view as the gateways router builds it. */
export const gatewayExample: z.output<typeof GatewayConnectionViewSchema> = (() => {
  const webhookUrl = `https://billing.example.com/webhooks/paystack/${EXAMPLE_CONNECTION_ID}`;
  const connection = exampleConnection;
  return { ...publicConnectionView(connection), webhookUrl, status: { state: 'connected', checkedAt: '2026-04-01T08:59:58.000Z' }, setupChecklist: setupChecklist('paystack', webhookUrl).map((item) => ({ ...item })) };
})();

export const webhookAckExample: z.output<typeof WebhookAckSchema> = { received: true };
