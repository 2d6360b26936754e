import request from 'supertest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { testApp } from '../helpers/api';
import { bundleWorkflows, createDevServerEnv, uniqueTaskQueue } from '../helpers/environments';
import { poll } from '../helpers/poll';

/** /readyz on the real dev server: Temporal answering is not enough, a worker must poll the task queue. */
describe('readiness on the Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    [env, bundle] = await Promise.all([createDevServerEnv(), bundleWorkflows()]);
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('is 503 naming the task queue until a worker polls it, then 200', async () => {
    const taskQueue = uniqueTaskQueue('readyz');
    const app = testApp(env.client, taskQueue);

    const before = await request(app).get('/readyz').expect(503);
    expect(before.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(before.body.detail).toBe(`No worker is polling task queue ${taskQueue}.`);

    // The real workflows, so the worker polls for workflow tasks (an activity-only worker would not count).
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle });
    const ready = await worker.runUntil(() => poll(() => request(app).get('/readyz'), (res) => res.status === 200, { timeoutMs: 20_000, intervalMs: 200 }));
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
  });
});
