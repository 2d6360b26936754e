import { ApplicationFailure } from '@temporalio/common';
import { GatewayErrors } from '../shared/gateway-port';

/**
 * Why thin clients over `fetch` instead of the official SDKs: Paystack's SDK hard-codes https://api.paystack.co,
 * Flutterwave's (since 1.4.0) sends telemetry on every request whatever base URL is set, and Razorpay's hard-codes
 * its host (repointing it means patching an internal axios instance). All three must talk to the local sandbox.
 */
export type FetchLike = typeof fetch;

export interface GatewayResponse {
  status: number;
  body: unknown;
}

/** The checkout reference is taken: see GatewayErrors.DuplicateReference. */
export function duplicateReference(gatewayLabel: string, reference: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`${gatewayLabel}: a checkout already exists for ${reference}`, GatewayErrors.DuplicateReference);
}

/**
 * An answer the client cannot positively classify (unknown error text, a duplicate on a charge, an unreadable
 * body): money may have moved. A plain Error is retryable, and every retry verifies the reference before any
 * re-send, so the outcome is found, never guessed and never a decline.
 */
export function ambiguous(gatewayLabel: string, step: string, detail: string): Error {
  return new Error(`${gatewayLabel}: ${step}: unrecognised answer, outcome unknown (${detail.slice(0, 200)})`);
}

/** Permanent: the gateway will never accept this (bad keys, invalid request). Temporal must not retry. */
export function rejected(gatewayLabel: string, message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`${gatewayLabel}: ${message}`, GatewayErrors.Rejected);
}

/**
 * One JSON request. Network failures, timeouts, 429 and 5xx throw a plain Error so the activity retries;
 * 401/403 are misconfiguration and never retried. Other statuses are returned for the client to interpret.
 * Error messages carry the path and status only: never headers (they hold the keys).
 */
export async function requestJson(
  fetchFn: FetchLike,
  gatewayLabel: string,
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: unknown; timeoutMs?: number },
): Promise<GatewayResponse> {
  const path = new URL(url).pathname;
  let res: Response;
  try {
    res = await fetchFn(url, {
      method: init.method,
      headers: { accept: 'application/json', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      // 15 s per request keeps the longest activity (Razorpay: up to 4 calls) inside a 1-minute startToClose.
      signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
    });
  } catch (err) {
    throw new Error(`${gatewayLabel} ${init.method} ${path}: network error: ${(err as Error).message}`);
  }
  const text = await res.text();
  if (res.status === 429 || res.status >= 500) {
    throw new Error(`${gatewayLabel} ${init.method} ${path}: HTTP ${res.status} (transient, will retry)`);
  }
  if (res.status === 401 || res.status === 403) {
    throw rejected(gatewayLabel, `${init.method} ${path}: credentials rejected (HTTP ${res.status}); check the connection's keys`);
  }
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    // An HTML error page from a proxy is a transient condition more often than a contract change.
    throw new Error(`${gatewayLabel} ${init.method} ${path}: HTTP ${res.status} with a non-JSON body`);
  }
  return { status: res.status, body };
}

/**
 * Parse a gateway response with its zod schema. A shape we do not understand throws a plain (retryable) Error, not
 * GatewayRejected: the workflow reads GatewayRejected as "nothing was charged", which an unreadable answer to a
 * charge does not prove. Retries re-send the same reference, which the gateway dedupes, and then verify.
 */
export function parseBody<T>(
  gatewayLabel: string,
  what: string,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } },
  body: unknown,
): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Error(`${gatewayLabel}: unexpected ${what} response: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * Run a step whose outcome decides money already moved (verify after a duplicate reference, read-back after a
 * charge). Any failure there means "outcome unknown", so it must never surface as GatewayRejected.
 */
export async function outcomeUnknownOnFailure<T>(gatewayLabel: string, step: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new Error(`${gatewayLabel}: ${step} failed, outcome unknown: ${(err as Error).message}`);
  }
}
