import type { Gateway } from '../../../src/shared/gateway-policy';
import type { Plan } from '../../../src/shared/schemas';

/**
 * A randomized scenario as plain data (what fast-check generates and shrinks, and what a regression test spells
 * out). Every time is an offset in ms from the moment the checkout opened; the runner turns them into instants.
 */
export interface Scenario {
  gateway: Gateway;
  plan: Plan;
  /** 1..3 so a few cycles cross continue-as-new. */
  cyclesPerRun: number;
  /** Flutterwave connections refuse refunds unless enabled; the others always refund. */
  refundsEnabled: boolean;
  customer: CustomerAction[];
  /** What the gateway does with the n-th distinct charge reference (renewals and retries), cycling. */
  charges: ChargeFault[];
  /** What the gateway does with the n-th distinct refund reference, cycling. */
  refunds: RefundFault[];
  /** How the gateway delivers its n-th webhook, cycling. */
  deliveries: Delivery[];
  operations: Timed<Operation>[];
  /** Windows during which the merchant endpoint answers 5xx. */
  outages: { fromMs: number; toMs: number }[];
  /** The last instant an operation or customer action may happen; the runner then lets things settle. */
  horizonMs: number;
}

export type Timed<T> = { atMs: number; what: T };

/** The customer at the hosted checkout of the authorization reference. */
export type CustomerAction = Timed<{ kind: 'pays' } | { kind: 'declined' }>;

export type ChargeFault =
  | { kind: 'succeeds' }
  | { kind: 'declines' }
  /** Accepted as pending, settles after `settleMs` to `final` (its webhook follows the delivery plan). */
  | { kind: 'pending'; settleMs: number; final: 'succeeded' | 'declined' }
  /** The gateway answers 5xx `failures` times (across activity retries and re-sends), then processes it. */
  | { kind: 'gateway5xx'; failures: number }
  /** The gateway charged, but every answer is lost (the activity times out); verify finds the payment. */
  | { kind: 'timeoutAfterCharge' }
  /** Calls time out and verify says not_found for `lagMs`, then the payment appears (and its webhook is sent). */
  | { kind: 'lateSuccess'; lagMs: number };

export type RefundFault = { kind: 'processed' } | { kind: 'pending'; settleMs: number } | { kind: 'failed' } | { kind: 'gateway5xx' };

/** How one webhook travels: after `delayMs`, maybe twice, maybe never. */
export type Delivery = { delayMs: number; copies: 0 | 1 | 2 };

export type Operation =
  | { kind: 'cancel'; at: 'now' | 'period_end' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'retryNow' }
  | { kind: 'changePlan'; amount: number; interval: Plan['interval'] }
  | { kind: 'refund'; target: 'authorization' | 'lastCharge'; part: 'full' | 'half' }
  /** The customer pays the authorization checkout now, whatever the subscription's state (late, after cancel). */
  | { kind: 'latePayment' };
