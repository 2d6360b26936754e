import type { Currency } from './money';

export const GATEWAYS = ['paystack', 'flutterwave', 'razorpay'] as const;
export type Gateway = (typeof GATEWAYS)[number];

export type CustomerField = 'email' | 'firstName' | 'lastName' | 'phone';

/**
 * How each gateway bills, in one table (data, not branches): the workflow, the API's validation and the docs read it.
 * Sources: shared/seeds (the behaviour Chargeloop reproduces) and shared/reference/gateways.md (API facts).
 */
export interface GatewayPolicy {
  readonly label: string;
  /** Paystack plans run every day/week/month/year only, never "every 2 months". */
  readonly singleIntervalOnly: boolean;
  /**
   * `minimum_charge_refunded`: the customer pays a small amount that is refunded once the card is stored.
   * `first_payment`: the first invoice itself stores the card; a trial still needs a refunded minimum charge.
   */
  readonly authorization: 'minimum_charge_refunded' | 'first_payment';
  /** Minimum authorization charge in minor units, per currency. */
  readonly authorizationMinimums: Partial<Record<Currency, number>>;
  /** Automatic attempts after a failed renewal, and the fixed spacing between them. */
  readonly automaticRetries: { readonly count: number; readonly spacingMs: number };
  /**
   * How long after it was sent a charge may stay `pending` before Chargeloop escalates it (`charge.pending_expired`)
   * and moves on. It is never recorded as declined: a success that comes later is still booked or refunded.
   */
  readonly pendingWindowMs: number;
  /**
   * `while_unpaid`: the merchant may retry once retries are exhausted (Paystack makes none itself).
   * `next_attempt_early`: "retry now" runs the next scheduled attempt at once without adding attempts (Razorpay).
   */
  readonly manualRetry: 'while_unpaid' | 'next_attempt_early' | 'none';
  readonly currencies: readonly Currency[];
  /** Currencies usable only when the connection enables them (Paystack USD needs international payments). */
  readonly optInCurrencies: readonly Currency[];
  readonly requiredCustomerFields: readonly CustomerField[];
  /** Refunds are off unless the connection enables them (Flutterwave enables refunds only on request). */
  readonly refundsEnabledByDefault: boolean;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const GATEWAY_POLICIES: Readonly<Record<Gateway, GatewayPolicy>> = {
  paystack: {
    label: 'Paystack',
    singleIntervalOnly: true,
    authorization: 'minimum_charge_refunded',
    // Paystack's recommended minimums; KES has none published, so KES 3.00 (a secondary source) unless configured.
    authorizationMinimums: { NGN: 5000, GHS: 10, ZAR: 100, USD: 20, KES: 300 },
    automaticRetries: { count: 0, spacingMs: 0 },
    // No documented end for `ongoing`/`abandoned`/`pending` (a customer step nobody will take on a server-side
    // charge): a day, so the subscription is not held; a late charge.success is still booked.
    pendingWindowMs: DAY,
    manualRetry: 'while_unpaid',
    currencies: ['NGN', 'GHS', 'ZAR', 'KES'],
    optInCurrencies: ['USD'],
    requiredCustomerFields: ['email', 'firstName', 'lastName'],
    refundsEnabledByDefault: true,
  },
  flutterwave: {
    label: 'Flutterwave',
    singleIntervalOnly: false,
    authorization: 'first_payment',
    authorizationMinimums: { NGN: 10000, GHS: 100, ZAR: 100, KES: 1000, USD: 100, EUR: 100, GBP: 100, UGX: 1000, TZS: 100000, RWF: 100, XOF: 100, XAF: 100, MWK: 10000 },
    automaticRetries: { count: 3, spacingMs: 30 * MINUTE },
    // A tokenized charge pending on a 3-D Secure redirect waits for a customer who is not there; undocumented end.
    pendingWindowMs: DAY,
    manualRetry: 'none',
    currencies: ['NGN', 'USD', 'EUR', 'GBP', 'GHS', 'XAF', 'XOF', 'ZAR', 'MWK', 'KES', 'UGX', 'RWF', 'TZS'],
    optInCurrencies: [],
    requiredCustomerFields: ['email'],
    refundsEnabledByDefault: false,
  },
  razorpay: {
    label: 'Razorpay',
    singleIntervalOnly: false,
    authorization: 'first_payment',
    // Razorpay's card minimum is 100 paise; its own future-dated subscriptions charge a token amount and refund it.
    authorizationMinimums: { INR: 100 },
    automaticRetries: { count: 3, spacingMs: DAY },
    // RBI pre-debit: debited about 36 h after the request, authorized 36-72 h after it; a day more for the answer.
    pendingWindowMs: 4 * DAY,
    manualRetry: 'next_attempt_early',
    currencies: ['INR'],
    optInCurrencies: [],
    requiredCustomerFields: ['email'],
    refundsEnabledByDefault: true,
  },
};

export const gatewayPolicy = (gateway: Gateway): GatewayPolicy => GATEWAY_POLICIES[gateway];
