import { Runtime, DefaultLogger, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES, SEARCH_ATTRIBUTE_CLI_TYPES } from '../../src/shared/search-attributes';
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
  const { IndexedValueType } = temporal.api.enums.v1;
  const types = { Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME } as const;
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      Object.entries(SEARCH_ATTRIBUTE_CLI_TYPES).map(([name, type]) => [name, types[type as keyof typeof types]]),
    ),
  });
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

/** Bundle workflow code once per test file; workers take the bundle instead of re-running webpack. */
export async function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: new DefaultLogger('WARN') });
}

let queueCounter = 0;
/** A task queue no other test uses, so workers of different tests never steal each other's tasks. */
export const uniqueTaskQueue = (label: string): string => `test-${label}-${process.pid}-${++queueCounter}`;
