import { z } from 'zod';

/** Paystack wraps every answer as { status: boolean, message, data }; only the fields Chargeloop reads are declared. */
export const PaystackEnvelopeSchema = z.object({ status: z.boolean(), message: z.string().default(''), data: z.unknown().optional() });

export const PaystackInitializeDataSchema = z.object({
  authorization_url: z.url(),
  access_code: z.string(),
  reference: z.string(),
});

export const PaystackAuthorizationSchema = z.object({
  authorization_code: z.string(),
  reusable: z.boolean().default(false),
  last4: z.string().optional(),
  exp_month: z.string().optional(),
  exp_year: z.string().optional(),
  brand: z.string().optional(),
});

export const PaystackTransactionSchema = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  status: z.enum(['abandoned', 'failed', 'ongoing', 'pending', 'processing', 'queued', 'reversed', 'success', 'send_otp', 'send_pin']),
  reference: z.string(),
  /** Subunits (kobo, pesewas, cents). */
  amount: z.number().int(),
  currency: z.string(),
  gateway_response: z.string().nullish(),
  paid_at: z.string().nullish(),
  authorization: PaystackAuthorizationSchema.partial().nullish(),
  customer: z.object({ email: z.string(), customer_code: z.string().optional() }).partial().nullish(),
});
export type PaystackTransaction = z.infer<typeof PaystackTransactionSchema>;

export const PaystackRefundSchema = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  status: z.enum(['pending', 'processing', 'processed', 'failed', 'needs-attention']),
  amount: z.union([z.number(), z.string()]).transform(Number),
  currency: z.string(),
  merchant_note: z.string().nullish(),
});
export const PaystackRefundListSchema = z.array(PaystackRefundSchema);
