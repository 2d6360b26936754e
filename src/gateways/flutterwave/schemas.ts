import { z } from 'zod';

/** Flutterwave v3 answers { status: 'success' | 'error', message, data }; only the fields Chargeloop reads are declared. */
export const FlutterwaveEnvelopeSchema = z.object({ status: z.string(), message: z.string().default(''), data: z.unknown().optional() });

export const FlutterwaveHostedLinkSchema = z.object({ link: z.url() });

/** Amounts are in MAJOR units, possibly with decimals (`amount: 1500.5`). */
export const FlutterwaveTransactionSchema = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  tx_ref: z.string(),
  status: z.string(),
  amount: z.union([z.number(), z.string()]),
  currency: z.string(),
  processor_response: z.string().nullish(),
  created_at: z.string().nullish(),
  card: z
    .object({ token: z.string(), last_4digits: z.string(), type: z.string(), expiry: z.string() })
    .partial()
    .nullish(),
  customer: z.object({ id: z.union([z.number(), z.string()]).transform(String), email: z.string() }).partial().nullish(),
});
export type FlutterwaveTransaction = z.infer<typeof FlutterwaveTransactionSchema>;

export const FlutterwaveRefundSchema = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  amount_refunded: z.union([z.number(), z.string()]),
  status: z.string(),
});
