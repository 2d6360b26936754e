import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionConfigError, currenciesOf, loadConnections, parseConnections, publicConnectionView } from '../../../src/gateways/connections';
import { TEST_SECRETS, testConnections } from '../../helpers/gateway-connections';

describe('gateway connections', () => {
  it('defaults refundsEnabled from the policy: Flutterwave off, Paystack and Razorpay on', () => {
    const c = testConnections();
    expect(c.get('flutterwave-test')?.flags.refundsEnabled).toBe(false);
    expect(c.get('paystack-test')?.flags.refundsEnabled).toBe(true);
    expect(c.get('razorpay-test')?.flags.refundsEnabled).toBe(true);
  });

  it('names the bad field without echoing any value', () => {
    const attempt = () =>
      parseConnections({ 'rzp-live': { gateway: 'razorpay', mode: 'live', keys: { keyId: 'rzp_live_x', keySecret: 'TOPSECRET', webhookSecret: '' } } });
    expect(attempt).toThrow(ConnectionConfigError);
    expect(attempt).toThrow(/rzp-live\.keys\.webhookSecret/);
    expect(attempt).not.toThrow(/TOPSECRET/);
  });

  it('rejects unknown keys and bad ids', () => {
    expect(() => parseConnections({ 'Bad Id': { gateway: 'paystack', mode: 'test', keys: { secretKey: 'x' } } })).toThrow(/Bad Id/);
    expect(() => parseConnections({ ps: { gateway: 'paystack', mode: 'test', keys: { secretKey: 'x', typo: 'y' } } })).toThrow(/ps\.keys/);
  });

  it('loads inline JSON first, then a file, and fails fast when neither is set', () => {
    const json = JSON.stringify({ ps: { gateway: 'paystack', mode: 'test', keys: { secretKey: 'sk_test_12345678' } } });
    expect([...loadConnections({ GATEWAY_CONNECTIONS: json }).keys()]).toEqual(['ps']);
    const dir = mkdtempSync(join(tmpdir(), 'conn-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ fw: { gateway: 'flutterwave', mode: 'test', keys: { publicKey: 'a', secretKey: 'b', encryptionKey: 'c', webhookSecretHash: 'flw-hash-0123456789' } } }));
    expect([...loadConnections({ GATEWAY_CONNECTIONS_FILE: file }).keys()]).toEqual(['fw']);
    expect(() => loadConnections({})).toThrow(/GATEWAY_CONNECTIONS/);
    expect(() => loadConnections({ GATEWAY_CONNECTIONS: '{"ps": sk_live_oops' })).toThrow(/not valid JSON/);
    expect(() => loadConnections({ GATEWAY_CONNECTIONS: '{"ps": sk_live_oops' })).not.toThrow(/sk_live_oops/);
  });

  it('Paystack USD only with international payments', () => {
    expect(currenciesOf(testConnections().get('paystack-test')!)).not.toContain('USD');
    const intl = parseConnections({ ps: { gateway: 'paystack', mode: 'live', keys: { secretKey: 'sk_live_0123456789' }, flags: { internationalPayments: true } } });
    expect(currenciesOf(intl.get('ps')!)).toEqual(['NGN', 'GHS', 'ZAR', 'KES', 'USD']);
  });

  it.each([
    ['razorpay', 'keys.webhookSecret', { keyId: 'rzp_live_x', keySecret: 'TOPSECRET', webhookSecret: ' ' }, /must not contain whitespace/],
    ['razorpay', 'keys.previousWebhookSecret', { keyId: 'rzp_live_x', keySecret: 'TOPSECRET', webhookSecret: 'rzp_whsec_0123456789', previousWebhookSecret: 'short' }, /at least 16 characters/],
    ['flutterwave', 'keys.webhookSecretHash', { publicKey: 'a', secretKey: 'b', encryptionKey: 'c', webhookSecretHash: 'flw hash with spaces' }, /must not contain whitespace/],
    ['flutterwave', 'keys.previousWebhookSecretHash', { publicKey: 'a', secretKey: 'b', encryptionKey: 'c', webhookSecretHash: 'flw-hash-0123456789', previousWebhookSecretHash: 'x' }, /at least 16/],
    ['paystack', 'keys.secretKey', { secretKey: ' ' }, /must not contain whitespace/],
    ['paystack', 'keys.previousSecretKey', { secretKey: 'sk_test_12345678', previousSecretKey: 'sk_test_1\n' }, /whitespace/],
  ])('a %s webhook secret is refused at load, naming the field (%s)', (gateway, field, keys, message) => {
    const attempt = () => parseConnections({ c1: { gateway, mode: 'live', keys } });
    expect(attempt).toThrow(new RegExp(`c1\\.${field.replace('.', '\\.')}: .*`));
    expect(attempt).toThrow(message);
  });

  it('public view lists key names, never values', () => {
    const view = publicConnectionView(testConnections().get('razorpay-test')!);
    const text = JSON.stringify(view);
    for (const secret of Object.values(TEST_SECRETS)) expect(text).not.toContain(secret);
    expect(text).not.toContain('rzp_test_secret_0001');
    expect(view.keys).toEqual({ keyId: 'set', keySecret: 'set', webhookSecret: 'set', previousWebhookSecret: 'set' });
    expect(view.baseUrl).toBe('https://api.razorpay.com/v1');
  });
});
