import { z } from 'zod';
import { GATEWAYS } from '../shared/gateway-policy';
import { SUBSCRIPTION_STATUSES } from '../shared/status';

/** Filter values end up inside a visibility query: printable text only, so nothing can break out of the quoted literal. */
const filterValue = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');

/** `GET /v1/subscriptions` query string. Unknown parameters are refused like unknown body fields. */
export const ListSubscriptionsQuerySchema = z
  .object({
    status: z.enum(SUBSCRIPTION_STATUSES).optional(),
    gateway: z.enum(GATEWAYS).optional(),
    customerId: filterValue(128).optional(),
    planId: filterValue(64).optional(),
    pageToken: z
      .string()
      .max(4096)
      .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'must be a nextPageToken from a previous page')
      .optional(),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type ListSubscriptionsQuery = z.infer<typeof ListSubscriptionsQuerySchema>;

/** Body of `/pause`, `/resume` and `/retry`: nothing, or an empty object. */
export const EmptyBodySchema = z.object({}).strict();

export const SubscriptionSummarySchema = z.object({
  id: z.string(),
  status: z.enum(SUBSCRIPTION_STATUSES).nullable(),
  gateway: z.enum(GATEWAYS).nullable(),
  gatewayConnectionId: z.string().nullable(),
  customerId: z.string().nullable(),
  planId: z.string().nullable(),
  nextChargeAt: z.string().nullable(),
  createdAt: z.string().nullable(),
});

export const SubscriptionPageSchema = z.object({
  data: z.array(SubscriptionSummarySchema),
  nextPageToken: z.string().nullable().describe('Pass as pageToken to get the next page; null on the last page.'),
});

/** RFC 9457 problem details, as every error response is shaped. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
