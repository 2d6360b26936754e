import { Context } from '@temporalio/activity';
import type { SubscriptionActivities } from '../../../src/activities/types';
import type {
  ChargeCardInput,
  ChargeOutcome,
  InitializeAuthorizationInput,
  RefundInput,
  RefundOutcome,
  VerifyChargeInput,
} from '../../../src/shared/gateway-port';
import { subscriptionIdFromReference } from '../../../src/shared/ids';
import type { MerchantEvent } from '../../../src/shared/merchant-events';

type Inputs = {
  initializeAuthorization: InitializeAuthorizationInput;
  chargeCard: ChargeCardInput;
  verifyCharge: VerifyChargeInput;
  refundCharge: RefundInput;
  notifyMerchant: MerchantEvent;
};
export interface Call<K extends keyof Inputs = keyof Inputs> {
  name: K;
  input: Inputs[K];
  /** Server (time-skipped) time at which the workflow scheduled this attempt. */
  scheduledAt: number;
  attempt: number;
}

/** What a scripted charge does: answer with an outcome, or throw (a transient error, a timeout). */
export type ChargeScript = (input: ChargeCardInput, callIndex: number) => ChargeOutcome | Promise<ChargeOutcome>;

export const succeeded = (input: ChargeCardInput): ChargeOutcome => ({
  status: 'succeeded',
  reference: input.reference,
  gatewayTransactionId: `tx-${input.reference}`,
  amount: input.amount,
  paidAt: new Date().toISOString(),
});
export const declined = (input: ChargeCardInput, reason = 'insufficient_funds'): ChargeOutcome => ({ status: 'declined', reference: input.reference, reason });

/**
 * A fake of every subscription activity: records each call with the server time it was scheduled at and answers
 * from scripts. Typed as SubscriptionActivities so it breaks when the contract changes.
 */
export class FakeActivities {
  readonly calls: Call[] = [];
  charge: ChargeScript = succeeded;
  /** By default verify reports what chargeCard last answered for the reference, or not_found. */
  verify: (input: VerifyChargeInput) => ChargeOutcome | Promise<ChargeOutcome> = (input) => this.lastCharge.get(input.reference) ?? { status: 'not_found', reference: input.reference };
  refund: (input: RefundInput) => RefundOutcome | Promise<RefundOutcome> = (input) => ({ status: 'processed', reference: input.reference, gatewayRefundId: `rf-${input.reference}`, amount: input.amount });
  onNotify: (event: MerchantEvent) => void | Promise<void> = () => undefined;
  /** Runs before the checkout is returned; throw to simulate a gateway outage or refusal. */
  onInitialize: (input: InitializeAuthorizationInput, callIndex: number) => void = () => undefined;
  private readonly lastCharge = new Map<string, ChargeOutcome>();
  private readonly waiters: { ready: () => boolean; resolve: () => void }[] = [];

  /** Resolves once `ready()` holds after some activity call (no polling, no sleeps). */
  waitUntil(ready: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ ready, resolve });
      this.wake();
    });
  }

  /** Resolves when the workflow has sent the `count`-th merchant event of `type`. */
  async waitForEvent(type: MerchantEvent['type'], count = 1): Promise<MerchantEvent> {
    const seen = () => this.events().filter((e) => e.type === type);
    await this.waitUntil(() => seen().length >= count);
    return seen()[count - 1]!;
  }

  /**
   * Resolves once the `count`-th call of activity `name` has started. A merchant event and the activity it announces
   * (`payment.refunding`, then `refundCharge`) run as separate activities in either order: wait for the one asserted on.
   */
  async waitForCall<K extends keyof Inputs>(name: K, count = 1): Promise<Call<K>> {
    await this.waitUntil(() => this.callsOf(name).length >= count);
    return this.callsOf(name)[count - 1]!;
  }

  /** The customer can pay only once the checkout exists, so tests send the authorization webhook after this. */
  checkoutOpened(): Promise<void> {
    return this.waitUntil(() => this.callsOf('initializeAuthorization').length > 0);
  }

  private wake(): void {
    for (const w of [...this.waiters]) {
      if (w.ready()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  private record<K extends keyof Inputs>(name: K, input: Inputs[K]): void {
    const info = Context.current().info;
    this.calls.push({ name, input, scheduledAt: info.currentAttemptScheduledTimestampMs, attempt: info.attempt });
    // A test may wait for a call that is still running (a charge held at the "gateway"): wake it when the call starts.
    this.wake();
  }

  callsOf<K extends keyof Inputs>(name: K): Call<K>[] {
    return this.calls.filter((c): c is Call<K> => c.name === name);
  }
  charges(): Call<'chargeCard'>[] {
    return this.callsOf('chargeCard');
  }
  events(): MerchantEvent[] {
    return this.callsOf('notifyMerchant').map((c) => c.input);
  }
  eventTypes(): string[] {
    return this.events().map((e) => e.type);
  }

  activities(): SubscriptionActivities {
    return {
      initializeAuthorization: (input) => {
        this.record('initializeAuthorization', input);
        this.onInitialize(input, this.callsOf('initializeAuthorization').length - 1);
        this.wake();
        return Promise.resolve({ checkoutUrl: `https://checkout.example/${input.reference}`, reference: input.reference });
      },
      chargeCard: async (input) => {
        this.record('chargeCard', input);
        const outcome = await this.charge(input, this.charges().length - 1);
        this.lastCharge.set(input.reference, outcome);
        this.wake();
        return outcome;
      },
      verifyCharge: async (input) => {
        this.record('verifyCharge', input);
        const outcome = await this.verify(input);
        this.wake();
        return outcome;
      },
      refundCharge: async (input) => {
        this.record('refundCharge', input);
        return this.refund(input);
      },
      notifyMerchant: async (event) => {
        this.record('notifyMerchant', event);
        await this.onNotify(event);
        this.wake();
        return { eventId: event.id, status: 'skipped', attempt: Context.current().info.attempt, reason: 'fake merchant' };
      },
    };
  }
}

/**
 * One set of activities for a worker shared by many workflows: each call goes to the fake of the subscription it
 * belongs to (found from its input or reference), so scenarios share a worker without sharing state.
 */
export function routedActivities(route: (subscriptionId: string) => FakeActivities): SubscriptionActivities {
  const of = (id: string | undefined): SubscriptionActivities => {
    if (!id) throw new Error('activity input names no subscription');
    return route(id).activities();
  };
  return {
    initializeAuthorization: (input) => of(input.subscriptionId).initializeAuthorization(input),
    chargeCard: (input) => of(input.subscriptionId).chargeCard(input),
    verifyCharge: (input) => of(subscriptionIdFromReference(input.reference)).verifyCharge(input),
    refundCharge: (input) => of(subscriptionIdFromReference(input.chargeReference)).refundCharge(input),
    notifyMerchant: (event) => of(event.subscriptionId).notifyMerchant(event),
  };
}

/** A monthly plan in NGN (Paystack, Flutterwave) or INR (Razorpay), the dunning tests' plan. */
export const monthly = (currency: 'NGN' | 'INR') => ({ id: 'm', amount: 150000, currency, interval: 'month' as const, intervalCount: 1, trialDays: 0, totalCycles: null });

/** Cycle 1 pays; later cycles' attempts decline (`insufficient_funds`) until attempt `successOnAttempt` (1-based), if given. */
export function renewalsDecline(fake: FakeActivities, successOnAttempt?: number): void {
  fake.charge = (input) => {
    const [, cycle, attempt] = /-c(\d+)-a(\d+)$/.exec(input.reference)!.map(Number);
    if (cycle === 1) return succeeded(input);
    return successOnAttempt !== undefined && attempt! >= successOnAttempt ? succeeded(input) : declined(input);
  };
}
