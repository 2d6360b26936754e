import type { ChargeCardInput, RefundInput } from '../../../src/shared/gateway-port';
import type { Gateway } from '../../../src/shared/gateway-policy';
import type { Currency } from '../../../src/shared/money';

export function chargeInput(gateway: Gateway, reference: string, amount: number, currency: Currency, token: string): ChargeCardInput {
  return {
    gateway,
    connectionId: `${gateway}-test`,
    subscriptionId: reference.split('-c')[0] ?? 'sub-1',
    customer: { id: 'cust-1', email: 'demo@test.com', firstName: 'Ada', lastName: 'Obi', phone: '+919876543210' },
    amount: { amount, currency },
    reference,
    card: { token, gatewayCustomerId: 'cust_DEXE6hO8c3mSgL', reusable: true },
    description: 'Renewal',
  };
}

export function refundInput(gateway: Gateway, chargeReference: string, gatewayTransactionId: string, amount: number, currency: Currency): RefundInput {
  return { gateway, connectionId: `${gateway}-test`, chargeReference, gatewayTransactionId, amount: { amount, currency }, reference: `${chargeReference}-r1` };
}
