import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { subscriptionWorkflowId } from '../shared/ids';
import { stateQuery } from '../shared/messages';
import type { SubscriptionInput } from '../shared/schemas';
import type { SubscriptionView } from '../shared/state';
import { IdempotencyMismatchError, SubscriptionExistsError } from './errors';
import { startSubscription } from './start-subscription';

/** What the API stores in the workflow memo at start, to recognise a retry of the same create after any restart. */
export interface CreateIdempotency {
  keyHash: string;
  requestHash: string;
}

export interface CreateSubscriptionOptions {
  idempotency: CreateIdempotency;
  /** How long to wait for the workflow to open the gateway checkout before answering without a URL. */
  checkoutWaitMs: number;
  pollIntervalMs?: number;
}

export interface CreatedSubscription {
  view: SubscriptionView;
  /** True when this request is a retry of an earlier create with the same key and body. */
  replayed: boolean;
}

const MEMO_KEY = 'apiIdempotency';

/**
 * Starts the subscription's workflow, then waits (bounded) until it has opened the gateway checkout, so the 201
 * carries the URL the customer must visit.
 *
 * Mechanism: start, then poll the state query until `authorization.checkoutUrl` is set (or the status moved on).
 * Chosen over update-with-start because it needs nothing from the workflow beyond the state query every version
 * already answers; update-with-start would be one round trip but requires an extra "await checkout" update handler
 * in the workflow. To switch, replace `waitForCheckout` (the memo-based idempotency below stays valid either way).
 *
 * Idempotency lives in Temporal, not in this process: the memo holds the key's hash and the request's hash, so after
 * a restart a retry is told apart from a conflicting create by describing the existing workflow.
 */
export async function createSubscription(
  client: Client,
  taskQueue: string,
  input: SubscriptionInput,
  options: CreateSubscriptionOptions,
): Promise<CreatedSubscription> {
  const workflowId = subscriptionWorkflowId(input.subscriptionId);
  try {
    await startSubscription(client, taskQueue, input, { [MEMO_KEY]: options.idempotency });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const description = await client.workflow.getHandle(workflowId).describe();
    const stored = description.memo?.[MEMO_KEY] as Partial<CreateIdempotency> | undefined;
    if (stored?.keyHash !== options.idempotency.keyHash) {
      throw new SubscriptionExistsError(`Subscription "${input.subscriptionId}" already exists.`);
    }
    if (stored.requestHash !== options.idempotency.requestHash) {
      throw new IdempotencyMismatchError('This Idempotency-Key was already used to create a subscription with a different body.');
    }
    return { view: await waitForCheckout(client, workflowId, options), replayed: true };
  }
  return { view: await waitForCheckout(client, workflowId, options), replayed: false };
}

/** Polls the state query until the checkout URL is known, the subscription left `incomplete`, or time runs out. */
async function waitForCheckout(client: Client, workflowId: string, options: CreateSubscriptionOptions): Promise<SubscriptionView> {
  const handle = client.workflow.getHandle(workflowId);
  const deadline = Date.now() + options.checkoutWaitMs;
  const interval = options.pollIntervalMs ?? 100;
  for (;;) {
    const view = await handle.query(stateQuery);
    if (view.authorization.checkoutUrl !== null || view.status !== 'incomplete' || Date.now() >= deadline) return view;
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, Math.max(0, deadline - Date.now()))));
  }
}
