import type { Client } from '@temporalio/client';
import { subscriptionWorkflowId } from '../../src/shared/ids';
import type { BenchConfig } from '../config';
import { MEMORY_CONNECTION_ID, type Stack } from '../stack';
import { BASELINE_TASK_QUEUE } from '../task-queues';
import { baselineWorkflow } from '../workflows';
import { historyShape } from '../lib/history';
import { runPool } from '../lib/pool';
import { progress } from '../lib/progress';
import { rssBytes } from '../lib/rss';
import { ratio, round } from '../lib/stats';
import { checkoutUrlOf, countWorkflows, startDirect } from '../lib/subscriptions';
import { pollUntil, retrying, sleep } from '../lib/wait';

export interface MemoryLevel {
  open: number;
  workerRssBytes: number;
  apiRssBytes: number;
  /** (worker RSS here − at the previous level) / workflows added: the marginal cost of one more. */
  workerBytesPerWorkflow: number;
  apiBytesPerWorkflow: number;
  seconds: number;
}

export interface IdleRss {
  /** The worker process this kind was measured in. */
  workerPid: number;
  workerRssBytes: number;
  apiRssBytes: number;
}

export interface MemoryResult {
  /** Workflows each worker keeps in its sticky cache; beyond this, open workflows live only on the server. */
  workerMaxCachedWorkflows: number;
  /** Each kind is measured in a worker process of its own, fresh: its resident memory before the first level. */
  idle: { baseline: IdleRss; subscriptions: IdleRss };
  /** Empty workflows parked on a timer (the baseline), then real subscriptions waiting on theirs. */
  baseline: MemoryLevel[];
  subscriptions: MemoryLevel[];
  /** Worker bytes per open subscription / bytes per parked empty workflow, at the largest level. */
  ratio: number;
}

interface Kind {
  name: string;
  running: string;
  start(client: Client, i: number): Promise<void>;
  /** Resolves once workflow i has done its first work and sits on its timer. */
  settled(client: Client, i: number, timeoutMs: number): Promise<void>;
  workflowId(i: number): string;
}

const subscriptions: Kind = {
  name: 'subscriptions',
  running: `WorkflowType='subscriptionWorkflow' AND GatewayConnectionId='${MEMORY_CONNECTION_ID}' AND ExecutionStatus='Running'`,
  // Started with the client (the input the API builds), checkout opened, nobody pays: waits on the authorization window.
  start: (client, i) => startDirect(client, `mem-${i}`, MEMORY_CONNECTION_ID),
  settled: async (client, i, timeoutMs) => void (await checkoutUrlOf(client, `mem-${i}`, timeoutMs)),
  workflowId: (i) => subscriptionWorkflowId(`mem-${i}`),
};

const parked: Kind = {
  name: 'baseline',
  running: "WorkflowType='baselineWorkflow' AND ExecutionStatus='Running'",
  // One empty activity, then a signal that never comes under a one-day timer: the cheapest workflow that is open.
  start: async (client, i) =>
    void (await client.workflow.start(baselineWorkflow, { taskQueue: BASELINE_TASK_QUEUE, workflowId: `mem-baseline-${i}`, args: [{ activities: 1, signals: 1, timers: 1 }] })),
  settled: async (client, i, timeoutMs) => {
    await pollUntil(`mem-baseline-${i} on its timer`, 'memory', timeoutMs, async () => {
      const shape = await retrying(5, () => historyShape(client, `mem-baseline-${i}`));
      return { done: shape.timers > 0, note: `${shape.events} events` };
    });
  },
  workflowId: (i) => `mem-baseline-${i}`,
};

/** Median of three RSS reads, each a second after asking the process for a full GC (gc-on-signal.ts). */
async function settledRss(pid: number): Promise<number> {
  const reads: number[] = [];
  for (let k = 0; k < 3; k++) {
    process.kill(pid, 'SIGUSR2');
    await sleep(1000);
    reads.push(rssBytes(pid));
  }
  return reads.sort((a, b) => a - b)[1]!;
}

/**
 * Resident memory of the worker and API processes as open workflows waiting on timers are added, level by level
 * (1,000 and 10,000 by default): first empty baseline workflows, then real subscriptions. Figures are marginal
 * (RSS growth / workflows added). Each kind runs in a fresh worker process: in one shared process the second kind
 * would start with the first one's cache still full and with the memory its evicted workflows freed (resident, and
 * reused by the allocators), which read as the second kind costing less than it does.
 * Runs first, on an idle stack; its workflows are terminated afterwards, and the worker is replaced once more so the
 * scenarios after it start with an empty cache.
 */
export async function runMemory(stack: Stack, cfg: BenchConfig, timeoutMs: number): Promise<MemoryResult> {
  const measure = async (kind: Kind): Promise<{ idle: IdleRss; levels: MemoryLevel[] }> => {
    const idle = { workerPid: stack.pids.worker, workerRssBytes: await settledRss(stack.pids.worker), apiRssBytes: await settledRss(stack.pids.api) };
    progress('memory', `${kind.name}: idle: worker ${mib(idle.workerRssBytes)}, api ${mib(idle.apiRssBytes)}; worker cache ${stack.workerMaxCachedWorkflows} workflows`);
    let prev = { worker: idle.workerRssBytes, api: idle.apiRssBytes };
    const levels: MemoryLevel[] = [];
    let open = 0;
    for (const level of cfg.memoryLevels) {
      const started = Date.now();
      const from = open;
      await runPool(level - from, cfg.clientConcurrency, async (k) => {
        await kind.start(stack.client, from + k);
        open += 1;
        if (open % 500 === 0) progress('memory', `${kind.name}: ${open}/${level} started`);
      });
      // Starts return at once; wait until the last ones have done their first work and sit on their timer.
      for (let i = Math.max(from, level - 10); i < level; i++) await kind.settled(stack.client, i, timeoutMs);
      await pollUntil(`${kind.name} open`, 'memory', timeoutMs, async () => {
        const running = await countWorkflows(stack.client, kind.running);
        return { done: running >= level, note: `${running}/${level} running` };
      });
      const worker = await settledRss(stack.pids.worker);
      const api = await settledRss(stack.pids.api);
      const added = level - from;
      levels.push({
        open: level,
        workerRssBytes: worker,
        apiRssBytes: api,
        workerBytesPerWorkflow: Math.round((worker - prev.worker) / added),
        apiBytesPerWorkflow: Math.round((api - prev.api) / added),
        seconds: round((Date.now() - started) / 1000, 1),
      });
      progress('memory', `${kind.name}: ${level} open: worker ${mib(worker)}, api ${mib(api)}`);
      prev = { worker, api };
    }
    await terminateAll(stack, cfg, kind, open, timeoutMs);
    progress('memory', `${kind.name}: replacing the worker process`);
    await stack.replaceWorker();
    return { idle, levels };
  };
  const baseline = await measure(parked);
  const subs = await measure(subscriptions);
  const last = <T>(xs: T[]): T | undefined => xs[xs.length - 1];
  return {
    workerMaxCachedWorkflows: stack.workerMaxCachedWorkflows,
    idle: { baseline: baseline.idle, subscriptions: subs.idle },
    baseline: baseline.levels,
    subscriptions: subs.levels,
    ratio: ratio(last(subs.levels)?.workerBytesPerWorkflow ?? 0, last(baseline.levels)?.workerBytesPerWorkflow ?? 0),
  };
}

/** Terminates one kind's workflows so what follows runs on the same, emptier server. */
async function terminateAll(stack: Stack, cfg: BenchConfig, kind: Kind, open: number, timeoutMs: number): Promise<void> {
  progress('memory', `${kind.name}: terminating ${open} open workflows`);
  await runPool(open, cfg.clientConcurrency, (i) => stack.client.workflow.getHandle(kind.workflowId(i)).terminate('bench memory scenario finished'));
  await pollUntil(`${kind.name} terminations visible`, 'memory', timeoutMs, async () => {
    const running = await countWorkflows(stack.client, kind.running);
    return { done: running === 0, note: `${running} still running` };
  });
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
