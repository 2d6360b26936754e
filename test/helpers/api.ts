import { resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import { createApp, type AppDeps } from '../../src/api/app';
import { sha256Hex, type ApiKey } from '../../src/api/auth/api-keys';
import { createLogger } from '../../src/api/logging';
import { createTestClockRouter } from '../../src/api/routes/test-clock';
import { loadConnections } from '../../src/gateways/connections';
import { DEV_CODEC_KEYS } from '../../src/temporal/codec/codec-keys';
import { PageTokens } from '../../src/temporal/page-token';
import { SubscriptionsFacade } from '../../src/temporal/subscriptions';

/** Test keys: the raw values are what a client sends; the app is configured with their hashes only. */
export const WRITE_KEY = 'test-write-key-0123456789';
export const READ_KEY = 'test-read-key-0123456789';
export const TEST_API_KEYS: ApiKey[] = [
  { name: 'writer', sha256: sha256Hex(WRITE_KEY), scopes: ['read', 'write'] },
  { name: 'reader', sha256: sha256Hex(READ_KEY), scopes: ['read'] },
];
export const bearer = (key = WRITE_KEY): string => `Bearer ${key}`;

/** The sandbox connections `<gateway>-sandbox`, as `npm run dev` configures them. */
const sandboxConnections = loadConnections({ GATEWAY_CONNECTIONS_FILE: resolve(__dirname, '../../sandbox/connections.json') });

/**
 * The real app over a Temporal client, with test keys, a silent logger and the gateway edge over the sandbox
 * connections (credentials checks off: no gateway is contacted unless a test starts one); override any dependency.
 */
export function testApp(temporal: Client, taskQueue: string, overrides: Partial<AppDeps> = {}): Express {
  return createApp({
    config: { apiKeys: TEST_API_KEYS },
    temporal: testFacade(temporal, taskQueue),
    connections: sandboxConnections,
    publicBaseUrl: 'http://chargeloop.test',
    checkConnection: () => Promise.resolve(),
    logger: createLogger({ level: 'silent' }),
    testClockRouter: createTestClockRouter({ temporal, connectionModeOf: (id) => sandboxConnections.get(id)?.mode }),
    ...overrides,
  });
}

/** The API's Temporal facade over a test client, with page tokens keyed from the development codec key. */
export const testFacade = (client: Client, taskQueue: string): SubscriptionsFacade =>
  new SubscriptionsFacade({ client, taskQueue, pageTokens: PageTokens.derivedFrom(DEV_CODEC_KEYS.keys[0]!.key) });
