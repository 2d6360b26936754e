import { Context } from '@temporalio/activity';
import type { GatewayConnection } from '../gateways/connections';
import type { FetchLike } from '../gateways/http';

/**
 * Tells a test-mode gateway (the local sandbox) what time it is for the subscription making the call. Under a test
 * clock (docs/test-clocks.md) the workflow lives months ahead of the wall clock; the sandbox stamps what it books
 * (payments, refunds, webhooks, their later steps) with this instant instead of its own clock, so the gateway's
 * records agree with the subscription's. The header is only sent on `mode: "test"` connections; a real gateway's
 * test mode ignores unknown headers. The sandbox reads the same name (sandbox/virtual-clock.ts; it imports no
 * production code, so the name is written in both places).
 */
export const VIRTUAL_TIME_HEADER = 'x-chargeloop-virtual-time';

/**
 * The activity's time on its workflow's clock: the server stamps the current attempt's schedule with the execution's
 * virtual time, so this is "now" for the subscription, early by the activity's queue latency (milliseconds).
 * Undefined outside an activity (unit tests call clients directly).
 */
export function activityVirtualNow(): Date | undefined {
  try {
    return new Date(Context.current().info.currentAttemptScheduledTimestampMs);
  } catch {
    return undefined;
  }
}

/** `fetchFn`, adding the virtual-time header on test-mode connections; live connections get `fetchFn` itself. */
export function withVirtualTime(connection: GatewayConnection, fetchFn: FetchLike, now: () => Date | undefined = activityVirtualNow): FetchLike {
  if (connection.mode !== 'test') return fetchFn;
  return (input, init) => {
    const at = now();
    if (!at) return fetchFn(input, init);
    // requestJson always passes a plain object; kept plain so injected fakes read headers the way they always did.
    const headers = { ...(init?.headers as Record<string, string> | undefined), [VIRTUAL_TIME_HEADER]: at.toISOString() };
    return fetchFn(input, { ...init, headers });
  };
}
