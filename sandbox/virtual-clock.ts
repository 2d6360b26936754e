import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';

/**
 * The subscription's time, as Chargeloop's activities send it on test-mode connections (src/activities/virtual-time.ts
 * writes the same header; the sandbox imports no production code). Under a test clock a subscription lives months
 * ahead of the wall clock; everything the sandbox books while answering that request, and the later steps it
 * schedules from it (a refund settling, its webhook), is stamped on that clock, so the gateway's records and the
 * subscription's history agree. Requests without the header (the customer's browser, old clients) use the wall clock.
 *
 * Why the caller passes it rather than the sandbox asking Temporal: a gateway knows nothing of Temporal, and the
 * activity already holds the instant (its attempt's schedule time, stamped by the server on the virtual clock).
 */
export const VIRTUAL_TIME_HEADER = 'x-chargeloop-virtual-time';

const clock = new AsyncLocalStorage<number>();

/** Runs the rest of the request on the header's clock, when it carries a valid instant. */
export const virtualClock: RequestHandler = (req, _res, next) => {
  const header = req.get(VIRTUAL_TIME_HEADER);
  const at = header === undefined ? NaN : Date.parse(header);
  if (Number.isNaN(at)) return next();
  clock.run(at - Date.now(), next);
};

/** Now on the current request's clock (the wall clock plus the request's offset), or the wall clock. */
export const virtualNow = (): Date => new Date(Date.now() + (clock.getStore() ?? 0));

/**
 * Keeps the current clock for a step that runs later. The sandbox runs its delays scaled down (SANDBOX_TIME_SCALE),
 * so `skippedMs` (the delay minus the real wait) moves that step's clock on: it happens at virtual now + its full
 * delay, as it would at the gateway.
 */
export const onSameClock = (fn: () => void, skippedMs = 0): (() => void) => {
  const offset = clock.getStore();
  return offset === undefined ? fn : () => clock.run(offset + skippedMs, fn);
};
