import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promiseHooks } from 'node:v8';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../../test/helpers/environments';

/**
 * Where workflow code creates its promises, counted while committed histories replay (the replay worker runs
 * workflows in this thread). Every promise created in a workflow's context pays for the SDK's promise hook (a
 * source-mapped stack), so promises per workflow task is a cost of its own (bench/README.md, seventh session).
 * Each promise is counted under its first frame in src/workflows; promises created by the SDK alone (no such frame)
 * under the SDK's first frame.
 *   node --import tsx bench/tools/promise-sites.ts [history.json ...] [--top=N]
 * Default: release 0.8.0's year of monthly Paystack renewals.
 */
const root = resolve(__dirname, '../../test/fixtures/histories');
const args = process.argv.slice(2);
const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 25);
const files = args.filter((a) => !a.startsWith('--'));
const histories = (files.length > 0 ? files : ['v0.8.0/paystack-monthly-year.json']).map((f) => ({
  workflowId: f,
  history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(resolve(root, f), 'utf8')) as Record<string, unknown>),
}));

const sites = new Map<string, number>();
let total = 0;
// A workflow's promises are built by its own context's Promise; the SDK reads that context's globals the same way.
promiseHooks.createHook({
  init(promise: Promise<unknown>) {
    if (promise.constructor === Promise) return;
    total += 1;
    const FunctionInContext = promise.constructor.constructor as (body: string) => () => ErrorConstructor;
    const ErrorInContext = FunctionInContext('return globalThis.Error')();
    const frames = (new ErrorInContext().stack ?? '').split('\n').slice(1);
    const own = frames.find((f) => f.includes('src/workflows/'));
    const site = (own ?? frames.find((f) => !f.includes('promise_hooks') && !f.includes('<anonymous>')) ?? '(no frame)').trim().replace(/^at /, '');
    sites.set(site, (sites.get(site) ?? 0) + 1);
  },
});

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const workflowBundle = await bundleWorkflows();
  let tasks = 0;
  for (const h of histories) {
    tasks += (h.history.events ?? []).filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length;
  }
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
    if (result.error) throw new Error(`${result.workflowId}: ${result.error.message}`);
  }
  const perTask = (n: number): string => (n / Math.max(1, tasks)).toFixed(1);
  process.stdout.write(`${histories.length} histories, ${tasks} workflow tasks, ${total} promises in workflow context: ${perTask(total)} per task\n`);
  for (const [site, n] of [...sites].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${String(n).padStart(7)}  ${perTask(n).padStart(6)}/task  ${site}\n`);
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
