/** mulberry32: a tiny seeded PRNG so duplicate deliveries are reproducible in tests (same seed → same duplicates). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ids that look like each gateway's (`order_…`, `AUTH_…`) from the same seeded stream. */
export function idMaker(random: () => number): (prefix: string, length?: number) => string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return (prefix, length = 14) => {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
    return `${prefix}${out}`;
  };
}
