import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SHARED_DIR = join(__dirname, '..', 'shared');

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
  return readdirSync(SHARED_DIR)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => join(SHARED_DIR, f));
}

/** The bundler options of every workflow bundle Chargeloop builds: the worker's, the prebuilt image's, the tests'. */
export function workflowBundlerOptions(): { preloadModules: string[] } {
  return { preloadModules: sharedContractModules() };
}
