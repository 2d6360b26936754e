import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseConnections, type GatewayConnections } from '../../src/gateways/connections';

/** Test secrets, only ever used against the local sandbox or in-process routers. */
export const TEST_SECRETS = {
  paystackSecretKey: 'sk_test_chargeloop_paystack_0001',
  flutterwaveSecretHash: 'flw-test-secret-hash-0001',
  razorpayWebhookSecret: 'rzp_whsec_current_0001',
  razorpayPreviousWebhookSecret: 'rzp_whsec_previous_0000',
};

export function testConnections(baseUrl?: string, overrides: Record<string, unknown> = {}): GatewayConnections {
  return parseConnections({ ...testConnectionEntries(baseUrl), ...overrides });
}

/** The `<gateway>-test` connections as configured (before parsing), to derive variants from. */
export function testConnectionEntries(baseUrl?: string): Record<string, Record<string, unknown>> {
  const at = (path: string) => (baseUrl ? { baseUrl: `${baseUrl}${path}` } : {});
  return {
    'paystack-test': { gateway: 'paystack', mode: 'test', ...at('/paystack'), keys: { secretKey: TEST_SECRETS.paystackSecretKey, subaccountCode: 'ACCT_test' } },
    'flutterwave-test': {
      gateway: 'flutterwave',
      mode: 'test',
      ...at('/flutterwave/v3'),
      keys: { publicKey: 'FLWPUBK_TEST-0001', secretKey: 'FLWSECK_TEST-0001', encryptionKey: 'FLWENC_TEST0001', webhookSecretHash: TEST_SECRETS.flutterwaveSecretHash },
    },
    'razorpay-test': {
      gateway: 'razorpay',
      mode: 'test',
      ...at('/razorpay/v1'),
      keys: { keyId: 'rzp_test_0001', keySecret: 'rzp_test_secret_0001', webhookSecret: TEST_SECRETS.razorpayWebhookSecret, previousWebhookSecret: TEST_SECRETS.razorpayPreviousWebhookSecret },
    },
  };
}

/**
 * The connections `npm run dev` uses (sandbox/connections.json: `paystack-sandbox`, `flutterwave-sandbox`,
 * `razorpay-sandbox`), re-pointed from the sandbox's default address to `baseUrl` when one is given.
 */
export function sandboxConnections(baseUrl?: string): GatewayConnections {
  const file = readFileSync(resolve(__dirname, '../../sandbox/connections.json'), 'utf8');
  const raw = JSON.parse(file) as Record<string, { baseUrl?: string }>;
  if (baseUrl) for (const c of Object.values(raw)) if (c.baseUrl) c.baseUrl = baseUrl + new URL(c.baseUrl).pathname;
  return parseConnections(raw);
}
