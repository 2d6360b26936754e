/**
 * Gateways spell card networks differently (Paystack `visa` / `card_type: "visa "`, Flutterwave `MASTERCARD`,
 * Razorpay `MasterCard` / `RuPay`); Chargeloop stores one lower-case canonical name per network.
 */
const CANONICAL: Readonly<Record<string, string>> = {
  visa: 'visa',
  mastercard: 'mastercard',
  master: 'mastercard',
  verve: 'verve',
  rupay: 'rupay',
  amex: 'amex',
  americanexpress: 'amex',
  diners: 'diners',
  dinersclub: 'diners',
  discover: 'discover',
  jcb: 'jcb',
  maestro: 'maestro',
  unionpay: 'unionpay',
  bajaj: 'bajaj',
};

export function canonicalCardBrand(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const key = raw.toLowerCase().replace(/[^a-z]/g, '');
  if (key === '') return undefined;
  return CANONICAL[key] ?? key;
}
