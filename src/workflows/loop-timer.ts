import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

/** Durations as formatDuration writes them ("29d 23h", "0s"): the part of a summary that changes with the clock. */
const DURATION = /\b\d+[dhms](?: \d+[dhms])*\b/g;

interface Armed {
  readonly at: number;
  readonly reason: string;
  readonly scope: CancellationScope;
  fired: boolean;
}

/**
 * The loop's timer, kept across early wake-ups (features.standingTimer, 0.7.0). Before, every wake-up of the loop's
 * wait (a webhook that changed nothing, an update, a refund settled) cancelled its timer and started the same one
 * again: two history events per webhook, and a cancellable scope, a race and a timer built again in that workflow
 * task, each promise paying for the SDK's stack capture. Now the wait asks for the same instant again and the
 * running timer answers it; only a wait for another instant, or for a different reason, replaces it.
 *
 * One per run (Coordination): a timer never outlives its run, and continue-as-new leaves the pending one behind.
 */
export class LoopTimer {
  #armed: Armed | null = null;

  /**
   * Returns a check that turns true once the timer for `at` has fired, starting it (and cancelling any other) unless
   * the one running is for the same instant and reason. The reason is the summary without its durations, which are
   * measured from the moment the timer started ("expires in 59m"), so the timeline keeps the first, true one.
   * `at` null: the loop waits without a deadline (pause, unpaid), so the running timer is cancelled and none fires.
   */
  until(at: number | null, summary: string): () => boolean {
    if (at === null) {
      this.#cancel();
      return () => false;
    }
    const reason = summary.replace(DURATION, '');
    const current = this.#armed;
    // A timer that fired has answered; asked again for its instant (a step that did not act on it), it starts anew,
    // so such a loop goes through the server once per turn as before 0.7.0 and never spins inside one workflow task.
    if (current && !current.fired && current.at === at && current.reason === reason) return () => current.fired;
    this.#cancel();
    const armed: Armed = { at, reason, scope: new CancellationScope(), fired: false };
    this.#armed = armed;
    // At least 1 ms, as the SDK's own timers: a wait for an instant already reached still yields to the server once.
    armed.scope
      .run(() => sleep(Math.max(1, at - Date.now()), { summary }))
      .then(
        () => {
          armed.fired = true;
        },
        (err: unknown) => {
          // Cancelled because the loop now waits for another instant; any other failure is the SDK's and surfaces.
          if (!isCancellation(err)) throw err;
        },
      );
    return () => armed.fired;
  }

  #cancel(): void {
    const current = this.#armed;
    this.#armed = null;
    if (current && !current.fired) current.scope.cancel();
  }
}
