import { chargeRates, DEFAULT_CHARGES_PER_SECOND } from '../../src/config/charge-rates';
import { ConnectionConfigError, parseConnections } from '../../src/gateways/connections';
import { testConnections } from '../helpers/gateway-connections';

const paystack = (extra: Record<string, unknown> = {}) => ({ gateway: 'paystack', mode: 'live', keys: { secretKey: 'sk_live_12345678' }, ...extra });

describe('charge rate per gateway connection', () => {
  it('defaults per gateway: Paystack 20/s (1,200 charge_authorization per minute), Flutterwave and Razorpay 10/s', () => {
    expect(DEFAULT_CHARGES_PER_SECOND).toEqual({ paystack: 20, flutterwave: 10, razorpay: 10 });
    expect(chargeRates(testConnections())).toEqual([
      { connectionId: 'paystack-test', perSecond: 20 },
      { connectionId: 'flutterwave-test', perSecond: 10 },
      { connectionId: 'razorpay-test', perSecond: 10 },
    ]);
  });

  it('takes the connection own chargesPerSecond, fractions included', () => {
    const connections = parseConnections({ 'ps-live': paystack({ chargesPerSecond: 15 }), 'ps-test': paystack({ mode: 'test', chargesPerSecond: 1.5 }), 'ps-other': paystack() });
    expect(chargeRates(connections)).toEqual([
      { connectionId: 'ps-live', perSecond: 15 },
      { connectionId: 'ps-test', perSecond: 1.5 },
      { connectionId: 'ps-other', perSecond: 20 },
    ]);
  });

  it.each([[0], [-1], ['20'], [1001], [null]])('refuses chargesPerSecond %p, naming the field', (value) => {
    const attempt = () => parseConnections({ 'ps-live': paystack({ chargesPerSecond: value }) });
    expect(attempt).toThrow(ConnectionConfigError);
    expect(attempt).toThrow(/ps-live\.chargesPerSecond/);
  });
});
