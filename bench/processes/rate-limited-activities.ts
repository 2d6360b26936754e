import type { SubscriptionActivities } from '../../src/activities/types';
import { SpacingLimiter } from '../lib/rate-limiter';

/**
 * Wraps chargeCard with a limiter per gateway connection (one gateway account = one rate limit, e.g. Paystack's
 * 1,200 charge_authorization per minute). Done in the activity rather than with the worker's
 * maxTaskQueueActivitiesPerSecond because that option limits every activity on the task queue (checkouts,
 * refunds, merchant events) while the gateway limits only charges, and only per account.
 */
export function withChargeLimits(activities: SubscriptionActivities, perSecondByConnection: Record<string, number>): SubscriptionActivities {
  const limiters = new Map(Object.entries(perSecondByConnection).map(([id, rate]) => [id, new SpacingLimiter(rate)]));
  return {
    ...activities,
    chargeCard: async (input) => {
      await limiters.get(input.connectionId)?.acquire();
      return activities.chargeCard(input);
    },
  };
}
