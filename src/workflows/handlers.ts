import { ApplicationFailure, condition, log, setHandler } from '@temporalio/workflow';
import type { z } from 'zod';
import { GatewayEventSchema } from '../shared/gateway-events';
import { refundReference } from '../shared/ids';
import {
  cancelUpdate,
  CancelRequestSchema,
  changePlanUpdate,
  ChangePlanRequestSchema,
  checkoutUpdate,
  gatewayEventSignal,
  pauseUpdate,
  refundUpdate,
  RefundRequestSchema,
  resumeUpdate,
  retryNowUpdate,
  stateQuery,
  UPDATE_REFUSED,
} from '../shared/messages';
import { formatMoney } from '../shared/money';
import { SubscriptionErrors } from '../shared/workflow-errors';
import { gateway } from './activity-proxies';
import { cancelRefusal, changePlanRefusal, pauseRefusal, planRefund, resumeRefusal, retryNowRefusal } from './refusals';
import { isTerminal } from './state-machine';
import type { SubscriptionState } from './subscription-state';
import { buildView } from './view';

function refuseIf(reason: string | null): void {
  if (reason !== null) throw ApplicationFailure.create({ type: UPDATE_REFUSED, message: reason, nonRetryable: true });
}

/** Parses an update argument, refusing (not failing the workflow) when it does not match the schema. */
function parseOrRefuse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) refuseIf(`invalid request: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data as z.infer<S>;
}

/**
 * Operations that end or suspend billing wait until the main loop is parked with nothing in flight (a charge, a
 * webhook not yet applied), then re-check: state may have moved meanwhile. A terminal state ends the wait too, so
 * a handler never waits for a loop that has finished.
 */
async function afterInFlightWorkSettles(sub: SubscriptionState): Promise<void> {
  await condition(() => isTerminal(sub.s.status) || (sub.idle && sub.chargeInFlight === null && !sub.hasWork()));
}

async function refund(sub: SubscriptionState, raw: unknown): Promise<void> {
  const plan = planRefund(sub, parseOrRefuse(RefundRequestSchema, raw));
  if (typeof plan === 'string') return refuseIf(plan);
  const reference = refundReference(plan.charge.reference, plan.n);
  const reason = (raw as { reason?: string }).reason;
  // Recorded before the call, so a concurrent refund sees this amount as taken.
  sub.recordRefund({ reference, chargeReference: plan.charge.reference, amount: plan.amount, status: 'pending', ...(reason ? { reason } : {}), at: new Date(sub.now()).toISOString() });
  try {
    const outcome = await gateway.refundCharge.executeWithOptions({ summary: `refund ${formatMoney(plan.amount)} of ${plan.charge.reference}` }, [
      {
        gateway: sub.s.input.gateway,
        connectionId: sub.s.input.gatewayConnectionId,
        chargeReference: plan.charge.reference,
        gatewayTransactionId: plan.charge.gatewayTransactionId,
        amount: plan.amount,
        reference,
      },
    ]);
    if (outcome.status !== 'pending') sub.settleRefund(reference, outcome.status, outcome.reason);
  } catch (err) {
    sub.settleRefund(reference, 'failed', String(err));
    throw ApplicationFailure.create({ type: SubscriptionErrors.RefundFailed, message: `refund ${reference} failed: ${String(err)}`, nonRetryable: true });
  }
}

/** Registers the query, the webhook signal and every update, each refused with a reason when illegal. */
export function installHandlers(sub: SubscriptionState): void {
  setHandler(stateQuery, () => buildView(sub));

  // No validator: waiting is always allowed; after a continue-as-new (long after any create) it answers the current view.
  setHandler(checkoutUpdate, async () => {
    await condition(() => sub.checkoutView !== null || sub.s.status !== 'incomplete');
    return sub.checkoutView ?? buildView(sub);
  });

  setHandler(gatewayEventSignal, (raw) => {
    const parsed = GatewayEventSchema.safeParse(raw);
    if (!parsed.success) return log.warn('malformed gateway event ignored', { error: parsed.error.message });
    if (!sub.acceptEvent(parsed.data)) log.info('duplicate gateway event ignored', { eventId: parsed.data.eventId });
  });

  setHandler(
    cancelUpdate,
    async (raw) => {
      await afterInFlightWorkSettles(sub);
      const req = parseOrRefuse(CancelRequestSchema, raw);
      refuseIf(cancelRefusal(sub, req));
      if (req.at === 'now') sub.cancelNow();
      else if (!sub.s.cancelAtPeriodEnd) sub.cancelAtPeriodEnd();
      return buildView(sub);
    },
    { validator: (raw) => refuseIf(cancelRefusal(sub, parseOrRefuse(CancelRequestSchema, raw))) },
  );

  setHandler(
    pauseUpdate,
    async () => {
      await afterInFlightWorkSettles(sub);
      refuseIf(pauseRefusal(sub));
      sub.pause();
      return buildView(sub);
    },
    { validator: () => refuseIf(pauseRefusal(sub)) },
  );

  setHandler(
    resumeUpdate,
    () => {
      refuseIf(resumeRefusal(sub));
      sub.resume();
      return buildView(sub);
    },
    { validator: () => refuseIf(resumeRefusal(sub)) },
  );

  setHandler(
    retryNowUpdate,
    async () => {
      refuseIf(retryNowRefusal(sub));
      const before = sub.attemptsFinished;
      sub.requestRetryNow();
      // Answer with the attempt's outcome, not just "accepted".
      await condition(() => sub.attemptsFinished > before || isTerminal(sub.s.status));
      return buildView(sub);
    },
    { validator: () => refuseIf(retryNowRefusal(sub)) },
  );

  setHandler(
    changePlanUpdate,
    (raw) => {
      const plan = parseOrRefuse(ChangePlanRequestSchema, raw);
      refuseIf(changePlanRefusal(sub, plan));
      sub.changePlan(plan);
      return buildView(sub);
    },
    { validator: (raw) => refuseIf(changePlanRefusal(sub, parseOrRefuse(ChangePlanRequestSchema, raw))) },
  );

  setHandler(
    refundUpdate,
    async (raw) => {
      await refund(sub, raw);
      return buildView(sub);
    },
    {
      validator: (raw) => {
        const plan = planRefund(sub, parseOrRefuse(RefundRequestSchema, raw));
        if (typeof plan === 'string') refuseIf(plan);
      },
    },
  );
}
