import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { stateQuery } from '../../src/shared/messages';
import { subscriptionWorkflowId } from '../../src/shared/ids';
import { subscriptionWorkflow } from '../../src/workflows';
import { bundleWorkflows, createTimeSkippingEnv, uniqueTaskQueue } from '../helpers/environments';
import { paystackInput } from '../helpers/fixtures';

// The stack itself: the Maven-built time-skipping server runs the bundled workflow and skips its timers.
describe('time-skipping server (foundation)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    bundle = await bundleWorkflows();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('skips a month-long authorization window without waiting for it', async () => {
    const taskQueue = uniqueTaskQueue('foundation');
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle });
    const input = paystackInput({ authorizationWindowMs: 31 * 24 * 60 * 60 * 1000 });
    const before = await env.currentTimeMs();
    const status = await worker.runUntil(
      env.client.workflow.execute(subscriptionWorkflow, { taskQueue, workflowId: subscriptionWorkflowId(input.subscriptionId), args: [input] }),
    );
    expect(status).toBe('incomplete_expired');
    // Server time moved a whole month forward.
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(31 * 24 * 60 * 60 * 1000);
  });

  it('answers the state query while waiting for the authorization', async () => {
    const taskQueue = uniqueTaskQueue('foundation');
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle });
    const input = paystackInput();
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(subscriptionWorkflow, { taskQueue, workflowId: subscriptionWorkflowId(input.subscriptionId), args: [input] });
      const view = await handle.query(stateQuery);
      expect(view).toMatchObject({ id: input.subscriptionId, status: 'incomplete', gateway: 'paystack' });
      await handle.terminate('test done');
    });
  });
});
