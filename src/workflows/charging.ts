import { ActivityFailure, ApplicationFailure, condition, log, sleep } from '@temporalio/workflow';
import { formatDuration } from '../shared/calendar';
import { GatewayErrors, type ChargeCardInput, type ChargeOutcome } from '../shared/gateway-port';
import { chargeReference } from '../shared/ids';
import { formatMoney } from '../shared/money';
import type { ChargeRecord } from '../shared/state';
import { gateway, verifier } from './activity-proxies';
import { processInbox } from './inbox';
import type { SubscriptionState } from './subscription-state';

type Final = Extract<ChargeOutcome, { status: 'succeeded' | 'declined' }>;

const MINUTE = 60_000;
/** How often a `pending` charge is re-verified when no webhook arrives (doubling up to a day). */
const PENDING_RECHECK = { firstMs: 30 * MINUTE, maxMs: 24 * 60 * MINUTE };
/** Backoff between verify rounds when the verify activity itself keeps failing. */
const VERIFY_BACKOFF = { firstMs: 5 * MINUTE, maxMs: 6 * 60 * MINUTE };
/** A reference the gateway never saw is re-sent (same reference, so still at most one charge) this many times. */
const MAX_RESENDS = 2;

/** Failures that prove nothing was charged: the gateway refused the request outright. */
export function refusedOutright(err: unknown): string | null {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    const type = err.cause.type;
    if (type === GatewayErrors.Rejected || type === GatewayErrors.UnknownConnection) return `${type}: ${err.cause.message}`;
  }
  return null;
}

export function isDuplicateReference(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === GatewayErrors.DuplicateReference;
}

/** One chargeCard call; null when the outcome is unknown (timeouts, retries exhausted). */
async function callCharge(input: ChargeCardInput, summary: string): Promise<ChargeOutcome | null> {
  try {
    return await gateway.chargeCard.executeWithOptions({ summary }, [input]);
  } catch (err) {
    const reason = refusedOutright(err);
    if (reason) return { status: 'declined', reference: input.reference, reason };
    log.warn('charge outcome unknown; verifying the reference before anything else', { reference: input.reference, error: String(err) });
    return null;
  }
}

/** Asks the gateway until it answers: a charge with an unknown outcome blocks every new attempt. */
async function verifyUntilKnown(sub: SubscriptionState, reference: string): Promise<ChargeOutcome> {
  for (let round = 1, backoff = VERIFY_BACKOFF.firstMs; ; round += 1, backoff = Math.min(backoff * 2, VERIFY_BACKOFF.maxMs)) {
    try {
      return await verifier.verifyCharge.executeWithOptions({ summary: `verify ${reference} (round ${round})` }, [
        { gateway: sub.s.input.gateway, connectionId: sub.s.input.gatewayConnectionId, reference },
      ]);
    } catch (err) {
      log.warn('verify failed; backing off', { reference, round, error: String(err) });
      await sleep(backoff, { summary: `verify ${reference} again in ${formatDuration(backoff)}` });
    }
  }
}

/** Waits for the webhook about a pending charge, re-verifying when it does not come. */
async function awaitConfirmation(sub: SubscriptionState, reference: string, round: number): Promise<ChargeOutcome> {
  const fromWebhook = await processInbox(sub, reference);
  if (fromWebhook) return fromWebhook;
  const recheck = Math.min(PENDING_RECHECK.firstMs * 2 ** round, PENDING_RECHECK.maxMs);
  const arrived = await condition(() => sub.s.inbox.length > 0, recheck, { summary: `await confirmation of ${reference}, verify in ${formatDuration(recheck)}` });
  if (arrived) return { status: 'pending', reference };
  return verifyUntilKnown(sub, reference);
}

/** Drives one reference to a definite answer without ever sending a second charge under a new reference. */
async function resolveCharge(sub: SubscriptionState, input: ChargeCardInput, summary: string): Promise<Final> {
  let outcome = await callCharge(input, summary);
  for (let resends = 0, pendingRound = 0; ; ) {
    if (outcome === null) {
      sub.awaitingConfirmation = true;
      outcome = await verifyUntilKnown(sub, input.reference);
    }
    switch (outcome.status) {
      case 'succeeded':
      case 'declined':
        return outcome;
      case 'not_found':
        if (resends >= MAX_RESENDS) return { status: 'declined', reference: input.reference, reason: 'the gateway did not process the charge' };
        resends += 1;
        outcome = await callCharge(input, `${summary} (re-sent)`);
        break;
      case 'pending':
        sub.awaitingConfirmation = true;
        outcome = await awaitConfirmation(sub, input.reference, pendingRound);
        pendingRound += 1;
        break;
    }
  }
}

/**
 * One charge attempt for the current cycle with its deterministic reference. The outcome moves the subscription:
 * success → active with the next charge on the anchor; decline → dunning per the gateway policy.
 */
export async function attemptCharge(sub: SubscriptionState, kind: 'renewal' | 'manual_retry'): Promise<void> {
  const s = sub.s;
  const cycle = s.cycle;
  const attempt = s.dunning.attemptsMade + 1;
  s.dunning.attemptsMade = attempt;
  const reference = chargeReference(sub.id, cycle, attempt);
  const amount = { amount: s.plan.amount, currency: s.plan.currency };
  if (!s.card) throw new Error(`no stored card for ${sub.id}`);
  const base = { cycle, attempt, reference, kind, amount } satisfies Partial<ChargeRecord>;
  const summary = `charge cycle ${cycle} attempt ${attempt}: ${formatMoney(amount)}`;
  sub.chargeInFlight = reference;
  sub.recordCharge({ ...base, outcome: 'pending', at: new Date(sub.now()).toISOString() });
  try {
    const outcome = await resolveCharge(
      sub,
      {
        gateway: s.input.gateway,
        connectionId: s.input.gatewayConnectionId,
        subscriptionId: sub.id,
        customer: s.input.customer,
        amount,
        reference,
        card: s.card,
        description: `${s.plan.id} cycle ${cycle}`,
      },
      summary,
    );
    const at = new Date(sub.now()).toISOString();
    if (outcome.status === 'succeeded') {
      sub.chargeSucceeded({ ...base, amount: outcome.amount, outcome: 'succeeded', gatewayTransactionId: outcome.gatewayTransactionId, at });
    } else {
      sub.chargeDeclined({ ...base, outcome: 'declined', reason: outcome.reason, at });
    }
  } finally {
    sub.chargeInFlight = null;
    sub.awaitingConfirmation = false;
    sub.attemptsFinished += 1;
    sub.changed();
  }
}
