import { resolve } from 'node:path';
import { withVirtualTime, VIRTUAL_TIME_HEADER } from '../../src/activities/virtual-time';
import { loadConnections, type GatewayConnection } from '../../src/gateways/connections';
import { freePorts } from '../../scripts/cluster/ports';
import { createSandbox, type Sandbox } from '../../sandbox/app';

// The sandbox follows the calling subscription's clock: the gateway activities send their virtual time on test-mode
// connections only, and the sandbox books what it answers (and what it does later) on that clock.
const connections = loadConnections({ GATEWAY_CONNECTIONS_FILE: resolve(__dirname, '../../sandbox/connections.json') });
const testMode = connections.get('paystack-sandbox')!;
const liveMode: GatewayConnection = { ...testMode, id: 'paystack-live', mode: 'live' };
const VIRTUAL = new Date('2027-03-01T09:00:00.000Z');

let sandbox: Sandbox;
let url: string;
beforeAll(async () => {
  sandbox = createSandbox({ connections: new Map([...connections, [liveMode.id, liveMode]]), duplicateProbability: 0, timeScale: 1 / 600 });
  url = await sandbox.listen((await freePorts(1, { from: 44000, to: 44999 }))[0]!);
});
afterAll(() => sandbox.close());

const initialize = (connection: GatewayConnection, reference: string, now: () => Promise<Date | undefined>) =>
  withVirtualTime(connection, fetch, now)(`${url}/paystack/transaction/initialize`, {
    method: 'POST',
    headers: { authorization: `Bearer ${(connection.keys as { secretKey: string }).secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ada@example.com', amount: 5000, currency: 'NGN', reference }),
  });
const createdAt = async (reference: string): Promise<number> => {
  const res = await fetch(`${url}/paystack/transaction/verify/${reference}`, { headers: { authorization: `Bearer ${(testMode.keys as { secretKey: string }).secretKey}` } });
  return Date.parse(((await res.json()) as { data: { created_at: string } }).data.created_at);
};

test('a test-mode call carries the subscription clock, and the sandbox books on it', async () => {
  expect((await initialize(testMode, 'vt-test-1', () => Promise.resolve(VIRTUAL))).status).toBe(200);
  expect(Math.abs((await createdAt('vt-test-1')) - VIRTUAL.getTime())).toBeLessThan(5_000);
});

test('a live-mode connection never sends the header: the record keeps the wall clock', async () => {
  const seen: (string | undefined)[] = [];
  const spy = withVirtualTime(liveMode, (_input, init) => {
    seen.push((init?.headers as Record<string, string> | undefined)?.[VIRTUAL_TIME_HEADER]);
    return Promise.resolve(new Response('{}'));
  }, () => Promise.resolve(VIRTUAL));
  await spy(`${url}/anything`, { headers: { a: 'b' } });
  expect(seen).toEqual([undefined]);
  expect((await initialize(liveMode, 'vt-live-1', () => Promise.resolve(VIRTUAL))).status).toBe(200);
  expect(Math.abs((await createdAt('vt-live-1')) - Date.now())).toBeLessThan(5_000);
});

test('outside an activity (no clock known) nothing is added, even on a test connection', async () => {
  expect((await initialize(testMode, 'vt-none-1', () => Promise.resolve(undefined))).status).toBe(200);
  expect(Math.abs((await createdAt('vt-none-1')) - Date.now())).toBeLessThan(5_000);
});
