import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { canonicalJson } from '../shared/canonical-json';
import { subscriptionWorkflowId } from '../shared/ids';
import { UPDATE_REFUSED } from '../shared/messages';
import type { SubscriptionView } from '../shared/state';
import { IdempotencyMismatchError, OperationFailedError, SubscriptionNotFoundError, SubscriptionRefusedError } from './errors';
import { acceptedUpdate } from './update-history';

/**
 * Runs one operation as a workflow update and returns the new view. `updateId` comes from the Idempotency-Key, so a
 * retry is answered from the first execution's stored outcome instead of running twice. Failures become domain errors:
 * a refusal (UPDATE_REFUSED from the validator or handler) or a closed workflow → SubscriptionRefusedError, no
 * workflow → SubscriptionNotFoundError, the key reused for a different operation → IdempotencyMismatchError.
 */
export async function runSubscriptionUpdate<Args extends unknown[]>(
  client: Client,
  subscriptionId: string,
  def: UpdateDefinition<SubscriptionView, Args>,
  args: Args,
  updateId: string,
): Promise<SubscriptionView> {
  const workflowId = subscriptionWorkflowId(subscriptionId);
  const handle = client.workflow.getHandle(workflowId);
  let view: SubscriptionView;
  try {
    // executeUpdate's overloads split "no args" from "some args"; this one call site serves both, typed by `def`.
    const execute: (name: string, options: { args: unknown[]; updateId: string }) => Promise<SubscriptionView> = (name, options) =>
      handle.executeUpdate<SubscriptionView, [unknown]>(name, options as { args: [unknown]; updateId: string });
    view = await execute(def.name, { args, updateId });
  } catch (err) {
    throw await toDomainError(client, subscriptionId, err);
  }
  const accepted = await acceptedUpdate(client, workflowId, updateId);
  if (accepted && (accepted.name !== def.name || accepted.argsJson !== canonicalJson(args))) {
    throw new IdempotencyMismatchError('This Idempotency-Key was already used on this subscription for a different request.');
  }
  return view;
}

async function toDomainError(client: Client, subscriptionId: string, err: unknown): Promise<unknown> {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && cause.type === UPDATE_REFUSED) return new SubscriptionRefusedError(cause.message);
    return new OperationFailedError(cause?.message ?? err.message);
  }
  if (err instanceof WorkflowNotFoundError) {
    // Updates reach running workflows only: a closed subscription exists but can no longer change.
    try {
      const description = await client.workflow.getHandle(subscriptionWorkflowId(subscriptionId)).describe();
      return new SubscriptionRefusedError(`Subscription "${subscriptionId}" has ended (workflow ${description.status.name.toLowerCase()}); it can no longer change.`);
    } catch (describeErr) {
      if (describeErr instanceof WorkflowNotFoundError) return new SubscriptionNotFoundError(subscriptionId);
      return describeErr;
    }
  }
  return err;
}
