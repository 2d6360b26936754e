import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { subscriptionWorkflowId } from '../shared/ids';
import { checkoutUpdate, stateQuery } from '../shared/messages';
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
 * Mechanism: start, then the `checkout` update, which the workflow answers with the subscription as it was when the
 * checkout opened. A retry of the create therefore gets the original body, byte for byte, even after the
 * subscription moved on. Not update-with-start: a conflicting create must first be told apart from a retry (memo).
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

/** One update id for every caller: Temporal runs the `checkout` update once and hands each retry the same outcome. */
const CHECKOUT_UPDATE_ID = 'create-response';

/**
 * The create response: the workflow's view at checkout time. If the gateway is slow (the workflow is still backing
 * off), answer the current view without a URL after `checkoutWaitMs`; the client polls GET for the URL.
 */
async function waitForCheckout(client: Client, workflowId: string, options: CreateSubscriptionOptions): Promise<SubscriptionView> {
  const handle = client.workflow.getHandle(workflowId);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.checkoutWaitMs);
  try {
    return await client.withAbortSignal(abort.signal, () => handle.executeUpdate(checkoutUpdate, { updateId: CHECKOUT_UPDATE_ID }));
  } catch (err) {
    // Timed out, or the workflow already closed (an expired create retried later): its current state is the answer.
    if (abort.signal.aborted || err instanceof WorkflowNotFoundError) return handle.query(stateQuery);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
