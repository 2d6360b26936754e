import request from 'supertest';
import type { Express } from 'express';
import { bearer } from './api';
import { poll } from './poll';

let n = 0;
/** A fresh Idempotency-Key per call unless one is given. */
export const newKey = (label = 'k'): string => `${label}-${process.pid}-${++n}-${Date.now()}`;

/** Authenticated requests against an app (in-process, or the base URL of one listening), the shapes every API test repeats. */
export function client(app: Express | string) {
  return {
    post: (path: string, body?: unknown, key: string = newKey()) => {
      const req = request(app).post(path).set('authorization', bearer()).set('idempotency-key', key);
      return body === undefined ? req : req.send(body as object);
    },
    get: (path: string) => request(app).get(path).set('authorization', bearer()),
  };
}

/** A valid create body for the Paystack sandbox; override per test. */
export function createBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customer: { id: `cus-${process.pid}-${++n}`, email: 'ada@example.com', firstName: 'Ada', lastName: 'Obi' },
    plan: { id: 'gold', amount: 500000, currency: 'NGN', interval: 'month', intervalCount: 1, trialDays: 0, totalCycles: null },
    gatewayConnectionId: 'paystack-sandbox',
    metadata: {},
    ...overrides,
  };
}

/** Visibility is eventually consistent: re-run `fn` until `done` holds (for about 6 s); the caller asserts. */
export const eventually = <T>(fn: () => Promise<T>, done: (value: T) => boolean): Promise<T> => poll(fn, done);
