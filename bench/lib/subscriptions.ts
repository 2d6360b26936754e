import type { Client } from '@temporalio/client';
import { DEV_API_KEY } from '../../src/api/auth/api-keys';
import { subscriptionWorkflowId } from '../../src/shared/ids';
import { stateQuery } from '../../src/shared/messages';
import type { Plan, SubscriptionInput } from '../../src/shared/schemas';
import type { SubscriptionView } from '../../src/shared/state';
import { startSubscription } from '../../src/temporal/start-subscription';
import { SUBSCRIPTIONS_TASK_QUEUE } from '../../src/shared/task-queues';
import { sleep } from './wait';

/** A monthly NGN plan: Paystack authorizes the card with its minimum charge, refunds it, then bills cycle 1. */
export const BENCH_PLAN: Plan = { id: 'bench-monthly', amount: 500_000, currency: 'NGN', interval: 'month', intervalCount: 1, trialDays: 0, totalCycles: null };
/** Sandbox test card: succeeds at checkout and on every renewal, no OTP step. */
const SUCCESS_CARD = '4084084084084081';

export const benchCustomer = (id: string): SubscriptionInput['customer'] => ({ id: `cus-${id}`, email: `${id}@bench.example`, firstName: 'Bench', lastName: id });

/**
 * `POST /v1/subscriptions` as a merchant would call it; answers with the view, which carries the checkout URL. A 503
 * (Temporal slower than the API's deadline, on a saturated machine) is retried after its Retry-After under the same
 * Idempotency-Key, as the problem document asks; `createRetries` counts them for the report.
 */
export const createRetries = { count: 0 };
export async function createViaApi(apiUrl: string, id: string, connectionId: string): Promise<SubscriptionView> {
  for (let attempt = 1; ; attempt += 1) {
    const res = await fetch(`${apiUrl}/v1/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEV_API_KEY}`, 'content-type': 'application/json', 'idempotency-key': `bench-${id}` },
      body: JSON.stringify({ id, customer: benchCustomer(id), plan: BENCH_PLAN, gatewayConnectionId: connectionId }),
    });
    if (res.status === 201) return (await res.json()) as SubscriptionView;
    if (res.status !== 503 || attempt >= 4) throw new Error(`POST /v1/subscriptions ${id}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    createRetries.count += 1;
    await sleep(1000 * Math.min(10, Number(res.headers.get('retry-after') ?? 1) || 1));
  }
}

/** Starts a subscription workflow with the client, for inputs the REST API does not take (a billing anchor). */
export async function startDirect(client: Client, id: string, connectionId: string, extra: Partial<SubscriptionInput> = {}): Promise<void> {
  await startSubscription(client, SUBSCRIPTIONS_TASK_QUEUE, {
    subscriptionId: id,
    customer: benchCustomer(id),
    plan: BENCH_PLAN,
    gateway: 'paystack',
    gatewayConnectionId: connectionId,
    metadata: {},
    authorizationWindowMs: 23 * 60 * 60 * 1000,
    createdAt: new Date().toISOString(),
    ...extra,
  });
}

/**
 * Polls the state query until the workflow has opened its checkout (what the API does before answering 201).
 * A query can fail while the worker is saturated (the server gives up waiting for it); that is retried, not fatal.
 */
export async function checkoutUrlOf(client: Client, id: string, timeoutMs: number): Promise<string> {
  const handle = client.workflow.getHandle(subscriptionWorkflowId(id));
  const until = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const view = await handle.query(stateQuery);
      if (view.authorization.checkoutUrl) return view.authorization.checkoutUrl;
      last = `status ${view.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > until) throw new Error(`${id}: no checkout after ${timeoutMs} ms (${last})`);
    await sleep(250);
  }
}

/** The customer paying on the sandbox's hosted checkout: one form POST over HTTP, as a browser would send it. */
export async function payAtCheckout(checkoutUrl: string): Promise<void> {
  const res = await fetch(checkoutUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ card_number: SUCCESS_CARD, expiry: '12/30', cvv: '408' }).toString(),
  });
  await res.arrayBuffer();
  if (res.status >= 400) throw new Error(`checkout ${checkoutUrl} answered ${res.status}`);
}

/** Visibility count (the dev server's SQLite visibility answers it directly). */
export async function countWorkflows(client: Client, query: string): Promise<number> {
  return (await client.workflow.count(query)).count;
}

export const statusQuery = (connectionId: string, status: string): string =>
  `WorkflowType='subscriptionWorkflow' AND GatewayConnectionId='${connectionId}' AND SubscriptionStatus='${status}'`;
