import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { GatewayEvent } from '../shared/gateway-events';
import { subscriptionIdFromWorkflowId, subscriptionWorkflowId } from '../shared/ids';
import { gatewayEventSignals, stateQuery } from '../shared/messages';
import type { SubscriptionInput } from '../shared/schemas';
import type { SubscriptionView } from '../shared/state';
import { createSubscription, type CreatedSubscription, type CreateSubscriptionOptions } from './create-subscription';
import { SubscriptionNotFoundError } from './errors';
import { listSubscriptions, type SubscriptionPage } from './list-subscriptions';
import type { PageTokens } from './page-token';
import { checkReadiness, type Readiness } from './readiness';
import { runSubscriptionUpdate } from './subscription-updates';
import { cardLookupQuery, type SubscriptionFilters } from './visibility-query';

/** How long a webhook may wait for Temporal to accept its signal before the gateway gets a 503. */
export const SIGNAL_DEADLINE_MS = 3_000;

export interface SubscriptionsFacadeDeps {
  client: Client;
  /** The task queue subscription workflows start on. */
  taskQueue: string;
  /** Signs and checks the list's page tokens. */
  pageTokens: PageTokens;
}

/**
 * Every Temporal call the API makes, in one place: create, view, list, update, signal, plus readiness and the
 * per-request deadline. Routes get this one object and never open a workflow handle themselves, so ids, codecs,
 * deadlines and the mapping of Temporal errors to domain errors (src/temporal/errors.ts) live here only.
 */
export class SubscriptionsFacade {
  private readonly client: Client;
  private readonly taskQueue: string;
  private readonly pageTokens: PageTokens;

  constructor(deps: SubscriptionsFacadeDeps) {
    this.client = deps.client;
    this.taskQueue = deps.taskQueue;
    this.pageTokens = deps.pageTokens;
  }

  /** Starts the subscription and answers its view once the checkout is open (see create-subscription.ts). */
  create(input: SubscriptionInput, options: CreateSubscriptionOptions): Promise<CreatedSubscription> {
    return createSubscription(this.client, this.taskQueue, input, options);
  }

  /** The workflow's current state; SubscriptionNotFoundError when no such workflow exists. */
  async view(subscriptionId: string): Promise<SubscriptionView> {
    try {
      return await this.client.workflow.getHandle(subscriptionWorkflowId(subscriptionId)).query(stateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new SubscriptionNotFoundError(subscriptionId);
      throw err;
    }
  }

  /** One page from visibility, newest first. */
  list(filters: SubscriptionFilters, page: { pageSize: number; pageToken?: string }): Promise<SubscriptionPage> {
    return listSubscriptions(this.client, filters, page, this.pageTokens);
  }

  /** One operation as a workflow update, idempotent under `updateId` (see subscription-updates.ts). */
  update<Args extends unknown[]>(subscriptionId: string, def: UpdateDefinition<SubscriptionView, Args>, args: Args, updateId: string): Promise<SubscriptionView> {
    return runSubscriptionUpdate(this.client, subscriptionId, def, args, updateId);
  }

  /**
   * A verified gateway event to the subscription's current run. Bounded: with Temporal down the client would retry
   * for many seconds, and gateways stop listening first (Razorpay after 5 s), so they must get the 503 (and retry)
   * well within their timeout. A closed or unknown workflow rejects with WorkflowNotFoundError.
   */
  signal(subscriptionId: string, event: GatewayEvent): Promise<void> {
    return this.client.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () =>
      this.client.workflow.getHandle(subscriptionWorkflowId(subscriptionId)).signal(gatewayEventSignals[event.type], event),
    );
  }

  /**
   * The running subscriptions whose stored card has this lookup key: how a revocation webhook (Razorpay `token.*`,
   * which names only the token) finds its subscription. Visibility lags by moments, which a revocation (days after
   * the card was stored) does not notice. Bounded like `signal`, so the gateway gets its 503 in time.
   */
  async findByCardKey(cardLookupKey: string): Promise<string[]> {
    const query = cardLookupQuery('subscriptionWorkflow', cardLookupKey);
    const res = await this.client.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () =>
      this.client.workflowService.listWorkflowExecutions({ namespace: this.client.options.namespace, query, pageSize: 10 }),
    );
    return (res.executions ?? []).map((e) => subscriptionIdFromWorkflowId(e.execution?.workflowId ?? '')).filter((id): id is string => id !== undefined);
  }

  /**
   * Whether requests can be served: Temporal answers before `deadline` (epoch ms) and a worker has polled the
   * subscriptions task queue recently (see readiness.ts); otherwise which part is missing, and why (for the log).
   */
  ready(deadline: number): Promise<Readiness> {
    return checkReadiness(this.client, this.taskQueue, deadline);
  }

  /** Runs `fn` with every Temporal call inside it bounded by `deadline` (epoch ms). */
  withDeadline<R>(deadline: number, fn: () => Promise<R>): Promise<R> {
    return this.client.withDeadline(deadline, fn);
  }
}
