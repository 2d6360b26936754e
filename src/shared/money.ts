import { z } from 'zod';
import { shareable } from './shareable-schema';

/**
 * ISO 4217 minor-unit exponents for the currencies the three gateways settle in.
 * Chargeloop keeps every amount as an integer in minor units; conversion happens only at a gateway's edge.
 */
export const CURRENCY_EXPONENTS = {
  NGN: 2, GHS: 2, ZAR: 2, KES: 2, USD: 2, EUR: 2, GBP: 2, INR: 2, TZS: 2, MWK: 2, EGP: 2,
  XOF: 0, XAF: 0, UGX: 0, RWF: 0, JPY: 0,
  KWD: 3, BHD: 3, OMR: 3,
} as const satisfies Record<string, number>;

export type Currency = keyof typeof CURRENCY_EXPONENTS;
export const CURRENCIES = Object.keys(CURRENCY_EXPONENTS) as [Currency, ...Currency[]];
export const CurrencySchema = shareable(z.enum(CURRENCIES, { error: 'must be an ISO 4217 code Chargeloop supports (e.g. NGN, ZAR, INR)' }));

/** An integer amount in the currency's minor unit (kobo, cents, paise…). */
export const MinorUnitsSchema = shareable(z.number().int('must be an integer in minor units').nonnegative().max(Number.MAX_SAFE_INTEGER));

/**
 * A price or a refund: more than 0 minor units. A zod check rather than a refinement, so the OpenAPI document states
 * it too (`exclusiveMinimum: 0`); a refinement is invisible to JSON Schema generation.
 */
export const PositiveMinorUnitsSchema = shareable(z.number().int('must be an integer in minor units').positive('must be greater than 0').max(Number.MAX_SAFE_INTEGER));

export const MoneySchema = shareable(z.object({ amount: MinorUnitsSchema, currency: CurrencySchema }).strict());
export type Money = z.infer<typeof MoneySchema>;

export function currencyExponent(currency: Currency): number {
  return CURRENCY_EXPONENTS[currency];
}

/** Minor units → decimal string in major units, exact (no float arithmetic): 150050 NGN → "1500.50". */
export function toMajorUnitString(amount: number, currency: Currency): string {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`amount must be a non-negative integer, got ${amount}`);
  const exp = currencyExponent(currency);
  if (exp === 0) return String(amount);
  const digits = String(amount).padStart(exp + 1, '0');
  return `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

/** Major units (number or decimal string, as gateways like Flutterwave return them) → integer minor units. */
export function fromMajorUnits(major: number | string, currency: Currency): number {
  const exp = currencyExponent(currency);
  const text = typeof major === 'number' ? major.toFixed(exp) : major.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a non-negative decimal amount: ${String(major)}`);
  const whole = match[1] ?? '0';
  const frac = match[2] ?? '';
  if (frac.length > exp && /[^0]/.test(frac.slice(exp))) {
    throw new RangeError(`${text} has more precision than ${currency} allows (${exp} decimals)`);
  }
  const minor = Number(whole + frac.slice(0, exp).padEnd(exp, '0'));
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount out of range: ${text}`);
  return minor;
}

export function formatMoney(money: Money): string {
  return `${money.currency} ${toMajorUnitString(money.amount, money.currency)}`;
}
