import { createGatewayClient } from '../../../src/gateways/client';
import { payAtCheckout, startSandboxHarness, type SandboxHarness } from '../../helpers/gateway-sandbox';

const customer = { id: 'cus_w', email: 'w@example.com', firstName: 'W', lastName: 'X' };

async function paystackAuthorization(h: SandboxHarness, subscriptionId: string): Promise<void> {
  const client = createGatewayClient(h.connections.get('paystack-test')!);
  const init = await client.initializeAuthorization({ gateway: 'paystack', connectionId: 'paystack-test', subscriptionId, customer, amount: { amount: 5000, currency: 'NGN' }, reference: `${subscriptionId}-auth1`, isFirstInvoice: false });
  expect((await payAtCheckout(init.checkoutUrl, '4084084084084081')).html).toContain('Payment successful');
}

describe('sandbox webhook delivery', () => {
  it('Temporal down → 503 → the sandbox redelivers on Paystack\'s schedule → applied once Temporal is back', async () => {
    let temporalUp = false;
    const h = await startSandboxHarness({ beforeSignal: () => (temporalUp ? Promise.resolve() : Promise.reject(new Error('14 UNAVAILABLE'))) });
    try {
      await paystackAuthorization(h, 'wh-down');
      // Wait for the first attempt to fail, then "restart" Temporal; the retry (1 h × timeScale) must land.
      while (h.sandbox.sender.deliveries.length === 0) await new Promise((r) => setTimeout(r, 5));
      expect(h.sandbox.sender.deliveries[0]).toEqual(expect.objectContaining({ attempt: 1, status: 503 }));
      expect(h.signals).toHaveLength(0);
      temporalUp = true;
      await h.sandbox.sender.idle();
      expect(h.sandbox.sender.deliveries.map((d) => [d.attempt, d.status])).toEqual([
        [1, 503],
        [2, 200],
      ]);
      expect(h.signals.map((s) => s.event.reference)).toEqual(['wh-down-auth1']);
    } finally {
      await h.close();
    }
  });

  it('duplicate deliveries are acknowledged and signalled once', async () => {
    const h = await startSandboxHarness({ duplicateProbability: 1 });
    try {
      await paystackAuthorization(h, 'wh-dup');
      await h.sandbox.sender.idle();
      expect(h.sandbox.sender.deliveries.map((d) => [d.duplicate, d.status])).toEqual([
        [false, 200],
        [true, 200],
      ]);
      expect(h.signals).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('a secret hash that differs from the dashboard\'s → 401 on every attempt, Flutterwave retries 3 times, nothing signalled', async () => {
    const h = await startSandboxHarness({
      receiverOverrides: {
        'flutterwave-test': { gateway: 'flutterwave', mode: 'test', keys: { publicKey: 'p', secretKey: 's', encryptionKey: 'e', webhookSecretHash: 'not-the-dashboard-hash' } },
      },
    });
    try {
      const client = createGatewayClient(h.connections.get('flutterwave-test')!);
      const init = await client.initializeAuthorization({ gateway: 'flutterwave', connectionId: 'flutterwave-test', subscriptionId: 'wh-401', customer, amount: { amount: 10_000, currency: 'NGN' }, reference: 'wh-401-auth1', isFirstInvoice: true });
      await payAtCheckout(init.checkoutUrl, '4084084084084081');
      await h.sandbox.sender.idle();
      expect(h.sandbox.sender.deliveries.map((d) => [d.attempt, d.status])).toEqual([
        [1, 401],
        [2, 401],
        [3, 401],
        [4, 401],
      ]);
      expect(h.signals).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});
