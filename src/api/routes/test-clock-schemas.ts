import { z } from 'zod';
import { SubscriptionViewSchema } from '../../shared/state';

/**
 * `by`: a whole number of minutes, hours, days, weeks or calendar months (`90m`, `36h`, `30d`, `2w`, `3mo`); `to`: an
 * instant. Exactly one. Each advance is bounded to two billing intervals from the clock's current time (Stripe's
 * rule), so one call can never run a subscription through a year of charges by mistake.
 */
export const AdvanceTestClockRequestSchema = z
  .object({
    by: z.string().regex(/^[1-9]\d{0,3}(mo|m|h|d|w)$/, 'must be a duration like 90m, 36h, 30d, 2w or 3mo').optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((b) => (b.by === undefined) !== (b.to === undefined), { message: 'give exactly one of `by` or `to`', path: ['by'] })
  // The refinement in JSON Schema terms, for the OpenAPI document: the object is strict, so one property is one of the two.
  .meta({ minProperties: 1, maxProperties: 1 });
export type AdvanceTestClockRequest = z.infer<typeof AdvanceTestClockRequestSchema>;

export const TestClockViewSchema = z.object({
  subscriptionId: z.string(),
  /** `advancing` until the target is reached and no gateway call is running; then `ready`. */
  status: z.enum(['ready', 'advancing']),
  /** The subscription's virtual now. */
  currentTime: z.string(),
  targetTime: z.string().nullable(),
  advanceId: z.string().nullable(),
  /** The latest instant the next advance may reach: two billing intervals from `currentTime`. */
  maxAdvanceTo: z.string(),
  subscription: SubscriptionViewSchema,
});
export type TestClockView = z.infer<typeof TestClockViewSchema>;
