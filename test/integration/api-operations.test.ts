import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { client, createBody, newKey } from '../helpers/api-requests';
import { bundleWorkflows, createDevServerEnv } from '../helpers/environments';
import { sandboxConnections } from '../helpers/gateway-connections';
import { payAtCheckout } from '../helpers/gateway-sandbox';
import { statusIs, viewUntil } from '../helpers/http-api';
import { startStack, type Stack } from '../helpers/stack';

/**
 * Subscription operations as workflow updates on the real subscription workflow, whose validators refuse with
 * UPDATE_REFUSED as the contract in src/shared/messages.ts requires. Subscriptions are activated the way a customer
 * does it: paying at the sandbox's hosted checkout, whose signed webhook reaches the API over HTTP.
 */
describe('subscription operations on the Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  let stack: Stack;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    const [devEnv, bundle] = await Promise.all([createDevServerEnv(), bundleWorkflows()]);
    env = devEnv;
    stack = await startStack({ env, bundle, connectionsAt: sandboxConnections });
    api = client(stack.apiUrl);
  });
  afterAll(async () => {
    await stack?.close();
    await env?.teardown();
  });

  /** Creates a subscription, pays its authorization at the hosted checkout, and waits for cycle 1 to be charged. */
  async function activeSubscription(id: string, overrides: Record<string, unknown> = {}): Promise<void> {
    const created = await api.post('/v1/subscriptions', createBody({ id, ...overrides })).expect(201);
    const paid = await payAtCheckout(String(created.body.authorization.checkoutUrl), '4084084084084081');
    expect(paid.html).toContain('Payment successful');
    // The real workflow refunds the authorization and charges cycle 1 before it is active: wait for it.
    const view = await viewUntil(stack, id, statusIs('active'));
    expect(view.status).toBe('active');
  }

  it('pauses and resumes, refusing a second pause with the workflow\'s reason', async () => {
    await activeSubscription('sub-ops-pause');
    const paused = await api.post('/v1/subscriptions/sub-ops-pause/pause').expect(200);
    expect(paused.body).toMatchObject({ id: 'sub-ops-pause', status: 'paused' });
    const again = await api.post('/v1/subscriptions/sub-ops-pause/pause', {}).expect(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(again.body).toMatchObject({ status: 409, title: 'Refused', detail: 'subscription is already paused' });
    const resumed = await api.post('/v1/subscriptions/sub-ops-resume-missing/resume').expect(404);
    expect(resumed.body.title).toBe('Not found');
    await api.post('/v1/subscriptions/sub-ops-pause/resume').expect(200).expect((res) => expect(res.body.status).toBe('active'));
    await api.post('/v1/subscriptions/sub-ops-pause/pause', { now: true }).expect(422);
  });

  it('runs an update once per Idempotency-Key and refuses the key for another operation', async () => {
    await activeSubscription('sub-ops-idem');
    const key = newKey('pause');
    const first = await api.post('/v1/subscriptions/sub-ops-idem/pause', undefined, key).expect(200);
    // Without the key's dedupe this would be a 409 "already paused".
    const retry = await api.post('/v1/subscriptions/sub-ops-idem/pause', undefined, key).expect(200);
    expect(retry.body).toEqual(first.body);
    const history = await env.client.workflow.getHandle('subscription-sub-ops-idem').fetchHistory();
    const pauses = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'pause');
    expect(pauses).toHaveLength(1);

    const reused = await api.post('/v1/subscriptions/sub-ops-idem/resume', undefined, key).expect(422);
    expect(reused.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'already used with a different request' }]);
    const stillPaused = await api.get('/v1/subscriptions/sub-ops-idem').expect(200);
    expect(stillPaused.body.status).toBe('paused');
  });

  it('refuses retry-now where the gateway policy forbids it (Paystack: only while unpaid)', async () => {
    await activeSubscription('sub-ops-retry');
    const res = await api.post('/v1/subscriptions/sub-ops-retry/retry').expect(409);
    expect(res.body.detail).toBe('Paystack allows a manual retry only while unpaid (status is active)');
  });

  it("changes the plan from the next cycle, validated against the gateway's rules", async () => {
    await activeSubscription('sub-ops-plan');
    const plan = { id: 'platinum', amount: 900000, currency: 'NGN', interval: 'month', intervalCount: 1 };
    const bad = await api.post('/v1/subscriptions/sub-ops-plan/plan', { ...plan, intervalCount: 3 }).expect(422);
    expect(bad.body.errors).toEqual([{ field: 'intervalCount', message: expect.stringMatching(/^Paystack supports only single intervals/) }]);
    const currency = await api.post('/v1/subscriptions/sub-ops-plan/plan', { ...plan, currency: 'INR' }).expect(422);
    expect(currency.body.errors[0].field).toBe('currency');
    const ok = await api.post('/v1/subscriptions/sub-ops-plan/plan', plan).expect(200);
    expect(ok.body.pendingPlan).toEqual({ ...plan, trialDays: 0, totalCycles: null });
    expect(ok.body.plan.id).toBe('gold');
  });

  it('refunds a charge of the subscription and refuses one it does not have', async () => {
    await activeSubscription('sub-ops-refund');
    const charge = ((await api.get('/v1/subscriptions/sub-ops-refund').expect(200)).body as { charges: { reference: string; outcome: string }[] }).charges.find(
      (c) => c.outcome === 'succeeded' && !c.reference.endsWith('-auth1'),
    )!;
    expect(charge.reference).toBe('sub-ops-refund-c1-a1');
    const unknown = await api.post('/v1/subscriptions/sub-ops-refund/refunds', { chargeReference: 'nope-c1-a1' }).expect(409);
    expect(unknown.body.detail).toMatch(/^nope-c1-a1 is not a successful charge of subscription sub-ops-refund/);
    const invalid = await api.post('/v1/subscriptions/sub-ops-refund/refunds', { chargeReference: 'sub-ops-refund-auth1', amount: -5 }).expect(422);
    expect(invalid.body.errors[0].field).toBe('amount');
    const ok = await api.post('/v1/subscriptions/sub-ops-refund/refunds', { chargeReference: charge.reference, amount: 2000 }).expect(200);
    expect(ok.body.refunds).toEqual(expect.arrayContaining([expect.objectContaining({ chargeReference: charge.reference, amount: { amount: 2000, currency: 'NGN' } })]));
  });

  it('cancels now, then refuses any further change of the ended subscription', async () => {
    await activeSubscription('sub-ops-cancel');
    const badAt = await api.post('/v1/subscriptions/sub-ops-cancel/cancel', { at: 'tomorrow' }).expect(422);
    expect(badAt.body.errors[0].field).toBe('at');
    const canceled = await api.post('/v1/subscriptions/sub-ops-cancel/cancel', { at: 'now' }).expect(200);
    expect(canceled.body.status).toBe('canceled');
    const again = await api.post('/v1/subscriptions/sub-ops-cancel/cancel', { at: 'now' }).expect(409);
    expect(again.body.detail).toMatch(/sub-ops-cancel/);
    await api.post('/v1/subscriptions/sub-nobody/cancel', { at: 'now' }).expect(404);
  });
});
