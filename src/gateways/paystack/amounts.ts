import { currencyExponent, type Money } from '../../shared/money';

/**
 * Paystack amounts are integers in the currency's subunit (kobo, pesewas, cents). Every Paystack currency has two
 * decimals, so Chargeloop's minor units pass through; the check stops a zero-decimal currency slipping through.
 */
export function toPaystackAmount(money: Money): number {
  if (currencyExponent(money.currency) !== 2) throw new RangeError(`Paystack does not bill ${money.currency}`);
  return money.amount;
}
