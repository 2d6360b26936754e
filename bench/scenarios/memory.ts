import { subscriptionWorkflowId } from '../../src/shared/ids';
import type { BenchConfig } from '../config';
import { MEMORY_CONNECTION_ID, type Stack } from '../stack';
import { runPool } from '../lib/pool';
import { progress } from '../lib/progress';
import { rssBytes } from '../lib/rss';
import { round } from '../lib/stats';
import { checkoutUrlOf, countWorkflows, startDirect } from '../lib/subscriptions';
import { pollUntil, sleep } from '../lib/wait';

export interface MemoryLevel {
  openSubscriptions: number;
  workerRssBytes: number;
  apiRssBytes: number;
  /** (worker RSS here − at the previous level) / subscriptions added: the marginal cost of one more. */
  workerBytesPerSubscription: number;
  apiBytesPerSubscription: number;
  seconds: number;
}

export interface MemoryResult {
  /** Workflows the worker keeps in its sticky cache; beyond this, open subscriptions live only on the server. */
  workerMaxCachedWorkflows: number;
  idleWorkerRssBytes: number;
  idleApiRssBytes: number;
  levels: MemoryLevel[];
}

const runningQuery = `WorkflowType='subscriptionWorkflow' AND GatewayConnectionId='${MEMORY_CONNECTION_ID}' AND ExecutionStatus='Running'`;
const id = (i: number): string => `mem-${i}`;

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
 * Resident memory of the worker and API processes with 1,000 and 10,000 (configurable) open subscriptions, each
 * waiting on a timer (the authorization window: started with the client, checkout opened, nobody pays). Runs first,
 * on an idle stack, so the levels are not mixed with other scenarios' workflows; its workflows are terminated after.
 */
export async function runMemory(stack: Stack, cfg: BenchConfig, timeoutMs: number): Promise<MemoryResult> {
  const { client, pids } = stack;
  const idleWorker = await settledRss(pids.worker);
  const idleApi = await settledRss(pids.api);
  progress('memory', `idle: worker ${mib(idleWorker)}, api ${mib(idleApi)}`);
  const levels: MemoryLevel[] = [];
  let open = 0;
  let prev = { worker: idleWorker, api: idleApi, open: 0 };
  for (const level of cfg.memoryLevels) {
    const started = Date.now();
    const from = open;
    await runPool(level - from, cfg.clientConcurrency, async (k) => {
      await startDirect(client, id(from + k), MEMORY_CONNECTION_ID);
      open += 1;
      if (open % 500 === 0) progress('memory', `${open}/${level} started`);
    });
    // Every start is accepted; wait until the last ones have opened their checkout and sit on their timer.
    for (let i = Math.max(from, level - 10); i < level; i++) await checkoutUrlOf(client, id(i), timeoutMs);
    await pollUntil('open subscriptions', 'memory', timeoutMs, async () => {
      const running = await countWorkflows(client, runningQuery);
      return { done: running >= level, note: `${running}/${level} running` };
    });
    const worker = await settledRss(pids.worker);
    const api = await settledRss(pids.api);
    const added = level - prev.open;
    levels.push({
      openSubscriptions: level,
      workerRssBytes: worker,
      apiRssBytes: api,
      workerBytesPerSubscription: Math.round((worker - prev.worker) / added),
      apiBytesPerSubscription: Math.round((api - prev.api) / added),
      seconds: round((Date.now() - started) / 1000, 1),
    });
    progress('memory', `${level} open: worker ${mib(worker)}, api ${mib(api)}`);
    prev = { worker, api, open: level };
  }
  await cleanUp(stack, cfg, open, timeoutMs);
  return { workerMaxCachedWorkflows: stack.workerMaxCachedWorkflows, idleWorkerRssBytes: idleWorker, idleApiRssBytes: idleApi, levels };
}

/** Terminates the memory scenario's workflows so later scenarios run on the same, emptier server. */
async function cleanUp(stack: Stack, cfg: BenchConfig, open: number, timeoutMs: number): Promise<void> {
  progress('memory', `terminating ${open} open subscriptions`);
  await runPool(open, cfg.clientConcurrency, async (i) => {
    await stack.client.workflow.getHandle(subscriptionWorkflowId(id(i))).terminate('bench memory scenario finished');
  });
  await pollUntil('terminations visible', 'memory', timeoutMs, async () => {
    const running = await countWorkflows(stack.client, runningQuery);
    return { done: running === 0, note: `${running} still running` };
  });
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
