import fc from 'fast-check';
import { GATEWAYS, type Gateway } from '../../../src/shared/gateway-policy';
import type { Plan } from '../../../src/shared/schemas';
import { needsMinimumAuthorization } from '../../../src/shared/plan-rules';
import { DAY, HOUR, MINUTE } from '../support/harness';
import type { ChargeFault, CustomerAction, Delivery, Operation, RefundFault, Scenario, Timed } from './scenario';

/** The authorization window the harness's input builder gives every subscription. */
const WINDOW_MS = 23 * HOUR;

const gateway: fc.Arbitrary<Gateway> = fc.constantFrom(...GATEWAYS);

/** Daily and weekly plans keep a scenario to a few cycles of virtual time; a trial sometimes comes first. */
const plan = (g: Gateway): fc.Arbitrary<Plan> =>
  fc.record({
    id: fc.constant('scenario'),
    amount: fc.integer({ min: 1000, max: 500000 }),
    currency: fc.constant(g === 'razorpay' ? ('INR' as const) : ('NGN' as const)),
    interval: fc.constantFrom('day' as const, 'day' as const, 'week' as const),
    intervalCount: fc.constant(1),
    trialDays: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
    totalCycles: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }) }),
  });

const chargeFault: fc.Arbitrary<ChargeFault> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'succeeds' as const }) },
  { weight: 6, arbitrary: fc.constant({ kind: 'declines' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pending' as const), settleMs: fc.integer({ min: MINUTE, max: 12 * HOUR }), final: fc.constantFrom('succeeded' as const, 'declined' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('gateway5xx' as const), failures: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'timeoutAfterCharge' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lateSuccess' as const), lagMs: fc.integer({ min: HOUR, max: 12 * HOUR }) }) },
);

const refundFault: fc.Arbitrary<RefundFault> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'processed' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pending' as const), settleMs: fc.integer({ min: MINUTE, max: DAY }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'failed' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'gateway5xx' as const }) },
);

/** Mostly prompt and single; sometimes late (reordering follows), redelivered, or lost. */
const delivery: fc.Arbitrary<Delivery> = fc.record({
  delayMs: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: MINUTE, max: 6 * HOUR }) }),
  copies: fc.constantFrom<Delivery['copies']>(1, 1, 1, 1, 2, 2, 0),
});

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant('cancel' as const), at: fc.constantFrom('now' as const, 'period_end' as const) }),
  fc.constant({ kind: 'pause' as const }),
  fc.constant({ kind: 'resume' as const }),
  fc.constant({ kind: 'retryNow' as const }),
  fc.record({ kind: fc.constant('changePlan' as const), amount: fc.integer({ min: 1000, max: 900000 }), interval: fc.constantFrom('day' as const, 'week' as const) }),
  fc.record({ kind: fc.constant('refund' as const), target: fc.constantFrom('authorization' as const, 'lastCharge' as const), part: fc.constantFrom('full' as const, 'half' as const) }),
  fc.constant({ kind: 'latePayment' as const }),
);

/** The customer pays within the window (perhaps after a decline), or abandons the checkout. */
const customer: fc.Arbitrary<CustomerAction[]> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: MINUTE, max: WINDOW_MS - MINUTE }).map((t) => [{ atMs: t, what: { kind: 'pays' as const } }]) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.integer({ min: MINUTE, max: WINDOW_MS / 2 }), fc.integer({ min: MINUTE, max: WINDOW_MS / 2 - MINUTE })).map(([t, d]) => [
      { atMs: t, what: { kind: 'declined' as const } },
      { atMs: t + d, what: { kind: 'pays' as const } },
    ]),
  },
  { weight: 1, arbitrary: fc.constant<CustomerAction[]>([]) },
);

const timed = <T>(what: fc.Arbitrary<T>, horizonMs: number): fc.Arbitrary<Timed<T>> => fc.record({ atMs: fc.integer({ min: 0, max: horizonMs }), what });

export const scenarioArbitrary: fc.Arbitrary<Scenario> = gateway.chain((g) =>
  plan(g).chain((p) => {
    const horizonMs = (p.interval === 'day' ? 4 * DAY : 10 * DAY) + p.trialDays * DAY;
    return fc.record({
      gateway: fc.constant(g),
      plan: fc.constant(p),
      // Not 1: a first-invoice authorization webhook would then end the run at once, and the Java time-skipping
      // server hangs a signal that lands while its run continues as new (see runner.ts). 2-3 still crosses it often.
      cyclesPerRun: fc.integer({ min: 2, max: 3 }),
      // What the API accepts (src/gateways/rules.ts): a connection that cannot refund takes no subscription whose
      // authorization is a minimum charge to refund (Paystack, or any trial).
      refundsEnabled: needsMinimumAuthorization(g, p) ? fc.constant(true) : fc.boolean(),
      customer,
      charges: fc.array(chargeFault, { minLength: 1, maxLength: 6 }),
      refunds: fc.array(refundFault, { minLength: 1, maxLength: 3 }),
      deliveries: fc.array(delivery, { minLength: 1, maxLength: 5 }),
      operations: fc.array(timed(operation, horizonMs), { maxLength: 4 }),
      outages: fc.array(
        fc.tuple(fc.integer({ min: 0, max: horizonMs }), fc.integer({ min: HOUR, max: 3 * DAY })).map(([fromMs, len]) => ({ fromMs, toMs: fromMs + len })),
        { maxLength: 2 },
      ),
      horizonMs: fc.constant(horizonMs),
    });
  }),
);

/** The scenario a seed stands for: the same seed always gives the same scenario. */
export function scenarioForSeed(seed: number): Scenario {
  return fc.sample(scenarioArbitrary, { seed, numRuns: 1 })[0]!;
}
