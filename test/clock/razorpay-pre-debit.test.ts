import { chargeReference } from '../../src/shared/ids';
import type { SubscriptionView } from '../../src/shared/state';
import type { TestClockView } from '../../src/api/routes/test-clock-schemas';
import { payAtCheckout } from '../helpers/gateway-sandbox';
import { apiOver } from '../helpers/http-api';
import { poll } from '../helpers/poll';
import { SUCCESS_CARD } from '../e2e/support/journeys';
import { attempts, clockBody, clockReady, eventsOf, startClockStack, type ClockStack } from './support';

// Razorpay's pre-debit timing in the sandbox (SANDBOX_RAZORPAY_PRE_DEBIT_MS): a recurring card payment is announced
// and debited 36 h 5 min later. Under a test clock the debit lands when the subscription's clock passes that instant,
// as it would at Razorpay, not after the sandbox's own (scaled) delay.
jest.setTimeout(300_000);

const HOUR = 60 * 60 * 1000;
const PRE_DEBIT_MS = 36 * HOUR + 5 * 60 * 1000;
let cs: ClockStack;
const api = () => apiOver(cs.stack.apiUrl);

beforeAll(async () => {
  cs = await startClockStack({ sandboxEnv: { SANDBOX_RAZORPAY_PRE_DEBIT_MS: String(PRE_DEBIT_MS) } });
}, 600_000);
afterAll(async () => {
  await cs?.stop();
}, 120_000);

async function viewUntil(id: string, done: (v: SubscriptionView) => boolean): Promise<SubscriptionView> {
  const res = await poll(() => api().get(`/v1/subscriptions/${id}`), (r) => r.status === 200 && done(r.body), { timeoutMs: 60_000, intervalMs: 250 });
  if (!done(res.body)) throw new Error(`${id}: ${JSON.stringify({ status: res.body.status, charges: res.body.charges })}`);
  return res.body;
}

async function advanceUntilReady(id: string, move: { by: string } | { to: string }): Promise<TestClockView> {
  await clockReady(cs.stack.apiUrl, id);
  expect((await api().post(`/v1/subscriptions/${id}/test-clock/advance`, move)).status).toBe(202);
  return clockReady(cs.stack.apiUrl, id);
}

test('razorpay: the renewal is pending through the pre-debit window, then debited once after 36 h 5 min on the subscription clock', async () => {
  const body = clockBody('razorpay', 'pd');
  const created = await api().post('/v1/subscriptions', body);
  expect(created.status).toBe(201);
  expect((await payAtCheckout(created.body.authorization.checkoutUrl!, SUCCESS_CARD)).html).toContain('Payment successful');
  const active = await viewUntil(body.id, (v) => v.status === 'active');
  const renewalAt = Date.parse(active.nextChargeAt!);

  // An hour after the renewal: announced, not debited. The workflow holds the charge as pending and tells no one.
  await advanceUntilReady(body.id, { to: new Date(renewalAt + HOUR).toISOString() });
  const announced = await viewUntil(body.id, (v) => attempts(v, 2).length === 1);
  expect(attempts(announced, 2)).toEqual([[chargeReference(body.id, 2, 1), 'pending']]);
  expect(eventsOf(cs.events, body.id).filter((e) => e.type === 'invoice.paid' && e.data.cycle === 2)).toEqual([]);

  // Three days on: the workflow's re-verification of the pending charge (30 min doubling to a day) is the first call
  // on the subscription's clock past renewal + 36 h 5 min, so the sandbox makes the debit then; the renewal is paid once.
  await advanceUntilReady(body.id, { by: '3d' });
  const paid = await viewUntil(body.id, (v) => attempts(v, 2).some(([, o]) => o === 'succeeded'));
  expect(attempts(paid, 2)).toEqual([[chargeReference(body.id, 2, 1), 'succeeded']]);
  const invoicePaid = await poll(() => eventsOf(cs.events, body.id).filter((e) => e.type === 'invoice.paid' && e.data.cycle === 2), (es) => es.length === 1, { timeoutMs: 30_000, intervalMs: 200 });
  expect(invoicePaid).toHaveLength(1);
  expect(Date.parse(invoicePaid[0]!.occurredAt) - renewalAt).toBeGreaterThanOrEqual(PRE_DEBIT_MS);
  // Still on the anchor calendar: the debit's delay does not move the next renewal.
  expect(new Date(paid.nextChargeAt!).getUTCDate()).toBe(new Date(renewalAt).getUTCDate());
});
