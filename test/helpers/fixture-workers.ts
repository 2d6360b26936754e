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

/**
 * Every activity the subscription workflow calls, faked as an always-succeeding gateway with no merchant endpoint.
 * With these, the API tests also run against the real workflow (src/workflows) instead of the stand-in: pass
 * `workflowBundle: await bundleWorkflows(), activities: fakeSubscriptionActivities` to the worker.
 */
export const fakeSubscriptionActivities = {
  ...fakeCheckout,
  chargeCard: (i: { reference: string; amount: unknown }) =>
    Promise.resolve({ status: 'succeeded', reference: i.reference, gatewayTransactionId: `tx-${i.reference}`, amount: i.amount, paidAt: new Date().toISOString() }),
  verifyCharge: (i: { reference: string }) => Promise.resolve({ status: 'not_found', reference: i.reference }),
  refundCharge: (i: { reference: string; amount: unknown }) => Promise.resolve({ status: 'processed', reference: i.reference, amount: i.amount }),
  notifyMerchant: (e: { id: string }) => Promise.resolve({ eventId: e.id, status: 'skipped', attempt: 1, reason: 'test' }),
};
