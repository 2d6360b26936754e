import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { SubscriptionInput } from '../shared/schemas';
import type { SubscriptionView } from '../shared/state';
import { installHandlers } from './handlers';
import { settle, step } from './lifecycle';
import { firstSnapshot } from './initial-snapshot';
import { drainOutbox, holdOutbox, releaseOutbox, runOutbox } from './outbox';
import { isContinued, type ContinuedSubscription } from './snapshot';
import { isTerminal } from './state-machine';
import { SubscriptionState } from './subscription-state';
import { buildView } from './view';
import { Visibility } from './visibility';

/** Cycles billed per run before continuing as new, so a daily plan's history stays small. */
export const CYCLES_PER_RUN = 12;

function shouldContinueAsNew(sub: SubscriptionState): boolean {
  // Not while authorizing, nor while a retry-now update waits for this loop to run its attempt.
  const stable = sub.s.status !== 'incomplete' && !sub.s.dunning.retryNowRequested;
  return stable && (sub.cyclesThisRun >= (sub.s.input.cyclesPerRun ?? CYCLES_PER_RUN) || workflowInfo().continueAsNewSuggested);
}

/**
 * One subscription, for its whole life: authorization, trial, calendar billing, dunning, pause and cancellation.
 * Runs after the first continue as new with the carried snapshot. Returns the final view when it ends.
 */
export async function subscriptionWorkflow(arg: SubscriptionInput | ContinuedSubscription): Promise<SubscriptionView> {
  const sub = new SubscriptionState(isContinued(arg) ? arg.snapshot : firstSnapshot(arg, Date.now()));
  const visibility = new Visibility(sub);
  sub.onChange = () => visibility.publish();
  installHandlers(sub);
  visibility.publish();

  void runOutbox(sub);

  for (;;) {
    await settle(sub);
    if (isTerminal(sub.s.status)) break;
    if (shouldContinueAsNew(sub)) {
      // Let running updates and the event in delivery finish; unsent events and webhooks ride along in the
      // snapshot. Nothing awaits between the last check and the call, so nothing can slip in unseen.
      await holdOutbox(sub);
      // Parked: handlers waiting for an idle loop (cancel, pause) may run now, before the snapshot is taken.
      sub.idle = true;
      await condition(allHandlersFinished);
      sub.idle = false;
      if (!sub.hasWork() && !sub.sending && !isTerminal(sub.s.status)) await continueAsNew<typeof subscriptionWorkflow>({ snapshot: sub.s });
      releaseOutbox(sub);
      continue;
    }
    await step(sub);
  }
  // Nothing can be carried past the end: deliver every event and let every handler finish first.
  await drainOutbox(sub, allHandlersFinished);
  return buildView(sub);
}
