import { writeHeapSnapshot } from 'node:v8';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { stateQuery } from '../../src/shared/messages';
import { workflowBundlerOptions } from '../../src/worker/bundle-options';
import { FakeActivities } from '../../test/workflows/support/fake-activities';
import { subscriptionInput } from '../../test/workflows/support/harness';
import { temporalExecutable } from '../../test/helpers/temporal-binaries';
import { baselineWorkflow } from '../workflows';
import { baselineGatewayActivities } from '../processes/baseline-gateway';
import { promiseStackCensus } from './promise-stacks';

/**
 * Heap of cached workflows, measured where they live: the worker runs in debug mode, so workflows run in this
 * thread and `heapUsed` (after a forced GC) counts them. N parked empty workflows, then N subscriptions waiting
 * for their checkout to be paid; optionally a heap snapshot for a retainer view.
 * Beside the heap, what the SDK's promise hooks keep per workflow (pending promises, their stack strings);
 * `--stacks` prints one subscription's pending stacks.
 *   node --expose-gc --import tsx bench/tools/workflow-heap.ts [n] [--snapshot] [--no-preload] [--stacks]
 */
async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 300);
  const preload = !process.argv.includes('--no-preload');
  const gc = (globalThis as { gc?: () => void }).gc!;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: temporalExecutable('cli') }, ip: '127.0.0.1', port: 43_321, searchAttributes: SEARCH_ATTRIBUTES },
  });
  try {
    const heap = (): number => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    // Resident memory beside the heap: what the bench reads (VmRSS), here with every workflow on this GC'd thread, and
    // where it went: V8's committed heap (heapTotal), memory outside it (external: buffers), the rest (native: Core).
    const parts: Record<string, Record<string, number>> = {};
    const census = new Map<string, ReturnType<typeof promiseStackCensus>>();
    const run = async (bundlePath: string, taskQueue: string, activities: object, start: (i: number) => Promise<void>, ready: (i: number) => Promise<boolean>) => {
      const workflowBundle = await bundleWorkflowCode({ workflowsPath: bundlePath, logger: new DefaultLogger('WARN'), ...(preload ? workflowBundlerOptions() : {}) });
      const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities, debugMode: true, maxCachedWorkflows: n + 10 });
      return worker.runUntil(async () => {
        const before = heap();
        const usageBefore = process.memoryUsage();
        if (process.argv.includes('--snapshot')) console.log('snapshot', writeHeapSnapshot(`/tmp/workflow-heap-${taskQueue}-before.heapsnapshot`));
        for (let i = 0; i < n; i++) await start(i);
        for (let i = 0; i < n; i++) while (!(await ready(i))) await new Promise((r) => setTimeout(r, 50));
        const after = heap();
        const usage = process.memoryUsage();
        const kib = (k: 'heapTotal' | 'external' | 'rss'): number => Number(((usage[k] - usageBefore[k]) / n / 1024).toFixed(1));
        parts[taskQueue] = { rssKiB: kib('rss'), heapTotalKiB: kib('heapTotal'), externalKiB: kib('external'), otherKiB: Number((kib('rss') - kib('heapTotal') - kib('external')).toFixed(1)) };
        census.set(taskQueue, promiseStackCensus(taskQueue));
        if (process.argv.includes('--snapshot')) console.log('snapshot', writeHeapSnapshot(`/tmp/workflow-heap-${taskQueue}.heapsnapshot`));
        return (after - before) / n / 1024;
      });
    };
    const empty = await run(require.resolve('../workflows'), 'heap-baseline', baselineGatewayActivities(),
      async (i) => void (await env.client.workflow.start(baselineWorkflow, { taskQueue: 'heap-baseline', workflowId: `hb-${i}`, args: [{ activities: 1, signals: 1, timers: 1 }] })),
      async (i) => (await env.client.workflow.getHandle(`hb-${i}`).fetchHistory()).events!.some((e) => e.timerStartedEventAttributes)); 
    const fake = new FakeActivities();
    const inputs = Array.from({ length: n }, () => subscriptionInput({ gateway: 'paystack' }));
    const subs = await run(require.resolve('../../src/workflows'), 'heap-subs', fake.activities(),
      async (i) => void (await env.client.workflow.start('subscriptionWorkflow', { taskQueue: 'heap-subs', workflowId: `hs-${i}`, args: [inputs[i]] })),
      async (i) => Boolean((await env.client.workflow.getHandle(`hs-${i}`).query(stateQuery)).authorization));
    for (const [queue, { sample, query, ...c }] of census) {
      console.log(JSON.stringify({ queue, ...c, queryStacks: query.length, ...parts[queue] }));
      if (process.argv.includes('--stacks')) {
        for (const { count, stack } of sample) console.log(`${count} ×\n${stack}\n`);
        console.log(`${queue}: the stack trace query shows\n${query.join('\n\n')}\n`);
      }
    }
    console.log(JSON.stringify({ n, preload, emptyKiB: Number(empty.toFixed(1)), subscriptionKiB: Number(subs.toFixed(1)), ratio: Number((subs / empty).toFixed(2)), rssEmptyKiB: parts['heap-baseline']!.rssKiB, rssSubscriptionKiB: parts['heap-subs']!.rssKiB }));
  } finally {
    await env.teardown();
  }
}

void main();
