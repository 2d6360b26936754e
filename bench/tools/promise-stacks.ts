import { ReusableVMWorkflowCreator } from '@temporalio/worker/lib/workflow/reusable-vm';

interface StackTrace {
  formatted: string;
  structured: readonly object[];
}
interface CachedWorkflow {
  activator: { info: { taskQueue: string }; promiseStackStore: { promiseToStack: Map<unknown, StackTrace>; childToParent: Map<unknown, Set<unknown>> } };
}

/** What the SDK's promise hooks hold for the cached workflows of one task queue, per workflow (debug mode only). */
export interface PromiseStackCensus {
  workflows: number;
  pendingPromises: number;
  parentLinks: number;
  stackChars: number;
  structuredFrames: number;
  /** Distinct stacks of one workflow with how many of its pending promises share each, most frequent first. */
  sample: { count: number; stack: string }[];
  /** What the `__stack_trace` query answers for that workflow: the stacks of promises no other one derives from. */
  query: string[];
}

/**
 * Reads `promiseStackStore` from every workflow the debug-mode worker caches (the SDK's reusable-context creator keeps
 * them in a static map by run id): each pending promise created in workflow context keeps a formatted, source-mapped
 * stack string and a structured copy of it until it settles, which is what an operator's stack-trace query shows.
 */
export function promiseStackCensus(taskQueue: string): PromiseStackCensus {
  const byRunId = (ReusableVMWorkflowCreator as unknown as { workflowByRunId: Map<string, CachedWorkflow> }).workflowByRunId;
  const mine = [...byRunId.values()].filter((w) => w.activator.info.taskQueue === taskQueue);
  const per = (x: number): number => Number((x / Math.max(1, mine.length)).toFixed(1));
  let pendingPromises = 0;
  let parentLinks = 0;
  let stackChars = 0;
  let structuredFrames = 0;
  for (const { activator } of mine) {
    const { promiseToStack, childToParent } = activator.promiseStackStore;
    pendingPromises += promiseToStack.size;
    for (const parents of childToParent.values()) parentLinks += parents.size;
    for (const s of promiseToStack.values()) {
      stackChars += s.formatted.length;
      structuredFrames += s.structured.length;
    }
  }
  const counts = new Map<string, number>();
  for (const s of mine[0]?.activator.promiseStackStore.promiseToStack.values() ?? []) counts.set(s.formatted, (counts.get(s.formatted) ?? 0) + 1);
  const store = mine[0]?.activator.promiseStackStore;
  const parents = new Set([...(store?.childToParent.values() ?? [])].flatMap((ps) => [...ps]));
  const leaves = [...(store?.childToParent.keys() ?? [])].filter((p) => !parents.has(p)).map((p) => store?.promiseToStack.get(p)?.formatted ?? '');
  const query = [...new Set(leaves)].filter((f) => f !== '' && f.trim() !== 'at Promise.then (<anonymous>)');
  const sample = [...counts].map(([stack, count]) => ({ count, stack })).sort((a, b) => b.count - a.count);
  return { workflows: mine.length, pendingPromises: per(pendingPromises), parentLinks: per(parentLinks), stackChars: per(stackChars), structuredFrames: per(structuredFrames), sample, query };
}
