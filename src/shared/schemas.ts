import { z } from 'zod';
import { GATEWAYS } from './gateway-policy';
import { SubscriptionIdSchema } from './ids';
import { CurrencySchema, PositiveMinorUnitsSchema } from './money';
import { shareable } from './shareable-schema';

export const GatewaySchema = shareable(z.enum(GATEWAYS));

/** Connection ids name a configured gateway account, e.g. `paystack-sandbox`. */
export const ConnectionIdSchema = shareable(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and "-"'));

export const IsoDateTimeSchema = shareable(z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-01-31T09:00:00Z' }));

export const CustomerSchema = shareable(z
  .object({
    id: z.string().min(1).max(128),
    // zod's own email pattern is a module export, frozen in the workflow sandbox; zod resets its lastIndex per check.
    email: z.email({ error: 'must be an email address', pattern: new RegExp(z.regexes.email) }),
    // "Not blank" as a pattern rather than min(1) after the trim: the same values pass, and JSON Schema can state it.
    firstName: z.string().trim().regex(/\S/, 'must not be blank').max(100).optional(),
    lastName: z.string().trim().regex(/\S/, 'must not be blank').max(100).optional(),
    phone: z.string().regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number').optional(),
  })
  .strict());
export type Customer = z.infer<typeof CustomerSchema>;

export const BillingIntervalSchema = shareable(z.enum(['day', 'week', 'month', 'year']));
export type BillingInterval = z.infer<typeof BillingIntervalSchema>;

export const PlanSchema = shareable(z
  .object({
    id: z.string().min(1).max(64),
    amount: PositiveMinorUnitsSchema,
    currency: CurrencySchema,
    interval: BillingIntervalSchema,
    intervalCount: z.number().int().min(1).max(365).default(1),
    trialDays: z.number().int().min(0).max(730).default(0),
    totalCycles: z.number().int().min(1).max(10_000).nullable().default(null),
  })
  .strict());
export type Plan = z.infer<typeof PlanSchema>;

export const MetadataSchema = shareable(z.record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean(), z.null()])));

/** `POST /v1/subscriptions` body; field names are part of the public contract. */
export const CreateSubscriptionBodySchema = shareable(z
  .object({
    id: SubscriptionIdSchema.optional(),
    customer: CustomerSchema,
    plan: PlanSchema,
    gatewayConnectionId: ConnectionIdSchema,
    metadata: MetadataSchema.default({}),
  })
  .strict());
export type CreateSubscriptionBody = z.infer<typeof CreateSubscriptionBodySchema>;

/** Minimum authorization charge per currency, in minor units. */
export type AuthorizationMinimums = Partial<Record<z.infer<typeof CurrencySchema>, number>>;

/** The single argument of the subscription workflow. */
export const SubscriptionInputSchema = shareable(z
  .object({
    subscriptionId: SubscriptionIdSchema,
    customer: CustomerSchema,
    plan: PlanSchema,
    gateway: GatewaySchema,
    gatewayConnectionId: ConnectionIdSchema,
    metadata: MetadataSchema.default({}),
    /** Optional fixed billing anchor; by default the anchor is the moment the card is authorized (or the trial ends). */
    billingAnchor: IsoDateTimeSchema.optional(),
    /** How long the customer has to authorize the card before the subscription is `incomplete_expired`. */
    authorizationWindowMs: z.number().int().positive().default(23 * 60 * 60 * 1000),
    /** Authorization minimum overrides for this connection, in minor units per currency (e.g. KES). */
    authorizationMinimums: z.partialRecord(CurrencySchema, z.number().int().positive()).optional(),
    /**
     * Billing cycles per workflow run before it continues as new (default 12). Not settable through the API: tests set
     * it low so randomized scenarios cross the continue-as-new boundary within a few cycles.
     */
    cyclesPerRun: z.number().int().min(1).max(12).optional(),
    /** Days after the end during which charges stay refundable (the connection's `refundWindowDays`; default 180). */
    refundWindowDays: z.number().int().min(7).max(730).optional(),
    createdAt: IsoDateTimeSchema,
  })
  .strict());
export type SubscriptionInput = z.infer<typeof SubscriptionInputSchema>;
