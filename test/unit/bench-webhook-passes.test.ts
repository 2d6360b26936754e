import { passesPerPath, passOrder } from '../../bench/scenarios/webhooks';

// The webhook scenario sends each path's webhooks in passes that never name a subscription twice (webhook i goes to
// subscription i mod N), so a signal costs Temporal the same whichever path delivered it (bench/README.md).
describe('bench webhook passes', () => {
  it('uses the fewest even number of passes that keeps each pass within the subscriptions', () => {
    expect(passesPerPath(3000, 1000)).toBe(4);
    expect(passesPerPath(2000, 1000)).toBe(2);
    expect(passesPerPath(300, 300)).toBe(2);
    expect(passesPerPath(3000, 750)).toBe(4);
    for (const [m, n] of [[3000, 1000], [3000, 750], [1000, 300], [40, 20]] as const) {
      expect(Math.ceil(m / passesPerPath(m, n))).toBeLessThanOrEqual(n);
    }
  });

  it('is bounded for few subscriptions (then a pass repeats some of them)', () => {
    expect(passesPerPath(3000, 200)).toBe(4);
    expect(passesPerPath(10, 0)).toBe(4);
  });

  it('alternates ABBA so drift weighs on both paths alike', () => {
    expect(passOrder(2)).toEqual(['full', 'raw', 'raw', 'full']);
    expect(passOrder(4)).toEqual(['full', 'raw', 'raw', 'full', 'full', 'raw', 'raw', 'full']);
  });
});
