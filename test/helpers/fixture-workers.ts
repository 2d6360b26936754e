import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** Bundle of the test-only fixture workflows (test/fixtures/workflows: deliverEvents), for the notify tests' workers. */
export async function bundleFixtureWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: require.resolve('../fixtures/workflows'), logger: new DefaultLogger('WARN') });
}
