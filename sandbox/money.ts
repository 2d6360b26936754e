/**
 * The sandbox's own minor/major unit conversion. It deliberately does not import Chargeloop's money code: a bug
 * there must show up as a disagreement with the sandbox, not be repeated by it.
 */
const EXPONENTS: Readonly<Record<string, number>> = { XOF: 0, XAF: 0, UGX: 0, RWF: 0, JPY: 0, KWD: 3, BHD: 3, OMR: 3 };
const KNOWN = new Set(['NGN', 'GHS', 'ZAR', 'KES', 'USD', 'EUR', 'GBP', 'INR', 'TZS', 'MWK', 'EGP', ...Object.keys(EXPONENTS)]);

export const isCurrency = (c: unknown): c is string => typeof c === 'string' && KNOWN.has(c);
export const exponentOf = (currency: string): number => EXPONENTS[currency] ?? 2;

/** Major units as a JSON number (Flutterwave's wire unit) → integer minor units; undefined when not exact. */
export function majorToMinor(major: unknown, currency: string): number | undefined {
  const n = typeof major === 'string' && major.trim() !== '' ? Number(major) : major;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return undefined;
  const minor = Math.round(n * 10 ** exponentOf(currency));
  return Math.abs(minor / 10 ** exponentOf(currency) - n) < 1e-9 && Number.isSafeInteger(minor) ? minor : undefined;
}

export const minorToMajor = (minor: number, currency: string): number => minor / 10 ** exponentOf(currency);

export const formatAmount = (minor: number, currency: string): string => `${currency} ${minorToMajor(minor, currency).toFixed(exponentOf(currency))}`;
