import vm from 'node:vm';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { workflowBundlerOptions } from '../../src/worker/bundle-options';

/**
 * Heap cost of the modules each workflow evaluates for itself, without a server:
 *   node --expose-gc --import tsx bench/tools/module-cost.ts [--no-preload]
 *
 * It loads the workflow bundle into one V8 context the way the SDK's reusable-context executor does (a module cache
 * routed through `__webpack_module_cache__`: preloaded modules in a shared map, the rest in a map per workflow),
 * then imports the workflows N times with a fresh per-workflow map each time and keeps every result alive, as the
 * sticky cache does. (heap after − heap before) / N is what each cached workflow pays for module evaluation alone.
 */
async function main(): Promise<void> {
  const preload = !process.argv.includes('--no-preload');
  const n = 300;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: new DefaultLogger('WARN'),
    ...(preload ? workflowBundlerOptions() : {}),
  });
  const context = vm.createContext({});
  const shared = new Map<string | symbol, unknown>();
  let perWorkflow: Map<string | symbol, unknown> | undefined;
  const moduleCache = new Proxy(
    {},
    {
      get: (_, id) => shared.get(id) ?? perWorkflow?.get(id),
      set: (_, id, value) => {
        (perWorkflow ?? shared).set(id, value);
        return true;
      },
    },
  );
  Object.defineProperty(context, '__webpack_module_cache__', { value: moduleCache });
  vm.runInContext(code, context);
  vm.runInContext('__TEMPORAL__.preloadModules?.()', context);
  const kept: unknown[] = [];
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i += 1) {
    perWorkflow = new Map();
    kept.push(vm.runInContext('__TEMPORAL__.importWorkflows()', context), perWorkflow);
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  console.log(
    JSON.stringify({
      preload,
      sharedModules: shared.size,
      modulesPerWorkflow: perWorkflow?.size,
      kibPerWorkflow: Number(((after - before) / n / 1024).toFixed(1)),
      workflows: kept.length / 2,
    }),
  );
}

void main();
