import { ApplicationFailure, condition } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import { refundReference } from '../shared/ids';
import {
  cancelUpdate,
  CancelRequestSchema,
  changePlanUpdate,
  ChangePlanRequestSchema,
  pauseUpdate,
  refundUpdate,
  RefundRequestSchema,
  resumeUpdate,
  reissueCheckoutUpdate,
  retryNowUpdate,
  UPDATE_REFUSED,
  updateCardUpdate,
} from '../shared/messages';
import type { SubscriptionView } from '../shared/state';
import { SubscriptionErrors } from '../shared/workflow-errors';
import { requestCardUpdate } from './card-update';
import { requestRefund } from './refunds';
import { cancelRefusal, changePlanRefusal, pauseRefusal, planRefund, reissueCheckoutRefusal, resumeRefusal, retryNowRefusal, updateCardRefusal } from './refusals';
import { watchClosedCheckout } from './unsettled';
import type { Run } from './run';
import { isTerminal } from './state-machine';

export function refuseIf(reason: string | null): void {
  if (reason !== null) throw ApplicationFailure.create({ type: UPDATE_REFUSED, message: reason, nonRetryable: true });
}

/** Parses an update argument, refusing (not failing the workflow) when it does not match the schema. */
function parseOrRefuse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) refuseIf(`invalid request: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data as z.infer<S>;
}

/**
 * One merchant operation, described once: its definition, how its argument is read, why it would be refused, and
 * what it does. The validator and the handler both run `refusal` (state may move between them), so a refused
 * operation changes nothing and the API shows the reason as it is.
 */
export interface UpdateSpec<Req> {
  def: UpdateDefinition<SubscriptionView, [Req]> | UpdateDefinition<SubscriptionView, []>;
  parse: (raw: unknown) => Req;
  refusal: (run: Run, req: Req) => string | null;
  /** Takes the money lock to apply, so it never cuts into a charge or a webhook being applied (coordination.ts). */
  locked: (req: Req) => boolean;
  apply: (run: Run, req: Req) => void | Promise<void>;
}

const spec = <Req>(s: UpdateSpec<Req>): UpdateSpec<Req> => s;
const none = (): undefined => undefined;

async function refund(run: Run, req: z.infer<typeof RefundRequestSchema>): Promise<void> {
  const { sub } = run;
  const plan = planRefund(sub, req);
  if (typeof plan === 'string') return refuseIf(plan);
  const reference = refundReference(plan.charge.reference, plan.n);
  // Recorded before the call, so a concurrent refund sees this amount as taken.
  sub.recordRefund({ reference, chargeReference: plan.charge.reference, amount: plan.amount, status: 'pending', ...(req.reason ? { reason: req.reason } : {}), at: new Date(sub.now()).toISOString() });
  const status = await requestRefund(run, { reference, chargeReference: plan.charge.reference, gatewayTransactionId: plan.charge.gatewayTransactionId, amount: plan.amount }, `of ${plan.charge.reference}`);
  // A refused refund answers as a failure; an unknown outcome is pending and sent again under the same reference.
  if (status === 'refused') {
    const why = sub.s.refunds.find((r) => r.reference === reference)?.reason ?? 'refused by the gateway';
    throw ApplicationFailure.create({ type: SubscriptionErrors.RefundFailed, message: `refund ${reference} failed: ${why}`, nonRetryable: true });
  }
}

/**
 * A new link for the pending checkout: the next reference and a fresh window; the loop opens it, and the update
 * answers once it is open. The old reference is no longer the authorization: a payment there is refunded.
 */
async function reissueCheckout(run: Run): Promise<void> {
  const { sub, co } = run;
  const a = sub.s.authorization;
  // The reference moves under the money lock, so a checkout webhook being applied never sees it change; the wait for
  // the new link is outside it (the loop opens the checkout). Paid meanwhile: nothing to reissue, the view says so.
  const moved = await co.money.run(() => {
    if (reissueCheckoutRefusal(sub) !== null) return false;
    watchClosedCheckout(run, { cycle: a.isFirstInvoice ? 1 : 0, reference: a.reference, kind: 'authorization', amount: a.amount });
    sub.reissueCheckout(sub.now() + sub.s.input.authorizationWindowMs);
    return true;
  });
  if (!moved) return;
  await condition(() => a.checkoutUrl !== null || sub.s.status !== 'incomplete');
  if (a.checkoutUrl !== null) sub.checkoutReissued();
}

/** Every operation a merchant can run on a subscription (the checkout wait is not one: see handlers.ts). */
export const UPDATES = [
  spec({
    def: cancelUpdate,
    parse: (raw) => parseOrRefuse(CancelRequestSchema, raw),
    refusal: (run, req) => cancelRefusal(run.sub, req, { allowWhileConfirming: run.f.moneyLock }),
    locked: (req) => req.at === 'now',
    apply: ({ sub }, req) => {
      if (req.at === 'now') sub.cancelNow();
      else if (!sub.s.cancelAtPeriodEnd) sub.cancelAtPeriodEnd();
    },
  }),
  spec({ def: pauseUpdate, parse: none, refusal: ({ sub }) => pauseRefusal(sub), locked: () => true, apply: ({ sub }) => sub.pause() }),
  spec({ def: resumeUpdate, parse: none, refusal: ({ sub }) => resumeRefusal(sub), locked: () => false, apply: ({ sub }) => sub.resume() }),
  spec({
    def: retryNowUpdate,
    parse: none,
    refusal: ({ sub, f }) => retryNowRefusal(sub, { unpaidRecovery: f.unpaidRecovery }),
    locked: () => false,
    // Answers with the attempt's outcome (or its pending state), not just "accepted": the loop starts it at once.
    apply: async ({ sub, co }) => {
      const before = co.attemptsAnswered;
      sub.requestRetryNow();
      await condition(() => co.attemptsAnswered > before || isTerminal(sub.s.status));
    },
  }),
  spec({
    def: changePlanUpdate,
    parse: (raw) => parseOrRefuse(ChangePlanRequestSchema, raw),
    refusal: ({ sub, f }, plan) => changePlanRefusal(sub, plan, { refuseAfterCancel: f.consistentRecords }),
    locked: () => false,
    apply: ({ sub }, plan) => sub.changePlan(plan),
  }),
  spec({
    def: refundUpdate,
    parse: (raw) => parseOrRefuse(RefundRequestSchema, raw),
    refusal: ({ sub }, req) => {
      const plan = planRefund(sub, req);
      return typeof plan === 'string' ? plan : null;
    },
    locked: () => false,
    apply: refund,
  }),
  spec({ def: updateCardUpdate, parse: none, refusal: ({ sub }) => updateCardRefusal(sub), locked: () => false, apply: requestCardUpdate }),
  spec({ def: reissueCheckoutUpdate, parse: none, refusal: ({ sub }) => reissueCheckoutRefusal(sub), locked: () => false, apply: reissueCheckout }),
] as const;
