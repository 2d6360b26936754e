import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '../../../sandbox/app';
import { testConnections } from '../../helpers/gateway-connections';
import { payAtCheckout } from '../../helpers/gateway-sandbox';

/** `npm run dev` restarts keep working: stored cards, checkouts and records persist, and no id is issued twice. */
describe('the sandbox across a restart', () => {
  const connections = testConnections();
  const key = connections.get('paystack-test')!.keys as { secretKey: string };
  const dataFile = join(mkdtempSync(join(tmpdir(), 'sandbox-')), 'sandbox.json');
  const start = async () => {
    const sandbox = createSandbox({ connections, dataFile, timeScale: 0.0001, duplicateProbability: 0, seed: 42 });
    const url = await sandbox.listen(0);
    const call = async (path: string, body?: unknown) => {
      const res = await fetch(`${url}/paystack${path}`, { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${key.secretKey}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      return (await res.json()) as { status: boolean; message: string; data: Record<string, unknown> };
    };
    return { sandbox, url, call };
  };

  it('a card stored before the restart renews after it, under new ids; an open checkout still opens', async () => {
    const first = await start();
    const paid = await first.call('/transaction/initialize', { email: 'r@example.com', amount: 5000, currency: 'NGN', reference: 'rs-1-auth1' });
    await payAtCheckout((paid.data as { authorization_url: string }).authorization_url, '4084084084084081');
    const open = await first.call('/transaction/initialize', { email: 'o@example.com', amount: 5000, currency: 'NGN', reference: 'rs-2-auth1' });
    const before = await first.call('/transaction/verify/rs-1-auth1');
    const code = (before.data.authorization as { authorization_code: string }).authorization_code;
    await first.sandbox.close();

    const second = await start();
    try {
      const renewal = await second.call('/transaction/charge_authorization', { email: 'r@example.com', amount: 5000, currency: 'NGN', authorization_code: code, reference: 'rs-1-c1-a1' });
      expect(renewal).toMatchObject({ status: true, data: { status: 'success', reference: 'rs-1-c1-a1' } });
      expect(Number(renewal.data.id)).toBeGreaterThan(Number(before.data.id));
      expect((await second.call('/transaction/verify/rs-1-auth1')).data.status).toBe('success');
      // The same seed after a restart still never repeats an authorization code or checkout id.
      const another = await second.call('/transaction/initialize', { email: 'n@example.com', amount: 5000, currency: 'NGN', reference: 'rs-3-auth1' });
      expect(another.data.access_code).not.toBe(open.data.access_code);
      const page = await fetch((open.data as { authorization_url: string }).authorization_url.replace(first.url, second.url));
      expect(page.status).toBe(200);
    } finally {
      await second.sandbox.close();
    }
  });
});
