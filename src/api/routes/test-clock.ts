import { Router, type Request } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { addMonthsClamped, periodStart } from '../../shared/calendar';
import { SubscriptionIdSchema, subscriptionWorkflowId } from '../../shared/ids';
import { stateQuery } from '../../shared/messages';
import type { SubscriptionView } from '../../shared/state';
import { IdempotencyMismatchError, SubscriptionNotFoundError } from '../../temporal/errors';
import { idempotencyKeyHash, requestHash } from '../../temporal/idempotency';
import { advanceIdWithTarget, advanceTestClock, readTestClock, TimeSkippingUnavailableError, type TestClockState } from '../../temporal/test-clock';
import { idempotencyScope } from '../idempotency-key';
import { parseOrThrow, Problem, validationProblem } from '../problem';
import { AdvanceTestClockRequestSchema, type AdvanceTestClockRequest, type TestClockView } from './test-clock-schemas';

export interface TestClockRouteDeps {
  temporal: Client;
  /** The mode of a configured connection; undefined for an unknown one (refused like a live one). */
  connectionModeOf: (connectionId: string) => 'test' | 'live' | undefined;
}

const MINUTE = 60_000;
const ENDED = new Set<SubscriptionView['status']>(['canceled', 'completed', 'incomplete_expired']);
const UNIT_MS: Record<string, number> = { m: MINUTE, h: 60 * MINUTE, d: 24 * 60 * MINUTE, w: 7 * 24 * 60 * MINUTE };

/** The instant an advance asks for, from the clock's current time. */
function targetOf(body: AdvanceTestClockRequest, nowMs: number): number {
  if (body.to !== undefined) return Date.parse(body.to);
  const [, n, unit] = /^(\d+)(mo|m|h|d|w)$/.exec(body.by!)!;
  return unit === 'mo' ? addMonthsClamped(nowMs, Number(n)) : nowMs + Number(n) * UNIT_MS[unit!]!;
}

/** Two billing intervals of the subscription's plan from `nowMs` (its current plan: a pending change starts later). */
const maxAdvanceTo = (view: SubscriptionView, nowMs: number): number => periodStart(nowMs, view.plan, 2);

/**
 * Test clocks: `GET /v1/subscriptions/{id}/test-clock` and `POST …/test-clock/advance`. Only on test-mode connections:
 * moving a live customer's time would charge a real card early. The advance answers 202 at once with the clock
 * `advancing`; the caller polls the GET (the `Location`) until `ready`, then reads what happened in `subscription`.
 */
export function createTestClockRouter(deps: TestClockRouteDeps): Router {
  const router = Router();

  async function viewOf(id: string): Promise<SubscriptionView> {
    try {
      return await deps.temporal.workflow.getHandle(subscriptionWorkflowId(id)).query(stateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new SubscriptionNotFoundError(id);
      throw err;
    }
  }

  async function clockView(id: string): Promise<TestClockView> {
    const view = await viewOf(id);
    refuseUnlessTestMode(view);
    const clock = await readClock(id);
    return { ...clock, maxAdvanceTo: new Date(maxAdvanceTo(view, Date.parse(clock.currentTime))).toISOString(), subscription: view };
  }

  function refuseUnlessTestMode(view: SubscriptionView): void {
    const mode = deps.connectionModeOf(view.gatewayConnectionId);
    if (mode !== 'test') {
      throw new Problem(
        409,
        'Test clocks need a test-mode connection',
        `Subscription "${view.id}" bills through connection "${view.gatewayConnectionId}", which is ${mode ?? 'not configured'}: ` +
          'its time follows the real clock, because moving it would charge a real card ahead of time. Use a connection with "mode": "test".',
      );
    }
  }

  async function readClock(id: string): Promise<TestClockState> {
    try {
      return await readTestClock(deps.temporal, id);
    } catch (err) {
      if (err instanceof TimeSkippingUnavailableError) throw new Problem(409, 'Time skipping unavailable', err.message);
      throw err;
    }
  }

  router.get('/v1/subscriptions/:id/test-clock', async (req, res) => {
    res.json(await clockView(parseOrThrow(SubscriptionIdSchema, req.params.id, ['id'])));
  });

  router.post('/v1/subscriptions/:id/test-clock/advance', async (req: Request, res) => {
    const id = parseOrThrow(SubscriptionIdSchema, req.params.id, ['id']);
    const scope = idempotencyScope(req, res);
    const body = parseOrThrow(AdvanceTestClockRequestSchema, req.body ?? {});
    const before = await clockView(id);
    // The advance id carries the key (scoped to this subscription) and the body: a retry of the last advance is
    // recognised and not applied twice; the same key with another body is a 422 like every other POST.
    const keyPart = `tc-${idempotencyKeyHash({ principal: scope.principal, key: `${id}\n${scope.key}` }).slice(0, 32)}`;
    const requestPart = `${keyPart}-${requestHash(body).slice(0, 16)}`;
    if (before.advanceId?.startsWith(`${keyPart}-`)) {
      if (!before.advanceId.startsWith(`${requestPart}~`)) throw new IdempotencyMismatchError('This Idempotency-Key advanced the clock with a different body.');
      return void res.status(before.status === 'ready' ? 200 : 202).location(`/v1/subscriptions/${id}/test-clock`).json(before);
    }
    if (before.status === 'advancing') {
      throw new Problem(409, 'Test clock advancing', `The clock of "${id}" is still advancing to ${before.targetTime}; poll GET /v1/subscriptions/${id}/test-clock until it is ready.`);
    }
    if (ENDED.has(before.subscription.status)) {
      throw new Problem(409, 'Subscription ended', `Subscription "${id}" is ${before.subscription.status}; there is nothing left for its clock to run.`);
    }
    const nowMs = Date.parse(before.currentTime);
    const target = targetOf(body, nowMs);
    const field = body.to !== undefined ? 'to' : 'by';
    if (!(target > nowMs)) throw validationProblem([{ field, message: `must be after the clock's current time ${before.currentTime}` }]);
    if (target > Date.parse(before.maxAdvanceTo)) {
      throw validationProblem([{ field, message: `must not pass ${before.maxAdvanceTo}: an advance covers at most two billing intervals` }]);
    }
    try {
      await advanceTestClock(deps.temporal, id, target - nowMs, advanceIdWithTarget(requestPart, target));
    } catch (err) {
      if (err instanceof TimeSkippingUnavailableError) throw new Problem(409, 'Time skipping unavailable', err.message);
      throw err;
    }
    res.status(202).location(`/v1/subscriptions/${id}/test-clock`).json(await clockView(id));
  });

  return router;
}
