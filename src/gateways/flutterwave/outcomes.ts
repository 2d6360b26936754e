import type { ChargeOutcome, StoredCard } from '../../shared/gateway-port';
import { fromMajorUnits, type Currency } from '../../shared/money';
import type { FlutterwaveTransaction } from './schemas';

function storedCard(tx: FlutterwaveTransaction): StoredCard | undefined {
  const card = tx.card;
  if (!card?.token) return undefined;
  const [expMonth, expYear] = (card.expiry ?? '').split('/');
  return { token: card.token, gatewayCustomerId: tx.customer?.id, last4: card.last_4digits, brand: card.type, expMonth, expYear, reusable: true };
}

/**
 * Map a Flutterwave transaction to the workflow's outcome. The caller passes what it expects: a transaction whose
 * currency or tx_ref differs is not ours to credit (Flutterwave's own advice before giving value).
 */
export function toChargeOutcome(tx: FlutterwaveTransaction, reference: string, currency: Currency): ChargeOutcome {
  if (tx.tx_ref !== reference || tx.currency !== currency) {
    return { status: 'declined', reference, reason: `transaction does not match (tx_ref ${tx.tx_ref}, ${tx.currency})`, code: 'mismatch' };
  }
  switch (tx.status) {
    case 'successful':
      return {
        status: 'succeeded',
        reference,
        gatewayTransactionId: tx.id,
        amount: { amount: fromMajorUnits(tx.amount, currency), currency },
        paidAt: tx.created_at ?? new Date().toISOString(),
        card: storedCard(tx),
      };
    case 'failed':
    case 'cancelled':
      return { status: 'declined', reference, reason: tx.processor_response ?? tx.status, code: tx.status };
    default:
      return { status: 'pending', reference };
  }
}
