import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/** Bundle of the test-only fixture workflows (test/fixtures/workflows), for workers in API and notify tests. */
export async function bundleFixtureWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: require.resolve('../fixtures/workflows'), logger: new DefaultLogger('WARN') });
}

/** The fixture's initializeAuthorization: a deterministic checkout URL per reference, as a gateway would return. */
export const fakeCheckout = {
  initializeAuthorization: (input: { reference: string }) =>
    Promise.resolve({ checkoutUrl: `https://checkout.test/pay/${input.reference}`, reference: input.reference }),
};
