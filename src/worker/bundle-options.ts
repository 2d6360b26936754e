import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SHARED_DIR = join(__dirname, '..', 'shared');
const WORKFLOWS_DIR = join(__dirname, '..', 'workflows');

const sourceModules = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => join(dir, f));

/**
 * Every module of src/shared, the contract module that workflows, activities and the API import.
 *
 * Why: with the SDK's reusable V8 context each workflow evaluates the bundle's modules for itself, so every cached
 * subscription rebuilt all the zod schemas of src/shared (~1 MiB of heap per workflow, measured with
 * bench/tools/module-cost.ts). `preloadModules` evaluates these once into the context that all workflows share, and
 * the SDK deep-freezes them. That is only safe because src/shared keeps no per-workflow state: no module-level `let`,
 * no mutable collections (test/unit/shared-stateless.test.ts holds it to that).
 * Preloading `zod` by name does nothing: the workflow code imports zod's ESM build, `require('zod')` its CJS one.
 */
export function sharedContractModules(): string[] {
  return sourceModules(SHARED_DIR);
}

/**
 * Every module of src/workflows. They were evaluated once per workflow too: ~46 KiB of closures, contexts, feedback
 * vectors and hidden classes per cached subscription for 30 modules (module-cost.ts), a third of its heap. Their
 * module scope only declares functions, classes and constants (all per-workflow state lives in the objects
 * `subscriptionWorkflow` creates), and it calls no workflow API that needs a running workflow (`proxyActivities`
 * only builds a proxy), so it can run once before any activator exists. The same stateless rule applies.
 */
export function workflowModules(): string[] {
  return sourceModules(WORKFLOWS_DIR);
}

/** The bundler options of every workflow bundle Chargeloop builds: the worker's, the prebuilt image's, the tests'. */
export function workflowBundlerOptions(): { preloadModules: string[] } {
  return { preloadModules: [...sharedContractModules(), ...workflowModules()] };
}
