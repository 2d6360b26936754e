import type { GatewayEvent } from '../../src/shared/gateway-events';
import { authorizationReference, refundReference } from '../../src/shared/ids';
import { cancelUpdate, gatewayEventSignal } from '../../src/shared/messages';
import { FakeActivities } from './support/fake-activities';
import { authorizationPaid, HOUR, start, subscriptionInput, useHarness, withWorker } from './support/harness';

const h = useHarness();

/** mulberry32: a small seeded generator, so a failing scenario replays exactly from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE_SEED = Number(process.env.AUTHORIZATION_SCENARIO_SEED ?? 20261201);
const SCENARIOS = Number(process.env.AUTHORIZATION_SCENARIOS ?? 12);
const seeds = Array.from({ length: SCENARIOS }, (_, i) => BASE_SEED + i);

/**
 * Randomized checkouts on Paystack (NGN 50.00 asked, refunded): up to two payments that cannot be the authorization
 * (another amount or currency, or a card that is not reusable), each perhaps redelivered or re-sent under a new event
 * id, perhaps a decline, then a proper payment whose webhook may be lost (found by the verify before expiry).
 * Invariants: each checkout payment is refunded exactly once for what was paid; only the last checkout authorizes,
 * with a reusable card; cycle 1 is charged exactly once, on that card; the merchant hears of every refused refund.
 */
describe('card authorization under randomized checkouts', () => {
  it.each(seeds)('seed %i', async (seed) => {
    const random = rng(seed);
    const fake = new FakeActivities();
    const input = subscriptionInput({ gateway: 'paystack' });
    const ref = (n: number) => authorizationReference(input.subscriptionId, n);
    const refusals = Math.floor(random() * 3);
    const paid: number[] = [];
    const lostWebhook = random() < 0.3;
    const final = ref(refusals + 1);
    fake.verify = (v) =>
      lostWebhook && v.reference === final
        ? { status: 'succeeded', reference: final, gatewayTransactionId: `tx-${final}`, amount: { amount: 5000, currency: 'NGN' }, paidAt: '', card: { token: 'AUTH_final', last4: '4081', reusable: true } }
        : { status: 'not_found', reference: v.reference };

    const view = await withWorker(h, fake, async (taskQueue) => {
      const handle = await start(h, taskQueue, input);
      const send = async (event: GatewayEvent) => {
        await handle.signal(gatewayEventSignal, event);
        const echo = random();
        if (echo < 0.3) await handle.signal(gatewayEventSignal, event); // redelivery, same event id
        else if (echo < 0.5) await handle.signal(gatewayEventSignal, { ...event, eventId: `${event.eventId}-resent` });
      };
      for (let n = 1; n <= refusals; n++) {
        await fake.waitUntil(() => fake.callsOf('initializeAuthorization').length === n);
        const wrongAmount = random() < 0.5;
        const amount = wrongAmount ? (random() < 0.5 ? { amount: 1 + Math.floor(random() * 9999), currency: 'NGN' as const } : { amount: 5000, currency: 'GHS' as const }) : { amount: 5000, currency: 'NGN' as const };
        if (wrongAmount && amount.amount === 5000 && amount.currency === 'NGN') amount.amount = 4999;
        paid.push(amount.amount);
        await send(
          authorizationPaid(input, amount, {
            reference: ref(n),
            eventId: `evt-${ref(n)}`,
            gatewayTransactionId: `tx-${ref(n)}`,
            card: { token: `AUTH_${n}`, last4: '1111', reusable: wrongAmount },
          }),
        );
      }
      await fake.waitUntil(() => fake.callsOf('initializeAuthorization').length === refusals + 1);
      if (random() < 0.3) await send({ type: 'charge.failed', eventId: `evt-${final}-declined`, gateway: 'paystack', reference: final, reason: 'Declined', needsVerification: false });
      paid.push(5000);
      if (lostWebhook) await h.env.sleep(24 * HOUR);
      else await send(authorizationPaid(input, { amount: 5000, currency: 'NGN' }, { reference: final, eventId: `evt-${final}`, gatewayTransactionId: `tx-${final}`, card: { token: 'AUTH_final', last4: '4081', reusable: true } }));
      await fake.waitForEvent('invoice.paid');
      await handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
      return handle.result();
    });

    const checkouts = Array.from({ length: refusals + 1 }, (_, i) => ref(i + 1));
    expect(fake.callsOf('initializeAuthorization').map((c) => c.input.reference)).toEqual(checkouts);
    // Every checkout payment refunded exactly once, for exactly what was paid.
    expect(fake.callsOf('refundCharge').map((c) => [c.input.reference, c.input.amount.amount])).toEqual(checkouts.map((r, i) => [refundReference(r), paid[i]]));
    expect(view.authorization).toMatchObject({ status: 'authorized', reference: final });
    expect(fake.charges().map((c) => [c.input.card.token, c.input.amount.amount])).toEqual([['AUTH_final', 500000]]);
    expect(fake.events().filter((e) => e.type === 'refund.processed')).toHaveLength(refusals);
  });
});
