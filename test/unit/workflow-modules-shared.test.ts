import vm from 'node:vm';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { workflowBundlerOptions } from '../../src/worker/bundle-options';

/**
 * What each cached workflow evaluates for itself. The SDK's reusable V8 context routes webpack's module cache through
 * `__webpack_module_cache__`: modules loaded before any workflow exists (the preloaded ones) go to one shared map, the
 * rest to a map per workflow (reusable-vm.js). Rebuilt here the same way, so a src module that drops out of the
 * preload list (or a new directory the workflows import) shows up as per-workflow memory: ~1.5 KiB per module per
 * cached subscription, 46 KiB for src/workflows when it was not preloaded (bench/tools/module-cost.ts).
 */
describe('the workflow bundle with the production bundler options', () => {
  it('evaluates no Chargeloop module per workflow', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: new DefaultLogger('WARN'), ...workflowBundlerOptions() });
    const shared = new Map<string | symbol, unknown>();
    const perWorkflow = new Map<string | symbol, unknown>();
    let workflowLoading = false;
    const context = vm.createContext({});
    Object.defineProperty(context, '__webpack_module_cache__', {
      value: new Proxy(
        {},
        {
          get: (_, id) => shared.get(id) ?? (workflowLoading ? perWorkflow.get(id) : undefined),
          set: (_, id, value) => {
            (workflowLoading ? perWorkflow : shared).set(id, value);
            return true;
          },
        },
      ),
    });
    vm.runInContext(code, context);
    vm.runInContext('__TEMPORAL__.preloadModules()', context);
    workflowLoading = true;
    const workflows = vm.runInContext('__TEMPORAL__.importWorkflows()', context) as Record<string, unknown>;

    expect(typeof workflows.subscriptionWorkflow).toBe('function');
    expect([...perWorkflow.keys()].map(String).filter((id) => id.includes('/src/'))).toEqual([]);
    expect([...shared.keys()].map(String)).toEqual(expect.arrayContaining(['./src/workflows/subscription.ts', './src/shared/schemas.ts']));
  }, 60_000);
});
