import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Gateway } from '../../src/shared/gateway-policy';
import { authorizationReference, chargeReference, refundReference } from '../../src/shared/ids';
import type { SubscriptionView } from '../../src/shared/state';
import { bundleWorkflows, createTimeSkippingEnv } from '../helpers/environments';
import { testConnectionEntries, testConnections } from '../helpers/gateway-connections';
import { payAtCheckout } from '../helpers/gateway-sandbox';
import { apiOver, createSubscription, queueOutcomes, subscriptionBody, viewUntil } from '../helpers/http-api';
import { startStack, type Stack } from '../helpers/stack';
import { checkoutToActive, SUCCESS_CARD } from './support/journeys';

const MINUTE = 60_000;
const MINIMUM: Record<Gateway, number> = { paystack: 5000, flutterwave: 10000, razorpay: 100 };
/** The customer's replacement card (the sandbox's cards are the same on every gateway). */
const NEW_CARD = '5500670000001002';

/**
 * Issue 12 point 1 over real HTTP: the API, the worker with the real activities and each gateway's sandbox. The
 * customer whose card declines gets a card-update link, pays the gateway's minimum there with another card, and the
 * open cycle is charged on the new card; the minimum is refunded at the gateway.
 */
describe('card update and checkout reissue end to end (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let stack: Stack;

  beforeAll(async () => {
    bundle = await bundleWorkflows();
  });
  // A server per test: its clock is global, and a leftover workflow of an earlier test can hold it still.
  beforeEach(async () => {
    env = await createTimeSkippingEnv();
    // Flutterwave enables refunds only on request: a card update needs them, so this connection has them on.
    stack = await startStack({ env, bundle, connectionsAt: (url) => testConnections(url, { 'flutterwave-test': { ...testConnectionEntries(url)['flutterwave-test'], flags: { refundsEnabled: true } } }) });
  });
  afterEach(async () => {
    await stack?.close();
    await env?.teardown();
  });

  it.each(['paystack', 'flutterwave', 'razorpay'] as const)('%s: a declining card is replaced through a card-update checkout and the open cycle is paid on the new one', async (gateway) => {
    const { body, active } = await checkoutToActive(stack, gateway, `cu${gateway.slice(0, 2)}`, SUCCESS_CARD);
    // The stored card starts declining (the customer's bank), for every attempt the schedule would make.
    await queueOutcomes(stack, body.customer.email, ['insufficient_funds', 'insufficient_funds', 'insufficient_funds', 'insufficient_funds']);
    // Just after the first decline: before any automatic retry (Flutterwave 30 min, Razorpay a day).
    await env.sleep(Math.max(0, Date.parse(active.nextChargeAt!) - (await env.currentTimeMs())) + 5 * MINUTE);
    const stuck = await viewUntil(stack, body.id, (v) => v.status === 'past_due' || v.status === 'unpaid');
    expect(stuck).toMatchObject({ cycle: 2, card: { last4: SUCCESS_CARD.slice(-4) } });

    const api = apiOver(stack.apiUrl);
    const opened = await api.post(`/v1/subscriptions/${body.id}/card-update`);
    expect(opened.status).toBe(200);
    const reference = authorizationReference(body.id, 2);
    expect(opened.body.cardUpdate).toMatchObject({ status: 'pending', reference, amount: { amount: MINIMUM[gateway] } });
    expect(opened.body.cardUpdate!.checkoutUrl!.startsWith(`${stack.sandboxUrl}/checkout/`)).toBe(true);

    expect((await payAtCheckout(opened.body.cardUpdate!.checkoutUrl!, NEW_CARD)).html).toContain('Payment successful');
    const paid = await viewUntil(stack, body.id, (v: SubscriptionView) => v.status === 'active' && v.refunds.some((r) => r.chargeReference === reference && r.status === 'processed'));
    expect(paid).toMatchObject({ cycle: 2, card: { last4: NEW_CARD.slice(-4) }, cardUpdate: { status: 'authorized', reference } });
    const cycle2 = paid.charges.filter((c) => c.cycle === 2 && c.outcome === 'succeeded' && c.kind !== 'card_update');
    expect(cycle2).toHaveLength(1);
    expect(cycle2[0]!.reference).not.toBe(chargeReference(body.id, 2, 1));
    expect(paid.refunds.filter((r) => r.chargeReference === reference)).toEqual([expect.objectContaining({ reference: refundReference(reference), amount: { amount: MINIMUM[gateway], currency: (body.plan as { currency: string }).currency } })]);
  });

  it('is refused on a connection that cannot refund the minimum (Flutterwave by default)', async () => {
    const refusing = await startStack({ env, bundle });
    try {
      const { body } = await checkoutToActive(refusing, 'flutterwave', 'cunoref', SUCCESS_CARD);
      const res = await apiOver(refusing.apiUrl).post<{ status: number; detail: string }>(`/v1/subscriptions/${body.id}/card-update`);
      expect(res.status).toBe(409);
      expect(res.body.detail).toMatch(/cannot refund \(flags.refundsEnabled is false\)/);
    } finally {
      await refusing.close();
    }
  });

  it('Paystack: a pending checkout is reissued; the new link authorizes, and card-update is refused until then', async () => {
    const body = subscriptionBody('paystack', 'reissue');
    const created = await createSubscription(stack, body);
    const api = apiOver(stack.apiUrl);
    const refused = await api.post<{ detail: string }>(`/v1/subscriptions/${body.id}/card-update`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/reissue the checkout instead/);

    const reissued = await api.post(`/v1/subscriptions/${body.id}/checkout/reissue`);
    expect(reissued.status).toBe(200);
    expect(reissued.body.authorization).toMatchObject({ status: 'pending', reference: authorizationReference(body.id, 2) });
    expect(reissued.body.authorization.checkoutUrl).not.toBe(created.authorization.checkoutUrl);
    expect((await payAtCheckout(reissued.body.authorization.checkoutUrl!, SUCCESS_CARD)).html).toContain('Payment successful');
    const active = await viewUntil(stack, body.id, (v) => v.status === 'active');
    expect(active.charges.find((c) => c.kind === 'authorization')).toMatchObject({ reference: authorizationReference(body.id, 2), outcome: 'succeeded' });
    expect((await api.post(`/v1/subscriptions/${body.id}/checkout/reissue`)).status).toBe(409);
  });
});
