import { settle } from './inbox';
import { stepAttempt } from './charging';
import { refundsOutstanding } from './refunds';
import type { Run } from './run';
import { reverifyUnsettled, unsettledDue, watchOpenCheckout } from './unsettled';
import { waitUntil } from './waits';

const DAY = 24 * 60 * 60_000;
/**
 * How long a subscription that ended (canceled, completed, expired) still reads its webhooks: a hosted checkout can
 * still be paid after the window closed, and a charge sent before a cancel can still confirm. Such payments are
 * recorded and refunded, with the merchant told (`payment.refunding`). After it, the workflow completes and the
 * webhook route answers "ignored".
 */
export const AFTER_END_WINDOW_MS = 7 * DAY;

/**
 * After the end: an attempt still open is driven to its outcome (a success is refunded), late payments are booked as
 * refunds, refunds owed are sent; then the window closes.
 */
export async function afterTheEnd(run: Run): Promise<void> {
  const { sub } = run;
  const until = Date.parse(sub.s.endedAt ?? new Date(sub.now()).toISOString()) + AFTER_END_WINDOW_MS;
  watchOpenCheckout(run);
  for (;;) {
    await settle(run);
    if (unsettledDue(run)) {
      await reverifyUnsettled(run);
      continue;
    }
    if (sub.attempt) {
      await stepAttempt(run);
      continue;
    }
    const owed = refundsOutstanding(run);
    if (sub.now() >= until && !owed) return;
    const summary = `ended ${sub.s.status}: late payments are refunded until ${new Date(until).toISOString().slice(0, 10)}`;
    await waitUntil(run, sub.now() >= until ? null : until, summary, () => owed && !refundsOutstanding(run));
  }
}
