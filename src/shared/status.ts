import { z } from 'zod';
import { shareable } from './shareable-schema';

export const SUBSCRIPTION_STATUSES = [
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'unpaid',
  'paused',
  'canceled',
  'completed',
] as const;
export const SubscriptionStatusSchema = shareable(z.enum(SUBSCRIPTION_STATUSES));
export type SubscriptionStatus = z.infer<typeof SubscriptionStatusSchema>;

