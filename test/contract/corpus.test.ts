import { GATEWAYS } from '../../src/shared/gateway-policy';
import { allFixtures } from './support/corpus';

describe('the gateway contract corpus', () => {
  it.each(GATEWAYS)('%s has at least 10 fixtures, each naming the documentation it was written from', (gateway) => {
    const fixtures = allFixtures(gateway);
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
    for (const [name, f] of fixtures) {
      expect({ name, source: f.source }).toEqual({ name, source: expect.stringMatching(/^https:\/\/\S+/) });
      expect(f.operation).toBeTruthy();
      // Either a documented exchange or a documented webhook body.
      expect(Boolean(f.request && f.response) || f.body !== undefined).toBe(true);
    }
  });
});
