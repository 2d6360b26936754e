import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ChargesPerSecondSchema } from '../config/charge-rates';
import { GATEWAY_POLICIES, type Gateway } from '../shared/gateway-policy';
import { CurrencySchema, type Currency } from '../shared/money';
import { ConnectionIdSchema } from '../shared/schemas';

const secret = z.string().min(1, 'is required');
/**
 * A secret that authenticates webhooks: long enough not to be guessed, and without whitespace (a pasted `" "` or a
 * trailing newline would otherwise be accepted and silently never match, or match anything padded the same way).
 */
const webhookSecret = (minLength: number) =>
  z
    .string()
    .min(1, 'is required')
    .refine((v) => !/\s/.test(v), 'must not contain whitespace')
    .refine((v) => v.length >= minLength, `must be at least ${minLength} characters`);
/** Paystack signs webhooks with the API secret key, whose length Paystack chooses; 8 only stops an obvious mistake. */
const paystackKey = webhookSecret(8);
const hashSecret = webhookSecret(16);
const common = {
  mode: z.enum(['test', 'live']),
  /** Points the client at another host (the local sandbox); defaults to the gateway's production API. */
  baseUrl: z.url().optional(),
  /** Where the hosted checkout sends the customer back (Paystack callback_url, Flutterwave redirect_url). */
  callbackUrl: z.url().optional(),
  /** Narrows the gateway's currencies for this account; defaults to all the policy allows. */
  allowedCurrencies: z.array(CurrencySchema).min(1).optional(),
  /**
   * Minimum authorization charge per currency in minor units, over the policy's defaults: Paystack publishes none
   * for KES, so an account can set what its banks accept (e.g. { "KES": 500 }).
   */
  authorizationMinimums: z.partialRecord(CurrencySchema, z.number().int().positive()).optional(),
  /** Charges per second across all workers; defaults per gateway (src/config/charge-rates.ts). */
  chargesPerSecond: ChargesPerSecondSchema.optional(),
  /** Days after a subscription ends during which its charges stay refundable through the API (default 180). */
  refundWindowDays: z.number().int().min(7).max(730).optional(),
};
const flags = (gateway: Gateway, extra: z.ZodRawShape = {}) =>
  z.object({ refundsEnabled: z.boolean().default(GATEWAY_POLICIES[gateway].refundsEnabledByDefault), ...extra }).strict().prefault({});

const PaystackConnectionSchema = z
  .object({
    gateway: z.literal('paystack'),
    ...common,
    keys: z
      .object({
        secretKey: paystackKey,
        /** The key before a roll: webhooks signed with it still verify until it is removed. */
        previousSecretKey: paystackKey.optional(),
        subaccountCode: z.string().min(1).optional(),
      })
      .strict(),
    flags: flags('paystack', { internationalPayments: z.boolean().default(false) }),
  })
  .strict();
const FlutterwaveConnectionSchema = z
  .object({
    gateway: z.literal('flutterwave'),
    ...common,
    keys: z
      .object({ publicKey: secret, secretKey: secret, encryptionKey: secret, webhookSecretHash: hashSecret, previousWebhookSecretHash: hashSecret.optional() })
      .strict(),
    flags: flags('flutterwave'),
  })
  .strict();
const RazorpayConnectionSchema = z
  .object({
    gateway: z.literal('razorpay'),
    ...common,
    keys: z
      .object({ keyId: secret, keySecret: secret, webhookSecret: hashSecret, previousWebhookSecret: hashSecret.optional() })
      .strict(),
    /**
     * The card mandate's `max_amount` in paise: the most one renewal may debit. Razorpay allows up to ₹15,000
     * without additional authentication (RBI); a plan above it can never renew, so the API refuses it.
     */
    mandateMaxAmount: z.number().int().min(100).max(1_500_000).default(1_500_000),
    flags: flags('razorpay'),
  })
  .strict();

const ConnectionSchema = z.discriminatedUnion('gateway', [PaystackConnectionSchema, FlutterwaveConnectionSchema, RazorpayConnectionSchema]);
const ConnectionsFileSchema = z.record(ConnectionIdSchema, ConnectionSchema);

type ParsedConnection = z.infer<typeof ConnectionSchema>;
/** One configured gateway account. Holds secrets: never log it or return it; use `publicConnectionView`. */
export type GatewayConnection = ParsedConnection & { id: string; flags: { refundsEnabled: boolean; internationalPayments?: boolean } };
export type PaystackConnection = Extract<GatewayConnection, { gateway: 'paystack' }>;
export type FlutterwaveConnection = Extract<GatewayConnection, { gateway: 'flutterwave' }>;
export type RazorpayConnection = Extract<GatewayConnection, { gateway: 'razorpay' }>;
export type GatewayConnections = ReadonlyMap<string, GatewayConnection>;

export const DEFAULT_BASE_URLS: Readonly<Record<Gateway, string>> = {
  paystack: 'https://api.paystack.co',
  flutterwave: 'https://api.flutterwave.com/v3',
  razorpay: 'https://api.razorpay.com/v1',
};

export class ConnectionConfigError extends Error {
  override readonly name = 'ConnectionConfigError';
}

/** Parse a connections object. Error lines name the field (`paystack-live.keys.secretKey: is required`), never a value. */
export function parseConnections(raw: unknown): GatewayConnections {
  const parsed = ConnectionsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new ConnectionConfigError(`invalid gateway connections:\n${lines.join('\n')}`);
  }
  const entries = Object.entries(parsed.data).map(([id, c]): [string, GatewayConnection] => [id, Object.freeze({ ...c, id })]);
  return new Map(entries);
}

/**
 * Load connections from env `GATEWAY_CONNECTIONS` (inline JSON) or `GATEWAY_CONNECTIONS_FILE` (a path).
 * Inline wins so a container can override a baked-in file. Parse errors never echo the input: it holds secrets.
 */
export function loadConnections(env: NodeJS.ProcessEnv = process.env): GatewayConnections {
  const inline = env.GATEWAY_CONNECTIONS;
  const file = env.GATEWAY_CONNECTIONS_FILE;
  let text: string;
  let source: string;
  if (inline !== undefined && inline.trim() !== '') {
    text = inline;
    source = 'GATEWAY_CONNECTIONS';
  } else if (file !== undefined && file.trim() !== '') {
    source = `GATEWAY_CONNECTIONS_FILE (${file})`;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConnectionConfigError(`${source}: cannot read file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  } else {
    throw new ConnectionConfigError('set GATEWAY_CONNECTIONS (JSON) or GATEWAY_CONNECTIONS_FILE (path to a JSON file)');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ConnectionConfigError(`${source}: not valid JSON`);
  }
  return parseConnections(raw);
}

export const baseUrlOf = (c: GatewayConnection): string => (c.baseUrl ?? DEFAULT_BASE_URLS[c.gateway]).replace(/\/+$/, '');

/** Currencies this connection may bill in: the policy's, plus opt-ins the flags enable, narrowed by allowedCurrencies. */
export function currenciesOf(c: GatewayConnection): Currency[] {
  const policy = GATEWAY_POLICIES[c.gateway];
  const optIn = c.gateway === 'paystack' && c.flags.internationalPayments ? policy.optInCurrencies : [];
  const all = [...policy.currencies, ...optIn];
  return c.allowedCurrencies ? all.filter((cur) => c.allowedCurrencies?.includes(cur)) : all;
}

export interface PublicConnectionView {
  id: string;
  gateway: Gateway;
  mode: 'test' | 'live';
  baseUrl: string;
  currencies: Currency[];
  flags: Record<string, boolean>;
  /** Which keys are set, never their values. */
  keys: Record<string, 'set'>;
}

/** What may leave the process: key names only, no values. */
export function publicConnectionView(c: GatewayConnection): PublicConnectionView {
  return {
    id: c.id,
    gateway: c.gateway,
    mode: c.mode,
    baseUrl: baseUrlOf(c),
    currencies: currenciesOf(c),
    flags: { ...c.flags },
    keys: Object.fromEntries(Object.keys(c.keys).map((k) => [k, 'set' as const])),
  };
}
