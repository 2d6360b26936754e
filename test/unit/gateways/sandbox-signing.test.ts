import { validateWebhookSignature } from 'razorpay/dist/utils/razorpay-utils';
import * as flutterwave from '../../../src/gateways/flutterwave/webhook';
import * as paystack from '../../../src/gateways/paystack/webhook';
import * as razorpay from '../../../src/gateways/razorpay/webhook';
import { retrySchedule, signedHeaders } from '../../../sandbox/webhook-sender';
import { seededRandom } from '../../../sandbox/rng';
import { TEST_SECRETS, testConnections } from '../../helpers/gateway-connections';

const MIN = 60_000;
const HOUR = 60 * MIN;
const connections = testConnections();
const body = JSON.stringify({ event: 'charge.success', data: { id: 1 } });

describe('sandbox webhook signing', () => {
  it('signs Paystack, Flutterwave and Razorpay bodies the way the verifiers (and the razorpay SDK) expect', () => {
    const raw = Buffer.from(body);
    expect(paystack.verify(raw, signedHeaders(connections.get('paystack-test')!, body, 'e1'), connections.get('paystack-test')!)).toBe(true);
    expect(flutterwave.verify(raw, signedHeaders(connections.get('flutterwave-test')!, body, 'e1'), connections.get('flutterwave-test')!)).toBe(true);
    const rz = signedHeaders(connections.get('razorpay-test')!, body, 'evt_1');
    expect(razorpay.verify(raw, rz, connections.get('razorpay-test')!)).toBe(true);
    expect(validateWebhookSignature(body, rz['x-razorpay-signature']!, TEST_SECRETS.razorpayWebhookSecret)).toBe(true);
    expect(rz['x-razorpay-event-id']).toBe('evt_1');
  });
});

describe('sandbox retry schedules', () => {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  it('Paystack: hourly for 10 h in test mode; every 3 min ×4 then hourly for 72 h live', () => {
    expect(retrySchedule('paystack', 'test')).toEqual(Array(10).fill(HOUR));
    const live = retrySchedule('paystack', 'live');
    expect(live.slice(0, 4)).toEqual(Array(4).fill(3 * MIN));
    expect(live.slice(4)).toEqual(Array(72).fill(HOUR));
  });
  it('Flutterwave: 3 retries 30 minutes apart', () => expect(retrySchedule('flutterwave', 'live')).toEqual([30 * MIN, 30 * MIN, 30 * MIN]));
  it('Razorpay: exponential backoff within 24 h', () => {
    const r = retrySchedule('razorpay', 'test');
    for (let i = 1; i < r.length; i++) expect(r[i]).toBe(2 * r[i - 1]!);
    expect(sum(r)).toBeLessThanOrEqual(24 * HOUR);
    expect(sum(r) + 2 * r[r.length - 1]!).toBeGreaterThan(24 * HOUR);
  });
});

describe('seeded randomness', () => {
  it('is deterministic per seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});
