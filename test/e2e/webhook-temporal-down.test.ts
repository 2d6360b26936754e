import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { authorizationReference } from '../../src/shared/ids';
import { startDevServerProcess, type DevServerProcess } from '../helpers/dev-server-process';
import { bundleWorkflows } from '../helpers/environments';
import { payAtCheckout } from '../helpers/gateway-sandbox';
import { createSubscription, statusIs, subscriptionBody, viewUntil } from '../helpers/http-api';
import { SUCCESS_CARD } from './support/journeys';
import { startStack, type Stack } from '../helpers/stack';
import { poll } from '../helpers/poll';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** Resolves once `ready` holds, re-checking every 20 ms; bounded, for deliveries the sandbox makes in the background. */
async function until(ready: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  if (!(await poll(ready, Boolean, { timeoutMs, intervalMs: 20 }))) throw new Error(`timed out waiting for ${what}`);
}

/**
 * A real Temporal dev server goes down between checkout and the gateway's webhook: the webhook route answers 503, the
 * sandbox redelivers on Paystack's schedule, and once the server is back (same port, same database) the redelivered
 * webhook is applied: the subscription activates, and no event was lost or applied twice.
 */
describe('gateway webhook while Temporal is down', () => {
  let dir: string;
  let port: number;
  let db: string;
  let server: DevServerProcess | undefined;
  let apiConnection: Connection;
  let stack: Stack;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chargeloop-temporal-'));
    port = await freePort();
    db = join(dir, 'temporal.sqlite');
    const [started, bundle] = await Promise.all([startDevServerProcess(port, db), bundleWorkflows()]);
    server = started;
    // The API's own connection, as in production: it outlives the server and reconnects when it returns.
    apiConnection = await Connection.connect({ address: `127.0.0.1:${port}` });
    stack = await startStack({ env: server.env, bundle, temporal: new Client({ connection: apiConnection }) });
  });
  afterAll(async () => {
    await stack?.close();
    await apiConnection?.close();
    await server?.env.teardown();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 while the server is down; the redelivery after the restart activates the subscription once', async () => {
    const body = subscriptionBody('paystack', 'down');
    const created = await createSubscription(stack, body);

    await stack.worker.stop();
    await server!.env.teardown();
    await server!.stop();
    server = undefined;
    expect((await payAtCheckout(created.authorization.checkoutUrl!, SUCCESS_CARD)).html).toContain('Payment successful');
    const charge = () => stack.sandbox.sender.deliveries.filter((d) => d.event === 'charge.success');
    await until(() => charge().length > 0, 'the first delivery');
    expect(charge()[0]).toMatchObject({ attempt: 1, status: 503 });

    server = await startDevServerProcess(port, db);
    await stack.worker.start(server.env);
    await until(() => charge().some((d) => d.status === 200), 'a delivery Temporal accepted');
    const attempts = charge();
    expect(attempts.map((d) => d.status)).toEqual([...Array<number>(attempts.length - 1).fill(503), 200]);
    expect(attempts.map((d) => d.attempt)).toEqual(attempts.map((_, i) => i + 1));

    const active = await viewUntil(stack, body.id, statusIs('active'));
    expect(active.charges.filter((c) => c.reference === authorizationReference(body.id))).toEqual([expect.objectContaining({ kind: 'authorization', outcome: 'succeeded' })]);
    expect(active.cycle).toBe(1);
  });
});
