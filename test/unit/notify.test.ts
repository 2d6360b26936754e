import { Webhook } from 'standardwebhooks';
import { ApplicationFailure } from '@temporalio/common';
import { createNotifyActivities } from '../../src/activities/notify';
import { NotifyErrors, type MerchantEvent } from '../../src/shared/merchant-events';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const URL_WITH_TOKEN = 'https://merchant.example/hooks?token=tok_abc';
const event: MerchantEvent = {
  id: 'sub-1-4', type: 'invoice.paid', sequence: 4, subscriptionId: 'sub-1', customerId: 'cus_1',
  occurredAt: '2026-02-28T09:00:00.000Z', status: 'active', data: { cycle: 2, amount: { amount: 500000, currency: 'NGN' } },
};

type Call = { url: string; init: RequestInit };
const fakeFetch = (response: () => Response | Promise<Response>) => {
  const calls: Call[] = [];
  const fn = ((url: string, init: RequestInit) => (calls.push({ url, init }), Promise.resolve(response()))) as unknown as typeof fetch;
  return { fn, calls };
};

describe('notifyMerchant (called directly)', () => {
  it('POSTs the event signed per Standard Webhooks with its stable id', async () => {
    const { fn, calls } = fakeFetch(() => new Response(null, { status: 200 }));
    const { notifyMerchant } = createNotifyActivities({ endpoint: { url: URL_WITH_TOKEN, secret: SECRET }, fetch: fn });
    await expect(notifyMerchant(event)).resolves.toEqual({ eventId: 'sub-1-4', status: 'delivered', attempt: 1, httpStatus: 200 });
    const [call] = calls;
    const headers = call!.init.headers as Record<string, string>;
    expect(headers['webhook-id']).toBe('sub-1-4');
    expect(new Webhook(SECRET).verify(call!.init.body as string, headers)).toEqual(event);
  });

  it('throws a retryable failure on non-2xx, honouring Retry-After, without the secret or the URL token', async () => {
    const { fn } = fakeFetch(() => new Response('busy', { status: 429, headers: { 'retry-after': '120' } }));
    const { notifyMerchant } = createNotifyActivities({ endpoint: { url: URL_WITH_TOKEN, secret: SECRET }, fetch: fn });
    const err = (await notifyMerchant(event).catch((e: unknown) => e)) as ApplicationFailure;
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err.type).toBe(NotifyErrors.DeliveryFailed);
    expect(err.nonRetryable).toBeFalsy();
    expect(err.nextRetryDelay).toBe(120_000);
    expect(err.message).toBe('merchant endpoint merchant.example answered 429 to event sub-1-4');
  });

  it('throws a retryable failure when the endpoint is unreachable', async () => {
    const fn = (() => Promise.reject(new TypeError('fetch failed'))) as unknown as typeof fetch;
    const { notifyMerchant } = createNotifyActivities({ endpoint: { url: URL_WITH_TOKEN, secret: SECRET }, fetch: fn });
    await expect(notifyMerchant(event)).rejects.toMatchObject({ type: NotifyErrors.DeliveryFailed, message: expect.not.stringContaining('tok_abc') });
  });

  it('refuses a malformed event for good', async () => {
    const { notifyMerchant } = createNotifyActivities({ endpoint: { url: URL_WITH_TOKEN, secret: SECRET } });
    await expect(notifyMerchant({ ...event, sequence: 0 })).rejects.toMatchObject({ type: NotifyErrors.InvalidEvent, nonRetryable: true });
  });
});
