import { z } from 'zod';

/** Razorpay errors: { error: { code, description, reason?, source?, step? } }. */
export const RazorpayErrorSchema = z.object({
  error: z.object({ code: z.string(), description: z.string().default(''), reason: z.string().nullish(), source: z.string().nullish(), step: z.string().nullish() }),
});

export const RazorpayOrderSchema = z.object({
  id: z.string(),
  receipt: z.string().nullish(),
  status: z.enum(['created', 'attempted', 'paid']),
  amount: z.number().int(),
  currency: z.string(),
});
export const RazorpayCollectionSchema = <T extends z.ZodType>(item: T): z.ZodObject<{ items: z.ZodArray<T> }> => z.object({ items: z.array(item) });

export const RazorpayPaymentSchema = z.object({
  id: z.string(),
  status: z.enum(['created', 'authorized', 'captured', 'refunded', 'failed']),
  /** Subunits by the currency's exponent (paise; three-decimal currencies with a trailing 0). */
  amount: z.number().int(),
  currency: z.string(),
  order_id: z.string().nullish(),
  customer_id: z.string().nullish(),
  token_id: z.string().nullish(),
  created_at: z.number().optional(),
  error_code: z.string().nullish(),
  error_description: z.string().nullish(),
  error_reason: z.string().nullish(),
  card: z.object({ last4: z.string(), network: z.string(), expiry_month: z.union([z.string(), z.number()]).transform(String), expiry_year: z.union([z.string(), z.number()]).transform(String) }).partial().nullish(),
});
export type RazorpayPayment = z.infer<typeof RazorpayPaymentSchema>;

/** A registration (authorization) link is an invoice entity with a short_url and its own order. */
export const RazorpayInvoiceSchema = z.object({
  id: z.string(),
  receipt: z.string().nullish(),
  order_id: z.string().nullish(),
  short_url: z.url(),
  status: z.string(),
});

export const RazorpayRecurringPaymentSchema = z.object({ razorpay_payment_id: z.string(), razorpay_order_id: z.string().optional() });

export const RazorpayRefundSchema = z.object({
  id: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  status: z.enum(['pending', 'processed', 'failed']),
});
