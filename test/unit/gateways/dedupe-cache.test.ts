import { DedupeCache } from '../../../src/api/routes/dedupe-cache';

describe('DedupeCache', () => {
  it('remembers keys until their TTL passes', () => {
    let now = 0;
    const cache = new DedupeCache(10, 1000, () => now);
    cache.add('a');
    now = 999;
    expect(cache.has('a')).toBe(true);
    now = 1001;
    expect(cache.has('a')).toBe(false);
  });

  it('evicts the oldest key beyond its bound', () => {
    const cache = new DedupeCache(2);
    cache.add('a');
    cache.add('b');
    cache.add('c');
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([false, true, true]);
  });
});
