import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { SubscriptionInput } from '../shared/schemas';
import type { SubscriptionView } from '../shared/state';
import { Coordination } from './coordination';
import { decideFeatures } from './features';
import { installHandlers } from './handlers';
import { settle } from './inbox';
import { firstSnapshot } from './initial-snapshot';
import { step } from './lifecycle';
import { afterTheEnd } from './after-the-end';
import { drainOutbox, holdOutbox, releaseOutbox, runOutbox } from './outbox';
import { refundsOutstanding, runRefundQueue } from './refunds';
import type { Run } from './run';
import { isContinued, type ContinuedSubscription } from './snapshot';
import { isTerminal } from './state-machine';
import { SubscriptionState } from './subscription-state';
import { nextUnsettledCheckMs } from './unsettled';
import { buildView } from './view';
import { Visibility } from './visibility';

/** Cycles billed per run before continuing as new, so a daily plan's history stays small. */
export const CYCLES_PER_RUN = 12;
/** Events per run after which the run continues as new even without a cycle (a charge verified for days). */
const HISTORY_EVENTS_PER_RUN = 2_000;

function shouldContinueAsNew({ sub, co, f }: Run): boolean {
  // Not while authorizing, nor while a retry-now update waits for this loop to run its attempt; before 0.3.0 not
  // while an attempt is open either.
  const stable = sub.s.status !== 'incomplete' && !sub.s.dunning.retryNowRequested && (f.carryUnfinished || sub.attempt === null);
  const long = co.cyclesThisRun >= (sub.s.input.cyclesPerRun ?? CYCLES_PER_RUN) || workflowInfo().continueAsNewSuggested;
  return stable && (long || (f.carryUnfinished && workflowInfo().historyLength > HISTORY_EVENTS_PER_RUN));
}

/** How long continue-as-new waits for a merchant event already in delivery before carrying it instead. */
const DELIVERY_GRACE_MS = 5 * 60_000;

/** When the loop must act next on its own (a charge, a retry, a verify), or null. */
function nextDueMs(run: Run): number | null {
  const { sub } = run;
  const s = sub.s;
  const times = [s.dunning.nextRetryAt, s.nextChargeAt, sub.attempt?.nextCheckAt ?? null].filter((t): t is string => t !== null).map(Date.parse);
  const check = nextUnsettledCheckMs(run);
  if (check !== null) times.push(check);
  return times.length > 0 ? Math.min(...times) : null;
}

/**
 * Parks at the top of the loop, holding nothing, until every handler has finished and no refund request is running;
 * wakes instead for loop work (a webhook, a retry-now), so a handler waiting on the loop never deadlocks it. A merchant
 * event in delivery gets a short grace (never past the loop's next due time); an endpoint that is down does not hold
 * the loop: the event rides along and the next run sends it again (same event id).
 * Returns true when the run may continue as new now. Nothing awaits between the check and the call.
 */
async function readyToContinue(run: Run): Promise<boolean> {
  const { sub, co } = run;
  const loopWork = (): boolean => sub.hasWork() || sub.s.dunning.retryNowRequested;
  const due = nextDueMs(run);
  const grace = Math.max(0, Math.min(DELIVERY_GRACE_MS, due === null ? DELIVERY_GRACE_MS : due - sub.now()));
  // No new delivery starts from here; it stays held through the call to continueAsNew.
  co.outboxHeld = true;
  if (co.sending && grace > 0) await condition(() => !co.sending || loopWork(), grace, { summary: 'continue as new once the merchant event in delivery is sent' });
  // Still in delivery (the endpoint is down): cancel it; its event rides along and the next run sends it again.
  // Since 0.4.0 the run also waits until the server confirms the cancellation, so nothing of it is left running.
  if (co.sending && !loopWork()) co.abandonSend?.();
  const deliveryDone = (): boolean => !run.f.abandonedDeliveryConfirmed || !co.sending;
  await condition(() => loopWork() || isTerminal(sub.s.status) || (allHandlersFinished() && co.refundsInFlight === 0 && !co.money.isHeld && deliveryDone()));
  const ready = !loopWork() && !isTerminal(sub.s.status) && allHandlersFinished() && co.refundsInFlight === 0 && deliveryDone();
  if (!ready) co.outboxHeld = false;
  return ready;
}

/** Before 0.3.0: wait for the event in delivery and every handler, then continue if nothing came in meanwhile. */
async function continueAsNewBefore030(run: Run): Promise<void> {
  const { sub, co } = run;
  await holdOutbox(run);
  co.parked = true;
  await condition(allHandlersFinished);
  co.parked = false;
  if (!sub.hasWork() && !co.sending && !isTerminal(sub.s.status)) await continueAsNew<typeof subscriptionWorkflow>({ snapshot: sub.carried() });
  releaseOutbox(run);
}

/**
 * One subscription, for its whole life: authorization, trial, calendar billing, dunning, pause and cancellation, and
 * the window after the end in which late payments are still refunded. Runs after the first continue as new with
 * the carried snapshot. Returns the final view when it ends.
 */
export async function subscriptionWorkflow(arg: SubscriptionInput | ContinuedSubscription): Promise<SubscriptionView> {
  const f = decideFeatures();
  const sub = new SubscriptionState(isContinued(arg) ? arg.snapshot : firstSnapshot(arg, Date.now()), undefined, { consistentRecords: f.consistentRecords, refundLedger: f.refundLedger });
  const run: Run = { sub, co: new Coordination(), f };
  const visibility = new Visibility(sub, f.lastChargeOutcomeVisible);
  sub.onChange = () => visibility.publish();
  installHandlers(run);
  visibility.publish();

  void runOutbox(run);
  if (run.f.refundRetries) void runRefundQueue(run);

  for (;;) {
    await settle(run);
    if (isTerminal(sub.s.status)) break;
    if (shouldContinueAsNew(run)) {
      if (!run.f.carryUnfinished) await continueAsNewBefore030(run);
      else if (await readyToContinue(run)) await continueAsNew<typeof subscriptionWorkflow>({ snapshot: sub.carried() });
      continue;
    }
    await step(run);
  }
  if (run.f.latePayments) await afterTheEnd(run);
  // Nothing can be carried past the end: deliver every event and let every handler and refund finish first.
  await drainOutbox(run, () => allHandlersFinished() && !refundsOutstanding(run));
  return buildView(sub);
}
