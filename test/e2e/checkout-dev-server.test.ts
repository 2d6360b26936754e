import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { GATEWAYS } from '../../src/shared/gateway-policy';
import { subscriptionWorkflowId } from '../../src/shared/ids';
import { eventually } from '../helpers/api-requests';
import { bundleWorkflows, createDevServerEnv } from '../helpers/environments';
import { apiOver } from '../helpers/http-api';
import { checkoutToActive } from './support/journeys';
import { startStack, type Stack } from '../helpers/stack';

interface Page {
  data: { id: string; status: string; gateway: string }[];
}

/**
 * The first part of the journey (checkout → authorization → cycle 1 → active) on the real Temporal dev server, where
 * visibility answers list queries: the API's list and a raw SubscriptionStatus query both find the active subscription.
 */
describe('checkout to active on the Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let stack: Stack;

  beforeAll(async () => {
    [env, bundle] = await Promise.all([createDevServerEnv(), bundleWorkflows()]);
    stack = await startStack({ env, bundle });
  });
  afterAll(async () => {
    await stack?.close();
    await env?.teardown();
  });

  const workflowIds = async (query: string): Promise<string[]> => {
    const ids: string[] = [];
    for await (const wf of env.client.workflow.list({ query })) ids.push(wf.workflowId);
    return ids;
  };

  it.each(GATEWAYS)('%s: paid at the hosted checkout, active, and listed by SubscriptionStatus', async (gateway) => {
    const { body } = await checkoutToActive(stack, gateway, gateway.slice(0, 2));
    const workflowId = subscriptionWorkflowId(body.id);

    const active = await eventually(() => workflowIds(`WorkflowId = "${workflowId}" AND SubscriptionStatus = "active"`), (ids) => ids.length > 0);
    expect(active).toEqual([workflowId]);
    expect(await workflowIds(`WorkflowId = "${workflowId}" AND SubscriptionStatus = "incomplete"`)).toEqual([]);

    const api = apiOver(stack.apiUrl);
    const listed = await api.get<Page>(`/v1/subscriptions?customerId=${body.customer.id}&status=active&gateway=${gateway}`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: body.id, status: 'active', gateway })]);
    expect((await api.get<Page>(`/v1/subscriptions?customerId=${body.customer.id}&status=incomplete`)).body.data).toEqual([]);
  });
});
