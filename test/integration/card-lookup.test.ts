import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { cardLookupKey } from '../../src/gateways/card-key';
import { cancelUpdate, gatewayEventSignal } from '../../src/shared/messages';
import { subscriptionWorkflowId } from '../../src/shared/ids';
import { subscriptionWorkflow } from '../../src/workflows';
import { testFacade } from '../helpers/api';
import { bundleWorkflows, createDevServerEnv, uniqueTaskQueue } from '../helpers/environments';
import { poll } from '../helpers/poll';
import { FakeActivities } from '../workflows/support/fake-activities';
import { authorizationPaid, subscriptionInput } from '../workflows/support/harness';

// Issue 10: the token -> subscription lookup behind card.revoked, on a real dev server with SQL visibility: the
// workflow publishes its card's lookup key (CardLookupKey), and the API's facade finds the running subscriptions
// holding that card, and only those.
jest.setTimeout(120_000);
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createDevServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

it('findByCardKey finds the running subscription that holds the card, not another card, not a closed run', async () => {
  const fake = new FakeActivities();
  const taskQueue = uniqueTaskQueue('card-lookup');
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await bundleWorkflows(), activities: fake.activities() });
  const facade = testFacade(env.client, taskQueue);
  const key = (token: string) => cardLookupKey('razorpay', token);
  await worker.runUntil(async () => {
    const authorize = async (token: string) => {
      const input = subscriptionInput({ gateway: 'razorpay' });
      const handle = await env.client.workflow.start(subscriptionWorkflow, { taskQueue, workflowId: subscriptionWorkflowId(input.subscriptionId), args: [input] });
      await poll(() => fake.callsOf('initializeAuthorization').some((c) => c.input.subscriptionId === input.subscriptionId), Boolean, { timeoutMs: 20_000 });
      const card = { token, gatewayCustomerId: 'cust_1', reusable: true, lookupKey: key(token) };
      await handle.signal(gatewayEventSignal, authorizationPaid(input, { amount: input.plan.amount, currency: 'INR' }, { card }));
      return { input, handle };
    };
    const a = await authorize('token_card_a');
    const b = await authorize('token_card_b');
    const found = await poll(() => facade.findByCardKey(key('token_card_a')), (ids) => ids.length > 0, { timeoutMs: 20_000, intervalMs: 250 });
    expect(found).toEqual([a.input.subscriptionId]);
    expect(await poll(() => facade.findByCardKey(key('token_card_b')), (ids) => ids.length > 0, { timeoutMs: 20_000, intervalMs: 250 })).toEqual([b.input.subscriptionId]);

    // A closed subscription is not a target any more (ExecutionStatus = "Running").
    await a.handle.executeUpdate(cancelUpdate, { args: [{ at: 'now' }] });
    await a.handle.terminate('test done');
    expect(await poll(() => facade.findByCardKey(key('token_card_a')), (ids) => ids.length === 0, { timeoutMs: 20_000, intervalMs: 250 })).toEqual([]);
    await b.handle.terminate('test done');
  });
});
