import { log } from '@temporalio/workflow';
import { verifyReference } from './verify-reference';
import { bookSuccess } from './charging';
import type { Run } from './run';
import type { Money } from '../shared/money';
import { isCheckoutCharge } from '../shared/state';
import type { OpenAttempt, Sealed } from './snapshot';
import type { SubscriptionState } from './subscription-state';

const HOUR = 60 * 60_000;
/**
 * How long after its first send a charge the gateway said it never saw is still verified. A request that timed out
 * can be processed late (a gateway's queue, a bank's batch); the scenario suite models up to 12 h, and 3 days covers
 * a weekend of a gateway's own retries. After it, only a webhook can still bring the payment in.
 */
export const SETTLEMENT_HORIZON_MS = 72 * HOUR;
/** Checks at 1 h, then doubling up to a day: about seven verifies per unsettled charge over the horizon. */
const RECHECK = { firstMs: HOUR, maxMs: 24 * HOUR };

/**
 * The attempt was recorded as declined because the gateway did not know its reference after sends whose outcome was
 * unknown. That is a guess, so it is checked again (0.4.0): a success found later is booked by the one rule for every
 * success (bookSuccess: it pays its cycle if still collected, otherwise it is refunded and the merchant told).
 */
export function watchIfUnsettled(run: Run, a: Sealed<OpenAttempt>): void {
  if (run.f.reverifyUnsettled) run.sub.watchUnsettled({ ...a, sentAt: a.startedAt }, run.sub.now() + RECHECK.firstMs);
}

/** A charge whose pending window ended without an outcome (pending-window.ts): its horizon starts now. */
export function watchUnsettledFromNow(run: Run, a: Sealed<OpenAttempt>): void {
  if (run.f.reverifyUnsettled) run.sub.watchUnsettled({ ...a, sentAt: new Date(run.sub.now()).toISOString() }, run.sub.now() + RECHECK.firstMs);
}

/**
 * The subscription ended (canceled, expired) before its checkout was paid, but the hosted checkout may still be open
 * at the gateway: a customer who pays it late must get the money back even if the webhook is lost, so the checkout's
 * reference is verified over the horizon like an unsettled charge (0.4.0). A payment found is refunded.
 */
export function watchOpenCheckout(run: Run): void {
  const { sub } = run;
  const a = sub.s.authorization;
  if (a.status === 'authorized' || sub.findCharge(a.reference)?.outcome === 'succeeded') return;
  watchClosedCheckout(run, { cycle: 0, reference: a.reference, kind: 'authorization', amount: a.amount });
}

/**
 * A checkout that is no longer awaited (the subscription ended, the link was reissued, a card update closed) may
 * still be paid at the gateway: its reference is verified over the horizon, and a payment found is refunded.
 */
export function watchClosedCheckout(run: Run, c: { cycle: number; reference: string; kind: 'authorization' | 'card_update'; amount: Money }): void {
  const { sub, f } = run;
  if (!f.reverifyUnsettled) return;
  sub.watchUnsettled({ cycle: c.cycle, attempt: 1, reference: c.reference, kind: c.kind, amount: c.amount, sentAt: new Date(sub.now()).toISOString() }, sub.now() + RECHECK.firstMs);
}

/** Why a payment at a checkout that is no longer awaited is refunded (the reason the merchant reads). */
export function closedCheckoutWhy(sub: SubscriptionState, reference: string): string {
  if (sub.isCardUpdateReference(reference)) return `paid at card-update checkout ${reference} after it closed`;
  return sub.s.status === 'incomplete' ? 'paid at a checkout that was replaced' : `paid at the checkout after the subscription was ${sub.s.status}`;
}

/** When the next unsettled charge is due for a check, or null. */
export function nextUnsettledCheckMs({ sub, f }: Run): number | null {
  if (!f.reverifyUnsettled || sub.unsettledCharges.length === 0) return null;
  return Math.min(...sub.unsettledCharges.map((u) => Date.parse(u.nextCheckAt)));
}

export const unsettledDue = (run: Run): boolean => {
  const at = nextUnsettledCheckMs(run);
  return at !== null && at <= run.sub.now();
};

/** Verifies every unsettled charge that is due, each holding the money lock like any other booking. */
export async function reverifyUnsettled(run: Run): Promise<void> {
  const { sub } = run;
  for (const u of sub.unsettledCharges.filter((x) => Date.parse(x.nextCheckAt) <= sub.now())) {
    await run.co.money.run(async () => {
      const next = Math.min(RECHECK.firstMs * 2 ** (u.checks + 1), RECHECK.maxMs);
      const expired = sub.now() + next > Date.parse(u.sentAt) + SETTLEMENT_HORIZON_MS;
      try {
        const outcome = await verifyReference(run, u.reference, `verify ${u.reference} again (unsettled, check ${u.checks + 1})`);
        if (outcome.status === 'succeeded') {
          sub.unsettledChecked(u.reference, null);
          if (sub.findCharge(u.reference)?.outcome === 'succeeded') return;
          const paid = { cycle: u.cycle, attempt: u.attempt, reference: u.reference, kind: u.kind, amount: outcome.amount, outcome: 'succeeded' as const, gatewayTransactionId: outcome.gatewayTransactionId, at: new Date(sub.now()).toISOString() };
          if (isCheckoutCharge(u.kind)) return sub.refuseLatePayment(paid, closedCheckoutWhy(sub, u.reference));
          return bookSuccess(run, paid);
        }
        // A definite decline settles it; not found (or still pending) is checked again until the horizon.
        if (outcome.status === 'declined' || expired) {
          if (outcome.status !== 'declined') log.warn('unsettled charge not found by the end of its settlement horizon; only a webhook can still book it', { reference: u.reference });
          return sub.unsettledChecked(u.reference, null);
        }
        sub.unsettledChecked(u.reference, sub.now() + next);
      } catch (err) {
        log.warn('verify of an unsettled charge failed; checked again later', { reference: u.reference, error: String(err) });
        sub.unsettledChecked(u.reference, expired ? null : sub.now() + next);
      }
    });
  }
}
