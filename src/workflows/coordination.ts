import type { SubscriptionView } from '../shared/state';
import { LoopTimer } from './loop-timer';

/**
 * The one coordination protocol between the billing loop and the message handlers. Everything that decides when
 * a handler may act, or when the loop may continue as new, lives here.
 *
 * 1. **The money lock** (FIFO). Whoever moves or books money holds it: the loop while a charge request or a verify
 *    runs and its outcome is recorded, and while it applies a webhook; cancel-now and pause while they apply. So an
 *    operator's cancel lands between two such steps, never inside one, and waits for nothing longer than one
 *    activity. The lock is never held across a durable wait (a timer, a pending charge awaiting its webhook).
 * 2. **Handlers never wait on the loop**, except retry-now, which waits for an attempt the loop starts at once;
 *    everything else applies immediately (resume, plan change, refund, cancel at period end) or queues state for the
 *    loop to act on.
 * 3. **Continue-as-new** happens only at the top of the loop, holding nothing. The loop parks there until every
 *    handler is finished, but wakes for loop work (a webhook, a retry-now), so a handler that waits on the loop
 *    never deadlocks it. It never waits on merchant-event delivery: unsent events ride along in the snapshot and the
 *    one in flight is cancelled and sent again by the next run (same event id; merchants dedupe on it). Since 0.4.0
 *    it waits for the server to confirm that cancellation, so nothing of the finished run is left running.
 */
export class MoneyLock {
  private held = false;
  private readonly waiters: Array<() => void> = [];

  get isHeld(): boolean {
    return this.held;
  }

  async acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    // Handed over by release(): `held` stays true, so nobody slips in between.
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }

  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

/** What one run of the workflow knows beside the snapshot: coordination only, never carried through continue-as-new. */
export class Coordination {
  readonly money = new MoneyLock();
  /** The timer of the loop's durable wait (waits.ts), kept across early wake-ups since 0.7.0. */
  readonly timer = new LoopTimer();
  /** The loop is parked in a durable wait (the pre-0.3.0 cancel and pause waited for this). */
  parked = false;
  /** Attempts that reached an answer or started waiting for one; retry-now answers when it moves. */
  attemptsAnswered = 0;
  cyclesThisRun = 0;
  /** A merchant event is being delivered; `outboxHeld` (before 0.3.0) stops new ones before continue-as-new. */
  sending = false;
  outboxHeld = false;
  /** Cancels the delivery in flight, so continue-as-new carries its event instead of leaving the activity behind. */
  abandonSend: (() => void) | null = null;
  /** Refund requests running beside the loop; continue-as-new waits for them (bounded by the activity's retries). */
  refundsInFlight = 0;
  /** Failed attempts to open the checkout (the authorization phase never spans a continue-as-new). */
  checkoutFailures = 0;
  /** The subscription as it was when the checkout opened: the create response, identical for every retry. */
  checkoutView: SubscriptionView | null = null;
}
