import type { ActivityOptions } from '@temporalio/common';
import { NotifyErrors } from './merchant-events';

/**
 * Recommended options for proxying notifyMerchant in the workflow. A merchant endpoint may be down for a weekend, so
 * Temporal keeps retrying with exponential backoff (capped at an hour between attempts) for up to 3 days, and each
 * attempt gets 30 s. Events of one subscription are sent one at a time, so a later event never overtakes an earlier
 * one. No Node imports: workflow code imports this.
 */
export const NOTIFY_MERCHANT_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '3 days',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 hour',
    nonRetryableErrorTypes: [NotifyErrors.InvalidEvent],
  },
};
