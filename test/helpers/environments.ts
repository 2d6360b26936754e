import { Runtime, DefaultLogger, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { searchAttributesRequest } from '../../src/temporal/register-search-attributes';
import { workflowBundlerOptions } from '../../src/worker/bundle-options';
import { temporalExecutable } from './temporal-binaries';

let runtimeInstalled = false;
/** Worker and SDK logs at WARN, installed once per process before any worker or server. */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

/** The Java time-skipping server, with Chargeloop's search attributes registered (it knows only its predefined ones). */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalExecutable('test-server') } },
  });
  // The Java server cannot list search attributes, so add them all (it starts with none of them).
  await env.connection.operatorService.addSearchAttributes(searchAttributesRequest(env.namespace ?? 'default'));
  return env;
}

/** A real Temporal CLI dev server (in-memory SQLite) with visibility, for integration tests. */
export async function createDevServerEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalExecutable('cli') },
      searchAttributes: SEARCH_ATTRIBUTES,
    },
  });
}

/** Bundle workflow code once per test file, with the production bundler options (shared modules preloaded). */
export async function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: new DefaultLogger('WARN'),
    ...workflowBundlerOptions(),
  });
}

let queueCounter = 0;
/** A task queue no other test uses, so workers of different tests never steal each other's tasks. */
export const uniqueTaskQueue = (label: string): string => `test-${label}-${process.pid}-${++queueCounter}`;
