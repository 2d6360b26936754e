import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { chargeReference } from '../../src/shared/ids';
import type { SubscriptionView } from '../../src/shared/state';
import { bundleWorkflows, createTimeSkippingEnv } from '../helpers/environments';
import { apiOver, queueOutcomes, statusIs, viewUntil } from '../helpers/http-api';
import { checkoutToActive, RENEWALS_FAIL_CARD } from './support/journeys';
import { startStack, type Stack } from '../helpers/stack';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * End to end on the time-skipping server: the API, the worker with the real activities and the sandbox, all over real
 * HTTP. Months pass in `env.sleep`; only the sandbox's background webhooks are polled for (bounded, real time).
 */
describe('a subscription end to end, per gateway (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let stack: Stack;

  beforeAll(async () => {
    bundle = await bundleWorkflows();
  });
  // A server per test: its clock is global, and a leftover workflow of an earlier test can hold it still.
  beforeEach(async () => {
    env = await createTimeSkippingEnv();
    stack = await startStack({ env, bundle });
  });
  afterEach(async () => {
    await stack?.close();
    await env?.teardown();
  });

  /** Skips business time to `atMs` (server clock) plus `extraMs`. */
  const skipTo = async (atMs: number, extraMs = 0): Promise<void> => {
    await env.sleep(Math.max(0, atMs - (await env.currentTimeMs())) + extraMs);
  };

  it('Paystack: minimum charge refunded once → cycle 1 → a declined renewal goes unpaid with no retry → retry-now recovers', async () => {
    const { body, active } = await checkoutToActive(stack, 'paystack', 'ps');

    // The card's next charge is declined (the sandbox's admin API); Paystack retries nothing, so the subscription is unpaid at once and stays so.
    await queueOutcomes(stack, body.customer.email, ['insufficient_funds']);
    await skipTo(Date.parse(active.nextChargeAt!), HOUR);
    const unpaid = await viewUntil(stack, body.id, statusIs('unpaid'));
    expect(unpaid).toMatchObject({ cycle: 2, attempts: { made: 1, automaticRemaining: 0, nextRetryAt: null }, nextChargeAt: null });
    expect(unpaid.charges.at(-1)).toMatchObject({ reference: chargeReference(body.id, 2, 1), outcome: 'declined', reason: expect.stringMatching(/insufficient/i) });
    await env.sleep(40 * DAY);
    expect((await apiOver(stack.apiUrl).get(`/v1/subscriptions/${body.id}`)).body.charges).toHaveLength(unpaid.charges.length);

    // The customer tops up (the card's renewals succeed again); the merchant retries by hand.
    const retried = await apiOver(stack.apiUrl).post(`/v1/subscriptions/${body.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'active', cycle: 2 });
    expect(retried.body.charges.at(-1)).toMatchObject({ reference: chargeReference(body.id, 2, 2), kind: 'manual_retry', outcome: 'succeeded' });
  });

  /** The renewal attempts of `cycle`, in order, with their times on the workflow's clock. */
  const attemptsOf = (view: SubscriptionView, cycle: number) => view.charges.filter((c) => c.cycle === cycle && c.kind === 'renewal');
  const gapsMs = (charges: { at: string }[]) => charges.slice(1).map((c, i) => Date.parse(c.at) - Date.parse(charges[i]!.at));
  // Retries are spaced from each attempt's start; a record's `at` is when its answer came, a call's latency later, so
  // two answers can be a few milliseconds closer than the spacing itself.
  const LATENCY_MS = 1_000;
  const expectSpacing = (gaps: number[], spacingMs: number) => {
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(spacingMs - LATENCY_MS);
      expect(gap - spacingMs).toBeLessThan(MINUTE);
    }
  };

  it('Flutterwave: first invoice at checkout → renewal declined → 2 retries 30 min apart → recovered on the anchor calendar', async () => {
    const { body, active } = await checkoutToActive(stack, 'flutterwave', 'fw');
    await queueOutcomes(stack, body.customer.email, ['decline', 'insufficient_funds', 'success']);
    const renewalAt = Date.parse(active.nextChargeAt!);
    await skipTo(renewalAt, 10 * MINUTE);
    const pastDue = await viewUntil(stack, body.id, statusIs('past_due'));
    expect(pastDue).toMatchObject({ cycle: 2, attempts: { made: 1, automaticRemaining: 3 } });
    expect(Date.parse(pastDue.attempts.nextRetryAt!) - renewalAt).toBeGreaterThanOrEqual(30 * MINUTE);

    await skipTo(renewalAt, 2 * HOUR);
    const recovered = await viewUntil(stack, body.id, statusIs('active'));
    const attempts = attemptsOf(recovered, 2);
    expect(attempts.map((c) => [c.reference, c.outcome])).toEqual([
      [chargeReference(body.id, 2, 1), 'declined'],
      [chargeReference(body.id, 2, 2), 'declined'],
      [chargeReference(body.id, 2, 3), 'succeeded'],
    ]);
    expectSpacing(gapsMs(attempts), 30 * MINUTE);
    // Back on the anchor: the next charge is a month after the renewal date, not after the late success.
    const next = new Date(recovered.nextChargeAt!);
    expect(next.getUTCDate()).toBe(new Date(renewalAt).getUTCDate());
    expect(next.getTime() - renewalAt).toBeGreaterThanOrEqual(28 * DAY);
  });

  it('Razorpay: first invoice at checkout → every renewal declined → 3 retries 1 day apart → unpaid', async () => {
    const { body, active } = await checkoutToActive(stack, 'razorpay', 'rz', RENEWALS_FAIL_CARD);
    const renewalAt = Date.parse(active.nextChargeAt!);
    await skipTo(renewalAt, 2 * DAY + HOUR);
    const pastDue = await viewUntil(stack, body.id, (v) => attemptsOf(v, 2).length === 3 && v.attempts.nextRetryAt !== null);
    expect(pastDue).toMatchObject({ status: 'past_due', attempts: { made: 3, automaticRemaining: 1 } });

    await skipTo(renewalAt, 4 * DAY);
    const unpaid = await viewUntil(stack, body.id, statusIs('unpaid'));
    const attempts = attemptsOf(unpaid, 2);
    expect(attempts.map((c) => [c.reference, c.outcome])).toEqual([1, 2, 3, 4].map((a) => [chargeReference(body.id, 2, a), 'declined']));
    expectSpacing(gapsMs(attempts), DAY);
    expect(unpaid).toMatchObject({ attempts: { made: 4, automaticRemaining: 0, nextRetryAt: null }, nextChargeAt: null });
  });
});
