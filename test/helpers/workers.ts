import { chargeRates, type ChargeRate } from '../../src/config/charge-rates';
import { sandboxConnections, testConnections } from './gateway-connections';

/**
 * The charge queues a test worker polls when its activities are fakes: every connection id the tests' inputs name
 * (the `<gateway>-sandbox` and `<gateway>-test` sets), at their configured rates, as the production worker would.
 */
export function testChargeRates(): ChargeRate[] {
  return chargeRates(new Map([...sandboxConnections(), ...testConnections()]));
}
