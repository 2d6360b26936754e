import { merchantEndpointOf } from '../../src/worker/activities';

describe('merchantEndpointOf (the worker wiring of the merchant endpoint)', () => {
  const secret = `whsec_${Buffer.from('0123456789abcdef').toString('base64')}`;

  it('is the configured URL and secret', () => {
    expect(merchantEndpointOf({ MERCHANT_WEBHOOK_URL: 'https://merchant.example/hooks', MERCHANT_WEBHOOK_SECRET: secret })).toEqual({ url: 'https://merchant.example/hooks', secret });
  });

  it('is undefined without a URL, so events are recorded and skipped', () => {
    expect(merchantEndpointOf({ MERCHANT_WEBHOOK_URL: '', MERCHANT_WEBHOOK_SECRET: secret })).toBeUndefined();
    expect(merchantEndpointOf({ MERCHANT_WEBHOOK_URL: '', MERCHANT_WEBHOOK_SECRET: undefined })).toBeUndefined();
  });
});
