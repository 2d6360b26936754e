import { log, patched } from '@temporalio/workflow';
import { formatDuration } from '../shared/calendar';
import { formatMoney } from '../shared/money';
import { gateway } from './activity-proxies';
import { verifyReference } from './verify-reference';
import { applyAuthorizationOutcome } from './authorization-outcome';
import { attemptCharge, isDuplicateReference, refusedOutright } from './charging';
import { refundNow } from './refunds';
import type { Run } from './run';
import { buildView } from './view';
import { waitUntil } from './waits';

const CHECKOUT_BACKOFF = { firstMs: 60_000, maxMs: 30 * 60_000 };

/**
 * Opens the checkout. A gateway outage must not lose the subscription, so transient failures back off with a
 * durable timer until the authorization window closes; a request the gateway refuses outright (bad connection or
 * currency) can never succeed, so the subscription expires at once with that reason.
 */
async function openCheckout(run: Run, expiresAt: number, failures: number): Promise<number> {
  const { sub } = run;
  const { input, authorization: a } = sub.s;
  try {
    const result = await gateway.initializeAuthorization.executeWithOptions(
      { summary: `open checkout: authorize ${formatMoney(a.amount)}${a.isFirstInvoice ? ' (first invoice)' : ' (refunded)'}` },
      [
        {
          gateway: input.gateway,
          connectionId: input.gatewayConnectionId,
          subscriptionId: input.subscriptionId,
          customer: input.customer,
          amount: a.amount,
          reference: a.reference,
          isFirstInvoice: a.isFirstInvoice,
        },
      ],
    );
    sub.setCheckout(result.checkoutUrl);
    run.co.checkoutView = buildView(sub);
    return 0;
  } catch (err) {
    if (isDuplicateReference(err)) {
      sub.useNextAuthorizationReference();
      return failures;
    }
    const refused = refusedOutright(err);
    if (refused) {
      sub.expireAuthorization(refused);
      return failures + 1;
    }
    const backoff = Math.min(CHECKOUT_BACKOFF.firstMs * 2 ** failures, CHECKOUT_BACKOFF.maxMs);
    log.warn('checkout could not be opened; retrying', { error: String(err), backoffMs: backoff });
    await waitUntil(run, Math.min(sub.now() + backoff, expiresAt), `open checkout again in ${formatDuration(backoff)}`);
    return failures + 1;
  }
}

/** Refunds the minimum authorization charge exactly once, under its deterministic reference. */
async function refundAuthorization(run: Run): Promise<void> {
  const { sub } = run;
  const a = sub.s.authorization;
  const charge = sub.findCharge(a.reference);
  if (!charge?.gatewayTransactionId) return;
  const status = await refundNow(run, {
    chargeReference: a.reference,
    gatewayTransactionId: charge.gatewayTransactionId,
    amount: charge.amount,
    reason: 'authorization charge',
    what: 'authorization',
  });
  if (status === 'pending') sub.authorizationRefundRequested();
}

/**
 * Card authorized: refund a minimum charge, then start the trial, count the first invoice, or charge cycle 1. The
 * refund holds no lock, so a cancel during it applies at once and cycle 1 is never charged.
 */
async function startBilling(run: Run): Promise<void> {
  const { sub, co } = run;
  const a = sub.s.authorization;
  if (!a.isFirstInvoice) await refundAuthorization(run);
  if (sub.s.status !== 'incomplete') return; // canceled while the refund ran
  sub.startCalendar();
  const record = sub.findCharge(a.reference);
  if (a.isFirstInvoice && record) {
    sub.activateWithFirstPayment(record);
    co.cyclesThisRun += 1;
  } else if (sub.s.trialEndsAt !== null) sub.startTrial();
  else {
    sub.beginCycle();
    co.cyclesThisRun += 1;
    await attemptCharge(run, 'renewal');
  }
}

/**
 * A lost webhook (beyond the gateway's redelivery window, or during a Temporal outage) must not expire a paid
 * subscription: before the window closes for good, the checkout's reference is verified with the gateway, and a
 * payment found there authorizes the card as its webhook would have. Histories recorded before this check expire
 * without it.
 */
async function expireUnlessPaid(run: Run): Promise<void> {
  const { sub } = run;
  const a = sub.s.authorization;
  if (a.checkoutUrl !== null && patched('verify-authorization-before-expiry')) {
    try {
      const outcome = await verifyReference(run, a.reference, `verify checkout ${a.reference} before it expires`);
      // A webhook or an operator may have settled things while the verify ran.
      if (a.status !== 'pending' || sub.s.status !== 'incomplete') return;
      if (await applyAuthorizationOutcome(run, outcome)) return;
      // A mismatched payment reopened the checkout; the window is over all the same.
    } catch (err) {
      log.warn('checkout could not be verified before expiry', { reference: a.reference, error: String(err) });
    }
    if (a.status !== 'pending' || sub.s.status !== 'incomplete') return;
  }
  sub.expireAuthorization();
}

/** One step of `incomplete`: open the checkout, wait for the authorization webhook or the window to close. */
export async function stepIncomplete(run: Run): Promise<void> {
  const { sub, co } = run;
  const a = sub.s.authorization;
  const expiresAt = Date.parse(a.expiresAt);
  if (a.status === 'authorized') return startBilling(run);
  if (sub.now() >= expiresAt) return expireUnlessPaid(run);
  if (a.checkoutUrl === null) {
    co.checkoutFailures = await openCheckout(run, expiresAt, co.checkoutFailures);
    return;
  }
  const left = expiresAt - sub.now();
  if (await waitUntil(run, expiresAt, `await card authorization, expires in ${formatDuration(left)}`)) await expireUnlessPaid(run);
}
