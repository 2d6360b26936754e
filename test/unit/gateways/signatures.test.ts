import { createHmac } from 'node:crypto';
import { validateWebhookSignature } from 'razorpay/dist/utils/razorpay-utils';
import * as flutterwave from '../../../src/gateways/flutterwave/webhook';
import * as paystack from '../../../src/gateways/paystack/webhook';
import * as razorpay from '../../../src/gateways/razorpay/webhook';
import { TEST_SECRETS, testConnections } from '../../helpers/gateway-connections';

const connections = testConnections();
const ps = connections.get('paystack-test')!;
const fw = connections.get('flutterwave-test')!;
const rzp = connections.get('razorpay-test')!;
const body = Buffer.from('{"event":"charge.success","data":{"id":1,"reference":"sub-1-c1-a1","amount":500000}}');
const tampered = Buffer.from(body.toString().replace('500000', '500001'));

describe('Paystack x-paystack-signature (HMAC-SHA512 hex, keyed by the secret key)', () => {
  // Vector computed independently of the code under test.
  const sig = createHmac('sha512', TEST_SECRETS.paystackSecretKey).update(body).digest('hex');

  it('accepts the right signature', () => expect(paystack.verify(body, { 'x-paystack-signature': sig }, ps)).toBe(true));
  it('accepts an upper-case hex signature', () => expect(paystack.verify(body, { 'x-paystack-signature': sig.toUpperCase() }, ps)).toBe(true));
  it('rejects a tampered body', () => expect(paystack.verify(tampered, { 'x-paystack-signature': sig }, ps)).toBe(false));
  it('rejects a wrong secret', () => {
    const wrong = createHmac('sha512', 'sk_test_other').update(body).digest('hex');
    expect(paystack.verify(body, { 'x-paystack-signature': wrong }, ps)).toBe(false);
  });
  it('rejects a missing header', () => expect(paystack.verify(body, {}, ps)).toBe(false));
  it('rejects a SHA-256 signature of the right key', () => {
    const sha256 = createHmac('sha256', TEST_SECRETS.paystackSecretKey).update(body).digest('hex');
    expect(paystack.verify(body, { 'x-paystack-signature': sha256 }, ps)).toBe(false);
  });
  it('rejects another gateway connection', () => expect(paystack.verify(body, { 'x-paystack-signature': sig }, rzp)).toBe(false));
});

describe('Flutterwave verif-hash / flutterwave-signature', () => {
  const hash = TEST_SECRETS.flutterwaveSecretHash;
  const hmac = createHmac('sha256', hash).update(body).digest('base64');

  it('accepts verif-hash equal to the secret hash', () => expect(flutterwave.verify(body, { 'verif-hash': hash }, fw)).toBe(true));
  it('rejects a wrong verif-hash', () => expect(flutterwave.verify(body, { 'verif-hash': 'flw-test-secret-hash-0002' }, fw)).toBe(false));
  it('accepts flutterwave-signature as base64 HMAC-SHA256 of the raw body', () => expect(flutterwave.verify(body, { 'flutterwave-signature': hmac }, fw)).toBe(true));
  it('rejects that HMAC over a tampered body', () => expect(flutterwave.verify(tampered, { 'flutterwave-signature': hmac }, fw)).toBe(false));
  it('accepts flutterwave-signature equal to the hash (documented plain form)', () => expect(flutterwave.verify(body, { 'flutterwave-signature': hash }, fw)).toBe(true));
  it('rejects an HMAC keyed by another hash', () => {
    const wrong = createHmac('sha256', 'other').update(body).digest('base64');
    expect(flutterwave.verify(body, { 'flutterwave-signature': wrong }, fw)).toBe(false);
  });
  it('rejects missing headers', () => expect(flutterwave.verify(body, {}, fw)).toBe(false));
});

describe('Razorpay X-Razorpay-Signature (HMAC-SHA256 hex with the webhook secret)', () => {
  const sig = createHmac('sha256', TEST_SECRETS.razorpayWebhookSecret).update(body).digest('hex');
  const previous = createHmac('sha256', TEST_SECRETS.razorpayPreviousWebhookSecret).update(body).digest('hex');

  it('accepts the right signature, and the official SDK agrees', () => {
    expect(razorpay.verify(body, { 'x-razorpay-signature': sig }, rzp)).toBe(true);
    expect(validateWebhookSignature(body.toString(), sig, TEST_SECRETS.razorpayWebhookSecret)).toBe(true);
  });
  it('accepts the previous secret during rotation, and only while it is configured', () => {
    expect(razorpay.verify(body, { 'x-razorpay-signature': previous }, rzp)).toBe(true);
    expect(validateWebhookSignature(body.toString(), previous, TEST_SECRETS.razorpayPreviousWebhookSecret)).toBe(true);
    const rotated = testConnections(undefined, {
      'razorpay-test': { gateway: 'razorpay', mode: 'test', keys: { keyId: 'k', keySecret: 's', webhookSecret: TEST_SECRETS.razorpayWebhookSecret } },
    }).get('razorpay-test')!;
    expect(razorpay.verify(body, { 'x-razorpay-signature': previous }, rotated)).toBe(false);
  });
  it('rejects a tampered body, as the official SDK does', () => {
    expect(razorpay.verify(tampered, { 'x-razorpay-signature': sig }, rzp)).toBe(false);
    expect(validateWebhookSignature(tampered.toString(), sig, TEST_SECRETS.razorpayWebhookSecret)).toBe(false);
  });
  it('rejects a signature made with the API key secret instead of the webhook secret', () => {
    const wrong = createHmac('sha256', 'rzp_test_secret_0001').update(body).digest('hex');
    expect(razorpay.verify(body, { 'x-razorpay-signature': wrong }, rzp)).toBe(false);
  });
  it('rejects a missing header', () => expect(razorpay.verify(body, {}, rzp)).toBe(false));
});
