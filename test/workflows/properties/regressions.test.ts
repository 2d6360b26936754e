import { DAY, HOUR, MINUTE } from '../support/harness';
import { INVARIANTS } from './invariants';
import { useRig } from './runner';
import type { Scenario } from './scenario';

/**
 * Counterexamples found by the randomized suite (shrunk by hand to what matters), kept as named cases so each defect
 * of issue 9 has a small scenario that names the invariant it breaks. Each runs one scenario and checks one invariant.
 */
const rig = useRig();

const daily = (currency: 'NGN' | 'INR', trialDays = 0): Scenario['plan'] => ({ id: 'daily', amount: 150000, currency, interval: 'day', intervalCount: 1, trialDays, totalCycles: null });

/** A Flutterwave daily subscription paid at once, every webhook delivered promptly; cases override what matters. */
function scenario(overrides: Partial<Scenario>): Scenario {
  return {
    gateway: 'flutterwave',
    plan: daily('NGN'),
    cyclesPerRun: 3,
    refundsEnabled: true,
    customer: [{ atMs: MINUTE, what: { kind: 'pays' } }],
    charges: [{ kind: 'succeeds' }],
    refunds: [{ kind: 'processed' }],
    deliveries: [{ delayMs: 0, copies: 1 }],
    operations: [],
    outages: [],
    horizonMs: 3 * DAY,
    ...overrides,
  };
}

async function expectKept(invariant: keyof typeof INVARIANTS, s: Scenario): Promise<void> {
  const observed = await rig.current.runScenario(s);
  expect({ [invariant]: INVARIANTS[invariant]!(observed) }).toEqual({ [invariant]: [] });
}

describe('regressions from the randomized suite', () => {
  it('a charge that timed out, verified not_found, then succeeded late keeps one payment for its cycle (defect 2)', async () => {
    await expectKept('atMostOneSuccessfulChargePerCycle', scenario({ charges: [{ kind: 'lateSuccess', lagMs: 2 * HOUR }, { kind: 'succeeds' }] }));
  });

  it('a Flutterwave retry runs 30 minutes after the declined attempt started, not after its late decline (defect 7)', async () => {
    await expectKept(
      'attemptsAndSpacingPerGatewayPolicy',
      scenario({ charges: [{ kind: 'pending', settleMs: 20 * MINUTE, final: 'declined' }, { kind: 'declines' }, { kind: 'declines' }, { kind: 'declines' }], horizonMs: 2 * DAY }),
    );
  });

  it('a trial on a Flutterwave connection with refunds off does not silently keep the authorization minimum (defect 5)', async () => {
    await expectKept('authorizationChargeRefundedOnceOrExplained', scenario({ plan: daily('NGN', 1), refundsEnabled: false }));
  });

  it('a failed authorization refund is told to the merchant (defect 5)', async () => {
    await expectKept('authorizationChargeRefundedOnceOrExplained', scenario({ gateway: 'paystack', refunds: [{ kind: 'failed' }] }));
  });

  it('a checkout paid after the authorization window closed is refunded, or the merchant is told (defect 4)', async () => {
    await expectKept('authorizationChargeRefundedOnceOrExplained', scenario({ gateway: 'razorpay', plan: daily('INR'), customer: [], operations: [{ atMs: 30 * HOUR, what: { kind: 'latePayment' } }] }));
  });

  it('a cancel accepted while the authorization minimum is being refunded charges nothing (defect 3)', async () => {
    await expectKept(
      'noChargeAttemptAfterAcceptedCancel',
      scenario({ gateway: 'paystack', refunds: [{ kind: 'gateway5xx' }], operations: [{ atMs: MINUTE + 1, what: { kind: 'cancel', at: 'now' } }] }),
    );
  });

  it('a merchant endpoint down at the continue-as-new boundary does not delay the next retry (defect 1)', async () => {
    await expectKept(
      'downMerchantEndpointNeverDelaysACharge',
      scenario({ cyclesPerRun: 2, charges: [{ kind: 'declines' }], outages: [{ fromMs: 0, toMs: 3 * DAY }], horizonMs: 3 * DAY }),
    );
  });

  it('a cancel sent at the continue-as-new boundary while the merchant endpoint is down is answered (defect 1)', async () => {
    await expectKept(
      'acceptedUpdatesCompleteInBoundedTime',
      scenario({ cyclesPerRun: 2, charges: [{ kind: 'succeeds' }], outages: [{ fromMs: 0, toMs: 4 * DAY }], operations: [{ atMs: DAY + 2 * HOUR, what: { kind: 'cancel', at: 'now' } }], horizonMs: 3 * DAY }),
    );
  });
});
