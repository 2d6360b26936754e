import { Context } from '@temporalio/activity';
import { tsToMs } from '@temporalio/common/lib/time';
import type { GatewayConnection } from '../gateways/connections';
import type { FetchLike } from '../gateways/http';

/**
 * Tells a test-mode gateway (the local sandbox) what time it is for the subscription making the call. Under a test
 * clock (docs/test-clocks.md) the workflow lives months ahead of the wall clock; the sandbox stamps what it books
 * (payments, refunds, webhooks, their later steps) with this instant instead of its own clock, and makes what is due
 * by then (an announced Razorpay debit) happen. The header is only sent on `mode: "test"` connections; a real
 * gateway's test mode ignores unknown headers. The sandbox reads the same name (sandbox/virtual-clock.ts; it imports
 * no production code, so the name is written in both places).
 */
export const VIRTUAL_TIME_HEADER = 'x-chargeloop-virtual-time';

/** One answer per activity attempt: the gateway clients make several calls in one activity. */
const perAttempt = new WeakMap<Context, Promise<Date | undefined>>();

/**
 * The activity's time on its workflow's clock: the execution's `timeSkippingInfo.currentTime`, asked of the server
 * through the worker's client. The history's own timestamps (and so the activity's schedule time) stay on the wall
 * clock under time skipping, hence the question. Undefined outside an activity, when the execution never skipped
 * time (its clock is the wall clock), or when the server cannot say (the answer is then the wall clock's).
 */
export function activityVirtualNow(): Promise<Date | undefined> {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return Promise.resolve(undefined);
  }
  let answer = perAttempt.get(ctx);
  if (!answer) {
    answer = (async () => {
      try {
        const { workflowExecution, workflowNamespace } = ctx.info;
        if (!workflowExecution) return undefined; // a standalone activity has no workflow clock
        const res = await ctx.client.workflowService.describeWorkflowExecution({ namespace: workflowNamespace, execution: { workflowId: workflowExecution.workflowId, runId: workflowExecution.runId } });
        const current = res.workflowExtendedInfo?.timeSkippingInfo?.currentTime;
        return current ? new Date(tsToMs(current)) : undefined;
      } catch {
        return undefined;
      }
    })();
    perAttempt.set(ctx, answer);
  }
  return answer;
}

/** `fetchFn`, adding the virtual-time header on test-mode connections; live connections get `fetchFn` itself. */
export function withVirtualTime(connection: GatewayConnection, fetchFn: FetchLike, now: () => Promise<Date | undefined> = activityVirtualNow): FetchLike {
  if (connection.mode !== 'test') return fetchFn;
  return async (input, init) => {
    const at = await now();
    if (!at) return fetchFn(input, init);
    // requestJson always passes a plain object; kept plain so injected fakes read headers the way they always did.
    const headers = { ...(init?.headers as Record<string, string> | undefined), [VIRTUAL_TIME_HEADER]: at.toISOString() };
    return fetchFn(input, { ...init, headers });
  };
}
