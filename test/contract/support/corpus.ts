import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FetchLike } from '../../../src/gateways/http';
import type { Gateway } from '../../../src/shared/gateway-policy';

/** One documented request/response or webhook, with the page it was written from. */
export interface Fixture {
  source: string;
  operation: string;
  request?: { method: 'GET' | 'POST'; path: string };
  response?: { status: number; body?: unknown; text?: string };
  /** Webhook payloads. */
  body?: unknown;
}

const dir = (gateway: Gateway) => resolve(__dirname, '../../fixtures/gateways', gateway);

export function fixture(gateway: Gateway, name: string): Fixture {
  return JSON.parse(readFileSync(resolve(dir(gateway), `${name}.json`), 'utf8')) as Fixture;
}

export function allFixtures(gateway: Gateway): [string, Fixture][] {
  return readdirSync(dir(gateway))
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.replace(/\.json$/, ''), fixture(gateway, f.replace(/\.json$/, ''))]);
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * A fetch that answers from fixtures, in the order given: each call must match the next fixture's method and path
 * (the query is not part of the match), so a test also pins the sequence of calls a client makes.
 */
export function corpusFetch(basePath: string, fixtures: Fixture[]): { fetch: FetchLike; requests: RecordedRequest[]; remaining: () => number } {
  const queue = [...fixtures];
  const requests: RecordedRequest[] = [];
  const fetchFn = ((input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = init?.method ?? 'GET';
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    requests.push({ method, path, query: url.searchParams, headers, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
    const next = queue.shift();
    if (!next?.request || !next.response) return Promise.reject(new Error(`unexpected ${method} ${path}: no fixture left`));
    if (next.request.method !== method || next.request.path !== path) return Promise.reject(new Error(`expected ${next.request.method} ${next.request.path}, got ${method} ${path}`));
    const text = next.response.text ?? JSON.stringify(next.response.body);
    return Promise.resolve(new Response(text, { status: next.response.status, headers: { 'content-type': next.response.text ? 'text/html' : 'application/json' } }));
  }) as FetchLike;
  return { fetch: fetchFn, requests, remaining: () => queue.length };
}
