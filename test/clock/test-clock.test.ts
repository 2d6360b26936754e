import { chargeReference } from '../../src/shared/ids';
import type { SubscriptionView } from '../../src/shared/state';
import type { TestClockView } from '../../src/api/routes/test-clock-schemas';
import { bearer } from '../helpers/api';
import { payAtCheckout } from '../helpers/gateway-sandbox';
import { apiOver } from '../helpers/http-api';
import { undocumented } from '../helpers/openapi';
import { poll } from '../helpers/poll';
import { RENEWALS_FAIL_CARD, SUCCESS_CARD } from '../e2e/support/journeys';
import type { Gateway } from '../../src/shared/gateway-policy';
import { attempts, clockBody, clockReady, eventsOf, startClockStack, type ClockStack } from './support';

// Test clocks on the live stack that `npm run dev` runs (not the time-skipping test server): Temporal server v1.32.2
// on SQLite with per-execution time skipping, the sandbox, a worker and the API as separate processes. Each journey
// moves one subscription's clock through the API and checks, after every advance, what the API shows and which
// merchant events arrived. Wall time per simulated month is measured in the bench (bench/test-clock.ts), not here.
jest.setTimeout(300_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
let cs: ClockStack;
const api = () => apiOver(cs.stack.apiUrl);

beforeAll(async () => {
  cs = await startClockStack();
}, 600_000);
afterAll(async () => {
  await cs?.stop();
}, 120_000);

/** The answer is one /openapi.json documents for the advance: this server can skip time, the integration tier's cannot. */
const ADVANCE = '/v1/subscriptions/{id}/test-clock/advance';
const documented = (res: { status: number; body: unknown }): string[] =>
  undocumented('POST', ADVANCE, { ...res, contentType: res.status < 300 ? 'application/json' : 'application/problem+json' });

const settledActive = (v: SubscriptionView): boolean => v.status === 'active' && v.refunds.every((r) => r.status === 'processed');

async function viewUntil(id: string, done: (v: SubscriptionView) => boolean, timeoutMs = 60_000): Promise<SubscriptionView> {
  const res = await poll(() => api().get(`/v1/subscriptions/${id}`), (r) => r.status === 200 && done(r.body), { timeoutMs, intervalMs: 250 });
  if (!done(res.body)) throw new Error(`${id} did not get there in ${timeoutMs} ms: ${JSON.stringify({ status: res.body.status, charges: res.body.charges, attempts: res.body.attempts })}`);
  return res.body;
}

/** Creates a subscription and pays its checkout in the sandbox as the customer's browser would; returns once its clock is ready. */
async function subscribeAndPay(gateway: Gateway, label: string, card: string): Promise<SubscriptionView> {
  const body = clockBody(gateway, label);
  const created = await api().post('/v1/subscriptions', body);
  expect(created.status).toBe(201);
  expect((await payAtCheckout(created.body.authorization.checkoutUrl!, card)).html).toContain('Payment successful');
  const settled = await viewUntil(body.id, settledActive);
  await clockReady(cs.stack.apiUrl, body.id);
  return settled;
}

/** POST …/test-clock/advance, then polls the Location until the clock is ready; the clock reached. */
async function advance(id: string, move: { by: string } | { to: string }): Promise<TestClockView> {
  await clockReady(cs.stack.apiUrl, id);
  const res = await api().post<TestClockView>(`/v1/subscriptions/${id}/test-clock/advance`, move);
  expect(res.status).toBe(202);
  expect(documented(res)).toEqual([]);
  expect(res.body).toMatchObject({ subscriptionId: id, targetTime: expect.any(String) });
  const target = Date.parse(res.body.targetTime!);
  const ready = await clockReady(cs.stack.apiUrl, id);
  expect(Date.parse(ready.currentTime)).toBeGreaterThanOrEqual(target);
  return ready;
}

/**
 * The types of the merchant events of `id` not returned before, in the workflow's sequence order, once `count` of them
 * arrived (one step's events may be delivered concurrently, so arrival order is not theirs).
 */
const seen = new Set<string>();
async function newEvents(id: string, count: number): Promise<string[]> {
  const fresh = () => eventsOf(cs.events, id).filter((e) => !seen.has(e.id));
  const got = await poll(fresh, (es) => es.length >= count, { timeoutMs: 30_000, intervalMs: 200 });
  for (const e of got) seen.add(e.id);
  return got.map((e) => e.type);
}
const ACTIVATION = ['subscription.activated', 'invoice.paid'];

describe('refusals', () => {
  test('a subscription on a live connection: its clock cannot be read or moved (409 naming the connection)', async () => {
    const body = clockBody('paystack', 'live', 'paystack-live');
    expect((await api().post('/v1/subscriptions', body)).status).toBe(201);
    const moved = await api().post<{ status: number; title: string; detail: string }>(`/v1/subscriptions/${body.id}/test-clock/advance`, { by: '1d' });
    expect(moved.status).toBe(409);
    expect(documented(moved)).toEqual([]);
    expect(moved.body).toMatchObject({ status: 409, title: 'Test clocks need a test-mode connection', detail: expect.stringContaining('"paystack-live", which is live') });
    expect((await api().get(`/v1/subscriptions/${body.id}/test-clock`)).status).toBe(409);
  });

  test('an advance past two billing intervals is a 422 naming the field; a retried advance is applied once', async () => {
    const sub = await subscribeAndPay('paystack', 'bound', SUCCESS_CARD);
    const before = await clockReady(cs.stack.apiUrl, sub.id);
    expect(before).toMatchObject({ status: 'ready', subscription: { id: sub.id } });
    const tooFar = await api().post<{ errors: { field: string }[] }>(`/v1/subscriptions/${sub.id}/test-clock/advance`, { by: '3mo' });
    expect(tooFar.status).toBe(422);
    expect(documented(tooFar)).toEqual([]);
    expect(tooFar.body.errors).toEqual([expect.objectContaining({ field: 'by', message: expect.stringContaining('two billing intervals') })]);

    const past = await api().post<{ errors: { field: string }[] }>(`/v1/subscriptions/${sub.id}/test-clock/advance`, { to: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(422);
    expect(past.body.errors).toEqual([expect.objectContaining({ field: 'to', message: expect.stringContaining("after the clock's current time") })]);

    // The same Idempotency-Key twice: one advance of 1 day, not two; the same key with another body is refused.
    const send = (by = '1d') =>
      fetch(`${cs.stack.apiUrl}/v1/subscriptions/${sub.id}/test-clock/advance`, {
        method: 'POST', headers: { authorization: bearer(), 'idempotency-key': `once-${sub.id}`, 'content-type': 'application/json' }, body: JSON.stringify({ by }),
      });
    const first = (await (await send()).json()) as TestClockView;
    await clockReady(cs.stack.apiUrl, sub.id);
    const again = await send();
    expect(again.status).toBe(200);
    expect(((await again.json()) as TestClockView).targetTime).toBe(first.targetTime);
    expect((await send('2d')).status).toBe(422);
    const after = (await api().get<TestClockView>(`/v1/subscriptions/${sub.id}/test-clock`)).body;
    expect(Date.parse(after.currentTime) - Date.parse(before.currentTime)).toBeLessThan(DAY + 10 * MINUTE);
    expect(after.subscription.charges).toHaveLength(sub.charges.length);
  });
});

describe('per gateway: a declined renewal, its whole retry schedule, then recovery or unpaid, step by step', () => {
  test('paystack: renewal declined → unpaid at once (no automatic retry) → a month passes without a charge → retry-now recovers', async () => {
    const sub = await subscribeAndPay('paystack', 'ps', SUCCESS_CARD);
    expect(await newEvents(sub.id, 2)).toEqual(ACTIVATION);
    await fetch(`${cs.stack.sandboxUrl}/__sandbox/customers/${encodeURIComponent(sub.customer.email)}/next-outcome`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'insufficient_funds' }),
    }).then((r) => expect(r.status).toBe(204));

    const renewalAt = Date.parse(sub.nextChargeAt!);
    await advance(sub.id, { to: new Date(renewalAt + HOUR).toISOString() });
    const unpaid = await viewUntil(sub.id, (v) => v.status === 'unpaid');
    expect(attempts(unpaid, 2)).toEqual([[chargeReference(sub.id, 2, 1), 'declined']]);
    expect(unpaid).toMatchObject({ attempts: { made: 1, automaticRemaining: 0, nextRetryAt: null }, nextChargeAt: null });
    expect(Math.abs(Date.parse(unpaid.charges.at(-1)!.at) - renewalAt)).toBeLessThan(MINUTE);
    expect(await newEvents(sub.id, 2)).toEqual(['invoice.payment_failed', 'subscription.unpaid']);

    await advance(sub.id, { by: '1mo' });
    expect(attempts(await viewUntil(sub.id, () => true), 2)).toHaveLength(1);

    const retried = await api().post(`/v1/subscriptions/${sub.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'active', cycle: 2 });
    expect(attempts(retried.body, 2)).toEqual([[chargeReference(sub.id, 2, 1), 'declined'], [chargeReference(sub.id, 2, 2), 'succeeded']]);
    // Recovered: active again, then the paid invoice (the same pair as at activation).
    expect(await newEvents(sub.id, 2)).toEqual(ACTIVATION);
  });

  test('flutterwave: renewal declined → retries 30 min apart on the virtual clock → the third attempt recovers', async () => {
    const sub = await subscribeAndPay('flutterwave', 'fw', SUCCESS_CARD);
    expect(await newEvents(sub.id, 2)).toEqual(ACTIVATION);
    for (const outcome of ['decline', 'insufficient_funds']) {
      await fetch(`${cs.stack.sandboxUrl}/__sandbox/customers/${encodeURIComponent(sub.customer.email)}/next-outcome`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome }),
      }).then((r) => expect(r.status).toBe(204));
    }
    const renewalAt = Date.parse(sub.nextChargeAt!);
    await advance(sub.id, { to: new Date(renewalAt + 10 * MINUTE).toISOString() });
    const first = await viewUntil(sub.id, (v) => v.status === 'past_due');
    expect(attempts(first, 2)).toEqual([[chargeReference(sub.id, 2, 1), 'declined']]);
    expect(first.attempts).toMatchObject({ made: 1, automaticRemaining: 3 });
    expect(Date.parse(first.attempts.nextRetryAt!) - Date.parse(first.charges.at(-1)!.at)).toBeGreaterThanOrEqual(30 * MINUTE - 1000);
    expect(await newEvents(sub.id, 2)).toEqual(['invoice.payment_failed', 'subscription.past_due']);

    await advance(sub.id, { by: '30m' });
    const second = await viewUntil(sub.id, (v) => attempts(v, 2).length === 2);
    expect(attempts(second, 2)).toEqual([[chargeReference(sub.id, 2, 1), 'declined'], [chargeReference(sub.id, 2, 2), 'declined']]);
    expect(second).toMatchObject({ status: 'past_due', attempts: { made: 2, automaticRemaining: 2 } });
    expect(await newEvents(sub.id, 1)).toEqual(['invoice.payment_failed']);

    await advance(sub.id, { by: '30m' });
    const recovered = await viewUntil(sub.id, (v) => v.status === 'active');
    expect(attempts(recovered, 2).map(([, o]) => o)).toEqual(['declined', 'declined', 'succeeded']);
    const times = recovered.charges.filter((c) => c.cycle === 2).map((c) => Date.parse(c.at));
    for (let i = 1; i < times.length; i++) expect(Math.abs(times[i]! - times[i - 1]! - 30 * MINUTE)).toBeLessThan(MINUTE);
    // Back on the anchor calendar: the next renewal is a month after the original renewal date.
    expect(new Date(recovered.nextChargeAt!).getUTCDate()).toBe(new Date(renewalAt).getUTCDate());
    // Recovered: active again, then the paid invoice (the same pair as at activation).
    expect(await newEvents(sub.id, 2)).toEqual(ACTIVATION);
  });

  test('razorpay: renewal declined → retry-now runs the next attempt early (no extra attempt) → the remaining retries a day apart → unpaid', async () => {
    const sub = await subscribeAndPay('razorpay', 'rz', RENEWALS_FAIL_CARD);
    expect(await newEvents(sub.id, 2)).toEqual(ACTIVATION);
    const renewalAt = Date.parse(sub.nextChargeAt!);
    await advance(sub.id, { to: new Date(renewalAt + HOUR).toISOString() });
    const first = await viewUntil(sub.id, (v) => v.status === 'past_due');
    expect(attempts(first, 2)).toEqual([[chargeReference(sub.id, 2, 1), 'declined']]);
    expect(first.attempts).toMatchObject({ made: 1, automaticRemaining: 3 });
    expect(Date.parse(first.attempts.nextRetryAt!) - Date.parse(first.charges.at(-1)!.at)).toBeGreaterThanOrEqual(DAY - 1000);
    expect(await newEvents(sub.id, 2)).toEqual(['invoice.payment_failed', 'subscription.past_due']);

    // Retry now: attempt 2 runs at once and takes a scheduled retry's place; the schedule still ends after 4 attempts.
    const retried = await api().post(`/v1/subscriptions/${sub.id}/retry`);
    expect(retried.status).toBe(200);
    const early = await viewUntil(sub.id, (v) => attempts(v, 2).length === 2);
    expect(attempts(early, 2)[1]).toEqual([chargeReference(sub.id, 2, 2), 'declined']);
    expect(early.attempts).toMatchObject({ made: 2, automaticRemaining: 2 });
    expect(Date.parse(early.charges.at(-1)!.at) - Date.parse(first.charges.at(-1)!.at)).toBeLessThan(DAY / 2);
    expect(await newEvents(sub.id, 1)).toEqual(['invoice.payment_failed']);

    for (const n of [3, 4]) {
      const before = await viewUntil(sub.id, () => true);
      await advance(sub.id, { to: new Date(Date.parse(before.attempts.nextRetryAt!) + HOUR).toISOString() });
      const after = await viewUntil(sub.id, (v) => attempts(v, 2).length === n);
      expect(attempts(after, 2)[n - 1]).toEqual([chargeReference(sub.id, 2, n), 'declined']);
    }
    const unpaid = await viewUntil(sub.id, (v) => v.status === 'unpaid');
    expect(unpaid).toMatchObject({ attempts: { made: 4, automaticRemaining: 0, nextRetryAt: null }, nextChargeAt: null });
    expect(await newEvents(sub.id, 3)).toEqual(['invoice.payment_failed', 'invoice.payment_failed', 'subscription.unpaid']);

    // Two more months on the clock: nothing else is attempted.
    await advance(sub.id, { by: '2mo' });
    expect(attempts(await viewUntil(sub.id, () => true), 2)).toHaveLength(4);
    expect(eventsOf(cs.events, sub.id).filter((e) => !seen.has(e.id))).toEqual([]);
  });
});
