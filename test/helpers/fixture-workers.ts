/**
 * Every activity the subscription workflow calls, faked as an always-succeeding gateway with no merchant endpoint,
 * for API tests that run the real workflow (src/workflows) but are not about the gateway.
 */
export const fakeSubscriptionActivities = {
  initializeAuthorization: (input: { reference: string }) =>
    Promise.resolve({ checkoutUrl: `https://checkout.test/pay/${input.reference}`, reference: input.reference }),
  chargeCard: (i: { reference: string; amount: unknown }) =>
    Promise.resolve({ status: 'succeeded', reference: i.reference, gatewayTransactionId: `tx-${i.reference}`, amount: i.amount, paidAt: new Date().toISOString() }),
  verifyCharge: (i: { reference: string }) => Promise.resolve({ status: 'not_found', reference: i.reference }),
  refundCharge: (i: { reference: string; amount: unknown }) => Promise.resolve({ status: 'processed', reference: i.reference, amount: i.amount }),
  notifyMerchant: (e: { id: string }) => Promise.resolve({ eventId: e.id, status: 'skipped', attempt: 1, reason: 'test' }),
};
