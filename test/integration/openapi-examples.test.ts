import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { EXAMPLE_CONNECTION_ID, EXAMPLE_SUBSCRIPTION_ID } from '../../src/api/openapi/example-requests';
import { activeExample, incompleteExample } from '../../src/api/openapi/example-views';
import { WEBHOOK_ADAPTERS } from '../../src/gateways/webhooks';
import type { SubscriptionView } from '../../src/shared/state';
import { bearer } from '../helpers/api';
import { newKey } from '../helpers/api-requests';
import { bundleWorkflows, createDevServerEnv } from '../helpers/environments';
import { sandboxConnections } from '../helpers/gateway-connections';
import { payAtCheckout } from '../helpers/gateway-sandbox';
import { statusIs, viewUntil } from '../helpers/http-api';
import { concrete, exampleBody, operation, operations, undocumented, type Answer } from '../helpers/openapi';
import { startStack, type Stack } from '../helpers/stack';
import { SUCCESS_CARD } from '../e2e/support/journeys';

/**
 * The document's examples against the real API: the stack (API, worker with the real activities, gateway sandbox)
 * over the `paystack-sandbox` connection the examples name, on a Temporal dev server. Each operation is called with
 * its documented path, body and Idempotency-Key, in the order of the examples' story; each answer must have a status the document
 * lists for the operation and a body its schema accepts. Bounded: one subscription, polls of a few seconds.
 */
describe('every OpenAPI example, sent to the real API', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let stack: Stack;
  const exercised = new Set<string>();

  beforeAll(async () => {
    [env, bundle] = await Promise.all([createDevServerEnv(), bundleWorkflows()]);
    stack = await startStack({ env, bundle, connectionsAt: sandboxConnections });
    stack.subscriptionIds.push(EXAMPLE_SUBSCRIPTION_ID);
  });
  afterAll(async () => {
    await stack?.close();
    await env?.teardown();
  });

  /** Sends `METHOD template` with its documented path and body (or `body`), and checks the answer against the document. */
  async function send<T = SubscriptionView>(method: string, template: string, options: { body?: unknown; key?: string; headers?: Record<string, string> } = {}): Promise<Answer & { body: T }> {
    const op = operation(method, template);
    const body = options.body ?? exampleBody(op);
    const raw = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = template.startsWith('/v1') ? { authorization: bearer() } : {};
    // The documented Idempotency-Key too, as Swagger's "Try it out" fills it in.
    const documentedKey = op.parameters?.find((p) => p.name === 'Idempotency-Key')?.example;
    if (typeof documentedKey === 'string') headers['idempotency-key'] = options.key ?? documentedKey;
    if (raw !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${stack.apiUrl}${concrete(template, op)}`, { method, headers: { ...headers, ...options.headers }, body: raw });
    const text = await res.text();
    const answer = { status: res.status, contentType: res.headers.get('content-type'), body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
    expect(undocumented(method, template, answer)).toEqual([]);
    exercised.add(`${method} ${template}`);
    return answer;
  }

  it('answers each documented request example with a documented status and body', async () => {
    // Before the subscription exists: its checkout's charge.success, signed as Paystack signs it, is for no workflow yet.
    const webhookBody = JSON.stringify(exampleBody(operation('POST', '/webhooks/{gateway}/{connectionId}')));
    const signature = WEBHOOK_ADAPTERS.paystack.sign(webhookBody, stack.connections.get(EXAMPLE_CONNECTION_ID)!);
    expect(await send('POST', '/webhooks/{gateway}/{connectionId}', { headers: signature })).toMatchObject({ status: 200, body: { received: true, ignored: true } });

    expect((await send('GET', '/v1/gateways')).status).toBe(200);
    expect((await send('GET', '/v1/gateways/{id}')).status).toBe(200);

    const created = await send('POST', '/v1/subscriptions');
    expect(created.status).toBe(201);
    // The example is what the API answers: same fields, same story (checkout open for the NGN 50 minimum).
    expect(Object.keys(created.body).sort()).toEqual(Object.keys(incompleteExample).sort());
    const { checkoutUrl: _url, expiresAt: _expires, ...authorization } = incompleteExample.authorization;
    expect(created.body).toMatchObject({ id: EXAMPLE_SUBSCRIPTION_ID, status: 'incomplete', plan: incompleteExample.plan, authorization, cycle: 0 });
    // "Try it out" twice: the replay of the first create. Under another key, the example's id exists: 409.
    expect((await send('POST', '/v1/subscriptions')).status).toBe(201);
    expect((await send('POST', '/v1/subscriptions', { key: newKey('oas-create') })).status).toBe(409);

    expect((await send('GET', '/v1/subscriptions/{id}')).status).toBe(200);
    expect((await send('GET', '/v1/subscriptions')).status).toBe(200);
    const reissued = await send('POST', '/v1/subscriptions/{id}/checkout/reissue');
    expect(reissued.status).toBe(200);

    expect((await payAtCheckout(reissued.body.authorization.checkoutUrl!, SUCCESS_CARD)).html).toContain('Payment successful');
    const active = await viewUntil(stack, EXAMPLE_SUBSCRIPTION_ID, (v) => statusIs('active')(v) && v.authorization.refunded);
    expect(Object.keys(active).sort()).toEqual(Object.keys(activeExample).sort());
    expect(active).toMatchObject({ cycle: 1, lastPayment: { reference: activeExample.lastPayment!.reference, kind: 'initial', amount: activeExample.lastPayment!.amount } });

    const plan = await send('POST', '/v1/subscriptions/{id}/plan');
    expect(plan).toMatchObject({ status: 200, body: { pendingPlan: activeExample.pendingPlan } });
    expect((await send('POST', '/v1/subscriptions/{id}/pause')).status).toBe(200);
    expect((await send('POST', '/v1/subscriptions/{id}/resume')).status).toBe(200);
    // Paystack retries manually only while unpaid: the document's 409, with the workflow's reason.
    expect((await send('POST', '/v1/subscriptions/{id}/retry')).status).toBe(409);
    expect((await send('POST', '/v1/subscriptions/{id}/refunds')).status).toBe(200);
    expect((await send('POST', '/v1/subscriptions/{id}/card-update')).status).toBe(200);
    // This tier's dev server reads a clock but cannot skip one execution's time (test/clock runs a server that can): 409.
    expect((await send('GET', '/v1/subscriptions/{id}/test-clock')).status).toBe(200);
    expect(await send('POST', '/v1/subscriptions/{id}/test-clock/advance')).toMatchObject({ status: 409, body: { title: 'Time skipping unavailable' } });
    expect((await send('POST', '/v1/subscriptions/{id}/cancel')).status).toBe(200);

    // Every operation with a request example was sent.
    const withExamples = operations().filter(([, , op]) => exampleBody(op) !== undefined).map(([m, p]) => `${m} ${p}`);
    expect(withExamples.filter((o) => !exercised.has(o))).toEqual([]);
  }, 150_000);
});
