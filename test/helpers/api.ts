import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import { createApp, type AppDeps } from '../../src/api/app';
import { sha256Hex, type ApiKey } from '../../src/api/auth/api-keys';
import { createLogger } from '../../src/api/logging';
import { GATEWAYS } from '../../src/shared/gateway-policy';

/** Test keys: the raw values are what a client sends; the app is configured with their hashes only. */
export const WRITE_KEY = 'test-write-key-0123456789';
export const READ_KEY = 'test-read-key-0123456789';
export const TEST_API_KEYS: ApiKey[] = [
  { name: 'writer', sha256: sha256Hex(WRITE_KEY), scopes: ['read', 'write'] },
  { name: 'reader', sha256: sha256Hex(READ_KEY), scopes: ['read'] },
];
export const bearer = (key = WRITE_KEY): string => `Bearer ${key}`;

/** The sandbox connections `<gateway>-sandbox`, as src/api/main.ts configures them. */
export const sandboxGatewayOf = (id: string) => GATEWAYS.find((g) => id === `${g}-sandbox`);

/** The real app over a Temporal client, with test keys and a silent logger; override any dependency. */
export function testApp(temporal: Client, taskQueue: string, overrides: Partial<AppDeps> = {}): Express {
  return createApp({
    config: { TEMPORAL_TASK_QUEUE: taskQueue, apiKeys: TEST_API_KEYS },
    temporal,
    gatewayOf: sandboxGatewayOf,
    logger: createLogger({ level: 'silent' }),
    ...overrides,
  });
}
