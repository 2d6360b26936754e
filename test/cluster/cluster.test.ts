import { GATEWAY_POLICIES, GATEWAYS, type Gateway } from '../../src/shared/gateway-policy';
import { authorizationReference, chargeReference, subscriptionIdFromReference } from '../../src/shared/ids';
import type { SubscriptionView } from '../../src/shared/state';
import { bearer } from '../helpers/api';
import { payAtCheckout } from '../helpers/gateway-sandbox';
import { apiOver, viewUntil } from '../helpers/http-api';
import { poll } from '../helpers/poll';
import { RENEWALS_FAIL_CARD, SUCCESS_CARD } from '../e2e/support/journeys';
import { clusterBody, fastForward, ledger, startTestCluster, succeededCharges, type TestCluster } from './support';

// The production topology, tested here: a real Temporal server (v1.32.2) on PostgreSQL with SQL visibility, two
// workers, two API replicas behind a load balancer, and the gateway sandbox, each its own process. Renewals and
// dunning are reached with the server's per-execution time skipping; faults are real SIGKILLs and restarts; every
// count is checked against the sandbox's ledger (what the gateways booked).
jest.setTimeout(240_000);

const DAY = 24 * 60 * 60 * 1000;
let tc: TestCluster;
const created: string[] = [];

const settled = (view: SubscriptionView): boolean => view.refunds.every((r) => r.status === 'processed');
const activeAndSettled = (view: SubscriptionView): boolean => view.status === 'active' && settled(view);

/** POST /v1/subscriptions through the balancer with one Idempotency-Key, resent while the answer is a 5xx (bounded). */
async function createWithRetries(body: Record<string, unknown>, key: string): Promise<{ view: SubscriptionView; tries: number }> {
  for (let tries = 1; tries <= 20; tries++) {
    const res = await fetch(`${tc.cluster.apiUrl}/v1/subscriptions`, {
      method: 'POST',
      headers: { authorization: bearer(), 'idempotency-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).catch(() => undefined);
    if (res && (res.status === 201 || res.status === 200)) return { view: (await res.json()) as SubscriptionView, tries };
    if (res && res.status < 500) throw new Error(`create answered ${res.status}: ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('create did not succeed in 20 tries');
}

async function subscribeAndPay(gateway: Gateway, label: string, card = SUCCESS_CARD): Promise<SubscriptionView> {
  const body = clusterBody(gateway, label);
  created.push(body.id);
  const { view } = await createWithRetries(body, `create-${body.id}`);
  expect(view).toMatchObject({ id: body.id, status: 'incomplete', authorization: { reference: authorizationReference(body.id) } });
  expect((await payAtCheckout(view.authorization.checkoutUrl!, card)).html).toContain('Payment successful');
  return view;
}

const api = () => apiOver(tc.cluster.apiUrl);
const until = (id: string, done: (v: SubscriptionView) => boolean, timeoutMs = 90_000) => viewUntil(tc.cluster, id, done, timeoutMs);

beforeAll(async () => {
  tc = await startTestCluster();
}, 420_000);

afterAll(async () => {
  await tc?.stop();
}, 120_000);

describe('per-gateway journeys on the cluster', () => {
  test.each(GATEWAYS.filter((g) => g !== 'paystack'))('%s: checkout → active → renewal declined → the whole retry schedule at its spacing', async (gateway) => {
    const policy = GATEWAY_POLICIES[gateway];
    const sub = await subscribeAndPay(gateway, `dun-${gateway.slice(0, 3)}`, RENEWALS_FAIL_CARD);
    const active = await until(sub.id, activeAndSettled);
    expect(active.charges).toEqual([expect.objectContaining({ reference: authorizationReference(sub.id), kind: 'authorization', outcome: 'succeeded' })]);

    // One day to the renewal, then the gateway's fixed retries: Flutterwave 3 × 30 min, Razorpay 3 × 1 day.
    await fastForward(tc.cluster, sub.id, DAY + policy.automaticRetries.count * policy.automaticRetries.spacingMs + 60 * 60 * 1000);
    const attempts = 1 + policy.automaticRetries.count;
    const dunned = await until(sub.id, (v) => v.charges.filter((c) => c.cycle === 2 && c.outcome === 'declined').length === attempts);
    const cycle2 = dunned.charges.filter((c) => c.cycle === 2);
    expect(cycle2.map((c) => [c.reference, c.outcome])).toEqual(Array.from({ length: attempts }, (_, i) => [chargeReference(sub.id, 2, i + 1), 'declined']));
    // Durable timers at the policy's spacing, in the workflow's (virtual) time; activities take real seconds.
    const gaps = cycle2.slice(1).map((c, i) => Date.parse(c.at) - Date.parse(cycle2[i]!.at));
    for (const gap of gaps) expect(Math.abs(gap - policy.automaticRetries.spacingMs)).toBeLessThan(60_000);
    expect(dunned.status).not.toBe('active');
    expect(dunned.attempts.automaticRemaining).toBe(0);
  });

  test('paystack: checkout (refunded minimum charge) → active → renewal paid on time; a card that fails renewals gets no automatic retry', async () => {
    const ok = await subscribeAndPay('paystack', 'ps-ok');
    const active = await until(ok.id, activeAndSettled);
    expect(active.refunds).toHaveLength(1);
    await fastForward(tc.cluster, ok.id, DAY + 60 * 60 * 1000);
    const renewed = await until(ok.id, (v) => v.charges.some((c) => c.cycle === 2 && c.outcome === 'succeeded'));
    expect(succeededCharges(renewed)).toEqual([authorizationReference(ok.id), chargeReference(ok.id, 1, 1), chargeReference(ok.id, 2, 1)]);

    const failing = await subscribeAndPay('paystack', 'ps-fail', RENEWALS_FAIL_CARD);
    const declined = await until(failing.id, (v) => settled(v) && v.charges.some((c) => c.cycle === 1 && c.outcome === 'declined'));
    expect(declined.charges.filter((c) => c.cycle === 1).map((c) => c.outcome)).toEqual(['declined']);
    expect(declined.status).not.toBe('active');
    expect(declined.attempts.automaticRemaining).toBe(0);
  });
});

describe('faults, counted at the sandbox ledger', () => {
  test('workers SIGKILLed while renewals run: every renewal is charged exactly once', async () => {
    const subs = await Promise.all(GATEWAYS.flatMap((g) => [1, 2].map((i) => subscribeAndPay(g, `wk-${g.slice(0, 3)}${i}`))));
    await Promise.all(subs.map((s) => until(s.id, activeAndSettled)));
    await Promise.all(subs.map((s) => fastForward(tc.cluster, s.id, DAY + 60 * 60 * 1000)));
    // Kill each worker in turn while the renewals are being charged, and bring it back (bounded: 4 kills).
    for (let k = 0; k < 4; k++) {
      const i = k % 2;
      await new Promise((r) => setTimeout(r, 150 + 100 * k));
      await tc.cluster.workers[i]!.kill();
      await tc.cluster.startWorker(i);
    }
    for (const s of subs) {
      const v = await until(s.id, (x) => x.charges.some((c) => c.cycle === 2 && c.outcome === 'succeeded'));
      expect(v.charges.filter((c) => c.cycle === 2).map((c) => c.outcome)).toEqual(['succeeded']);
    }
    const books = await ledger(tc.cluster);
    for (const s of subs) expect(books.chargesByReference[chargeReference(s.id, 2, 1)]).toBe(1);
  });

  test('the Temporal server restarted while checkout webhooks arrive: no payment lost, none doubled', async () => {
    const subs = await Promise.all(GATEWAYS.map((g) => clusterBody(g, `srv-${g.slice(0, 3)}`)).map(async (body) => {
      created.push(body.id);
      return (await createWithRetries(body, `create-${body.id}`)).view;
    }));
    // Pay all three, then kill the server at once: their webhooks land on an API that cannot reach Temporal (503),
    // and the gateways redeliver on their own schedules until it is back.
    await Promise.all(subs.map((s) => payAtCheckout(s.authorization.checkoutUrl!, SUCCESS_CARD)));
    await tc.cluster.temporal.kill();
    await new Promise((r) => setTimeout(r, 3000));
    tc.cluster.temporal.start();
    await tc.cluster.waitTemporalReady();
    for (const s of subs) await until(s.id, activeAndSettled, 150_000);
    const books = await ledger(tc.cluster);
    for (const s of subs) expect(books.chargesByReference[authorizationReference(s.id)]).toBe(1);
  });

  test('an API replica SIGKILLed mid-request: creates resent with their key land once, webhooks reach the other replica', async () => {
    const bodies = GATEWAYS.flatMap((g) => [1, 2].map((i) => clusterBody(g, `api-${g.slice(0, 3)}${i}`)));
    created.push(...bodies.map((b) => b.id));
    const inFlight = bodies.map((b) => createWithRetries(b, `create-${b.id}`));
    // Kill replica 1 while it holds a request (sent, unanswered): a real mid-request death, not a refused connection.
    const balancer = tc.cluster.balancer;
    const cutBefore = balancer.failedMidRequest;
    for (let i = 0; i < 400 && balancer.inFlight[0] === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(balancer.inFlight[0]).toBeGreaterThan(0);
    await tc.cluster.apis[0]!.kill();
    const results = await Promise.all(inFlight);
    expect(balancer.failedMidRequest).toBeGreaterThan(cutBefore);
    for (const [i, r] of results.entries()) expect(r.view.id).toBe(bodies[i]!.id);
    // Every create is idempotent under its key: the same subscription again, not a second one.
    const again = await createWithRetries(bodies[0]!, `create-${bodies[0]!.id}`);
    expect(again.view.authorization.reference).toBe(results[0]!.view.authorization.reference);
    // Checkout webhooks while one replica is down and while it comes back.
    const paying = results.map((r) => payAtCheckout(r.view.authorization.checkoutUrl!, SUCCESS_CARD));
    await tc.cluster.startApi(0);
    await Promise.all(paying);
    for (const r of results) await until(r.view.id, activeAndSettled);
    // SQL visibility on PostgreSQL (search attribute CustomerId): one subscription per create, none made twice.
    for (const b of bodies) {
      const customerId = (b.customer as { id: string }).id;
      const listed = await poll(() => api().get<{ data: { id: string }[] }>(`/v1/subscriptions?customerId=${customerId}`), (r) => r.status === 200 && r.body.data.length > 0, { timeoutMs: 20_000 });
      expect(listed.body.data.map((d) => d.id)).toEqual([b.id]);
    }
  });

  test('across every test: 0 duplicate charges, 0 duplicate refunds, 0 lost payments, 0 stuck workflows', async () => {
    const books = await ledger(tc.cluster);
    const mine = (ref: string | undefined): boolean => ref !== undefined && created.includes(subscriptionIdFromReference(ref) ?? '');
    const charges = books.charges.filter((c) => mine(c.reference));
    const duplicateCharges = Object.entries(books.chargesByReference).filter(([ref, count]) => mine(ref) && count > 1);
    const duplicateRefunds = Object.entries(books.refundsByReference).filter(([ref, count]) => mine(ref) && count > 1);
    expect(charges.length).toBeGreaterThan(created.length);
    expect(duplicateCharges).toEqual([]);
    expect(duplicateRefunds).toEqual([]);

    const views = new Map<string, SubscriptionView>();
    for (const id of created) {
      const res = await api().get(`/v1/subscriptions/${id}`);
      expect(res.status).toBe(200);
      views.set(id, res.body);
    }
    // Lost: the gateway took the money and the subscription does not know it.
    const lost = charges.filter((c) => !succeededCharges(views.get(subscriptionIdFromReference(c.reference)!)!).includes(c.reference));
    expect(lost).toEqual([]);
    // Stuck: anything still waiting on a charge or a refund it never resolved.
    const stuck = [...views.values()].filter((v) => v.status === 'incomplete' || v.charges.some((c) => c.outcome === 'pending' || c.outcome === 'unknown') || !settled(v));
    expect(stuck.map((v) => v.id)).toEqual([]);
  });
});
