import { WEBHOOK_ADAPTERS } from '../../../src/gateways/webhooks';
import { GATEWAYS } from '../../../src/shared/gateway-policy';
import { testConnections } from '../../helpers/gateway-connections';
import { parseConnections } from '../../../src/gateways/connections';

const body = Buffer.from('{"event":"charge.success","data":{"id":1}}');

describe('sign() beside verify() in every webhook adapter', () => {
  const connections = testConnections();
  it.each(GATEWAYS)('%s: what sign() produces verifies, and a tampered body or another secret does not', (gateway) => {
    const adapter = WEBHOOK_ADAPTERS[gateway];
    const connection = connections.get(`${gateway}-test`)!;
    const headers = adapter.sign(body, connection);
    expect(adapter.verify(body, headers, connection)).toBe(true);
    const other = parseConnections({
      x: gateway === 'paystack'
        ? { gateway, mode: 'test', keys: { secretKey: 'sk_test_another_key_000' } }
        : gateway === 'flutterwave'
          ? { gateway, mode: 'test', keys: { publicKey: 'p', secretKey: 's', encryptionKey: 'e', webhookSecretHash: 'another-hash-000000' } }
          : { gateway, mode: 'test', keys: { keyId: 'k', keySecret: 's', webhookSecret: 'another-secret-000000' } },
    }).get('x')!;
    expect(adapter.verify(body, headers, other)).toBe(false);
    // Paystack and Razorpay sign the body; Flutterwave v3's verif-hash does not (its events are verified by API).
    if (gateway !== 'flutterwave') expect(adapter.verify(Buffer.from(`${body.toString()} `), headers, connection)).toBe(false);
  });

  it.each([
    ['paystack', { secretKey: 'sk_test_new_key_0000001', previousSecretKey: 'sk_test_old_key_0000001' }, { secretKey: 'sk_test_old_key_0000001' }],
    ['flutterwave', { publicKey: 'p', secretKey: 's', encryptionKey: 'e', webhookSecretHash: 'flw-new-hash-000001', previousWebhookSecretHash: 'flw-old-hash-000001' }, { publicKey: 'p', secretKey: 's', encryptionKey: 'e', webhookSecretHash: 'flw-old-hash-000001' }],
    ['razorpay', { keyId: 'k', keySecret: 's', webhookSecret: 'rzp-new-secret-00001', previousWebhookSecret: 'rzp-old-secret-00001' }, { keyId: 'k', keySecret: 's', webhookSecret: 'rzp-old-secret-00001' }],
  ] as const)('%s: during rotation a webhook signed with the previous secret still verifies', (gateway, rotating, old) => {
    const adapter = WEBHOOK_ADAPTERS[gateway];
    const now = parseConnections({ c: { gateway, mode: 'live', keys: rotating } }).get('c')!;
    const before = parseConnections({ c: { gateway, mode: 'live', keys: old } }).get('c')!;
    expect(adapter.verify(body, adapter.sign(body, before), now)).toBe(true);
    expect(adapter.verify(body, adapter.sign(body, now), now)).toBe(true);
    expect(adapter.verify(body, adapter.sign(body, now), before)).toBe(false);
  });
});
