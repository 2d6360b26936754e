import type { Gateway } from '../../src/shared/gateway-policy';
import type { SubscriptionStatus } from '../../src/shared/status';
import type { SubscriptionView } from '../../src/shared/state';
import { bearer } from './api';
import { createBody, newKey } from './api-requests';
import type { Stack } from './stack';
import { poll } from './poll';

export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
}

/** Chargeloop's API over real HTTP, as a merchant backend calls it (Bearer key, Idempotency-Key on writes). */
export function apiOver(apiUrl: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<HttpAnswer<T>> => {
    const headers: Record<string, string> = { authorization: bearer() };
    if (method === 'POST') headers['idempotency-key'] = newKey('e2e');
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${apiUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  return {
    get: <T = SubscriptionView>(path: string) => call<T>('GET', path),
    post: <T = SubscriptionView>(path: string, body?: unknown) => call<T>('POST', path, body),
  };
}

let n = 0;
/** A create body for the stack's `<gateway>-test` connection; a unique customer (and email) per subscription. */
export function subscriptionBody(gateway: Gateway, label: string): Record<string, unknown> & { id: string; customer: { id: string; email: string } } {
  n += 1;
  const id = `e2e-${label}-${process.pid}-${n}`;
  const customer = { id: `cus-${id}`, email: `${id}@example.com`, firstName: 'Ada', lastName: 'Obi', phone: '+919876543210' };
  const currency = gateway === 'razorpay' ? 'INR' : 'NGN';
  const base = createBody({ id, customer, gatewayConnectionId: `${gateway}-test` });
  return { ...base, id, customer, plan: { ...(base.plan as object), currency } };
}

/** POST /v1/subscriptions over HTTP; the 201 view, with the checkout the customer must open. */
export async function createSubscription(stack: Pick<Stack, 'apiUrl' | 'subscriptionIds'>, body: Record<string, unknown>): Promise<SubscriptionView> {
  if (typeof body.id === 'string') stack.subscriptionIds.push(body.id);
  const res = await apiOver(stack.apiUrl).post('/v1/subscriptions', body);
  if (res.status !== 201) throw new Error(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Polls GET /v1/subscriptions/{id} until `done` holds. Only for effects that travel over real HTTP in the background
 * (the sandbox's webhooks): the wait is bounded, and business time is never waited for this way.
 */
export async function viewUntil(
  stack: Pick<Stack, 'apiUrl'>,
  id: string,
  done: (view: SubscriptionView) => boolean,
  timeoutMs = 20_000,
): Promise<SubscriptionView> {
  const api = apiOver(stack.apiUrl);
  const arrived = (res: { status: number; body: SubscriptionView }): boolean => res.status === 200 && done(res.body);
  const last = await poll(() => api.get(`/v1/subscriptions/${id}`), arrived, { timeoutMs, intervalMs: 50 });
  if (!arrived(last)) throw new Error(`subscription ${id} did not get there in ${timeoutMs} ms; last: ${JSON.stringify(last.body)}`);
  return last.body;
}

export const statusIs =
  (status: SubscriptionStatus) =>
  (view: SubscriptionView): boolean =>
    view.status === status;

/** The card the sandbox stored for a customer at checkout (Paystack authorization_code, Flutterwave token, Razorpay token_id). */
export function storedCardToken(stack: Pick<Stack, 'sandbox'>, email: string): string {
  const record = Object.values(stack.sandbox.state.cards).find((c) => c.email === email);
  if (!record) throw new Error(`the sandbox stored no card for ${email}`);
  return record.token;
}

/** Queue outcomes of the next charges on a stored card through the sandbox's admin API. */
export async function queueOutcomes(stack: Pick<Stack, 'sandboxUrl' | 'sandbox'>, email: string, outcomes: ('success' | 'decline' | 'insufficient_funds')[]): Promise<void> {
  const token = storedCardToken(stack, email);
  for (const outcome of outcomes) {
    const res = await fetch(`${stack.sandboxUrl}/__sandbox/cards/${token}/next-outcome`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome }),
    });
    if (res.status !== 204) throw new Error(`next-outcome answered ${res.status}`);
  }
}
