import { closeCardUpdate } from './card-update';
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
 * How long charges of an ended subscription stay refundable through the API (0.5.0), unless its connection sets
 * `refundWindowDays`: customers often cancel and then ask for their money back. The workflow simply stays open for
 * the window, parked on one timer; a refund is the same update, reference and limits as before the end.
 */
export const REFUND_WINDOW_DAYS = 180;

/** When the window after the end closes: late payments are refunded and, since 0.5.0, charges stay refundable until then. */
export function afterEndUntil(run: Run): number {
  const { sub, f } = run;
  const ended = Date.parse(sub.s.endedAt ?? new Date(sub.now()).toISOString());
  const refundable = f.refundsAfterEnd ? (sub.s.input.refundWindowDays ?? REFUND_WINDOW_DAYS) * DAY : 0;
  return ended + Math.max(AFTER_END_WINDOW_MS, refundable);
}

/**
 * After the end: an attempt still open is driven to its outcome (a success is refunded), late payments are booked as
 * refunds, refunds owed are sent; then the window closes.
 */
export async function afterTheEnd(run: Run): Promise<void> {
  const { sub } = run;
  const until = afterEndUntil(run);
  watchOpenCheckout(run);
  closeCardUpdate(run, 'replaced', `the subscription ended (${sub.s.status})`);
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
    const day = new Date(until).toISOString().slice(0, 10);
    const summary = run.f.refundsAfterEnd ? `ended ${sub.s.status}: charges refundable until ${day}` : `ended ${sub.s.status}: late payments are refunded until ${day}`;
    await waitUntil(run, sub.now() >= until ? null : until, summary, () => owed && !refundsOutstanding(run));
  }
}
