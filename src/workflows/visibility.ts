import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { formatMoney } from '../shared/money';
import { searchAttributePairs } from '../shared/search-attributes';
import type { SubscriptionState } from './subscription-state';
import { lastAttempt, latestCharge } from './view';

/**
 * Publishes the state to the Temporal UI: typed search attributes (only when a value changed, since every upsert
 * is a history event) and the current-details Markdown (free: it rides on the task completion).
 */
export class Visibility {
  private published = '';

  constructor(
    private readonly sub: SubscriptionState,
    /** 0.5.0 (features.ts `lastChargeOutcomeVisible`): runs without it upsert exactly what they always did. */
    private readonly withOutcome = false,
  ) {}

  publish(): void {
    const s = this.sub.s;
    const next = s.dunning.nextRetryAt ?? s.nextChargeAt;
    const outcome = this.withOutcome ? lastSettledOutcome(this.sub) : null;
    // The outcome almost always settles with a change of status or next charge time, so it rarely adds an upsert.
    const key = [s.status, s.plan.id, next ?? '', ...(outcome ? [outcome] : [])].join('|');
    if (key !== this.published) {
      this.published = key;
      upsertSearchAttributes(
        searchAttributePairs({
          status: s.status,
          gateway: s.input.gateway,
          gatewayConnectionId: s.input.gatewayConnectionId,
          customerId: s.input.customer.id,
          planId: s.plan.id,
          nextChargeAt: next ?? null,
          // Only cards stored by 0.4.0 gateway code carry a key, and a card is stored with a status change (which
          // upserts): no upsert is added, and runs whose card has none upsert exactly what they always did.
          ...(s.card?.lookupKey ? { cardLookupKey: s.card.lookupKey } : {}),
          ...(outcome ? { lastChargeOutcome: outcome } : {}),
        }),
      );
    }
    setCurrentDetails(currentDetails(this.sub));
  }
}

/**
 * The outcome of the latest charge that has one (an attempt still pending leaves the last one), or null before any.
 * The refunded authorization minimum is not a charge for anything and does not count.
 */
export function lastSettledOutcome(sub: SubscriptionState): string | null {
  return latestCharge(sub, (c) => c.outcome !== 'pending' && !sub.isAuthorizationMinimum(c))?.outcome ?? null;
}

export function currentDetails(sub: SubscriptionState): string {
  const s = sub.s;
  const plan = `${formatMoney({ amount: s.plan.amount, currency: s.plan.currency })} every ${s.plan.intervalCount > 1 ? `${s.plan.intervalCount} ` : ''}${s.plan.interval}${s.plan.intervalCount > 1 ? 's' : ''}`;
  const lines = [
    `### ${sub.id}: **${s.status}**`,
    `| | |`,
    `|---|---|`,
    `| Customer | ${s.input.customer.id} |`,
    `| Plan | ${s.plan.id}: ${plan}${s.plan.totalCycles ? ` × ${s.plan.totalCycles}` : ''} |`,
    `| Gateway | ${sub.policy.label} (${s.input.gatewayConnectionId}) |`,
    `| Cycle | ${s.cycle} |`,
    `| Next charge | ${s.nextChargeAt ?? '—'} |`,
  ];
  if (s.status === 'incomplete') lines.push(`| Authorization | ${formatMoney(s.authorization.amount)}, expires ${s.authorization.expiresAt} |`);
  if (s.dunning.nextRetryAt) lines.push(`| Next retry | ${s.dunning.nextRetryAt} (attempt ${s.dunning.attemptsMade + 1}) |`);
  if (s.cardUpdate?.status === 'pending') lines.push(`| Card update | awaiting the customer at ${s.cardUpdate.reference}, until ${s.cardUpdate.expiresAt} |`);
  if (s.pendingPlan) lines.push(`| Plan from next cycle | ${s.pendingPlan.id} |`);
  if (s.cancelAtPeriodEnd) lines.push(`| Cancels at | end of the current period |`);
  const attempt = lastAttempt(sub);
  if (attempt && attempt.outcome !== 'succeeded') lines.push(`| Last charge | **${attempt.outcome}**${attempt.reason ? `: ${attempt.reason}` : ''} (${attempt.reference}) |`);
  const last = s.lastPayment;
  if (last) lines.push(`| Last payment | ${formatMoney(last.amount)} on ${last.at} (${last.reference}) |`);
  return lines.join('\n');
}
