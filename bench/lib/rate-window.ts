/**
 * How a series of event times (ms) compares with a rate limit, as a gateway would count it.
 * - `steadyPerSecond`: (n - 1) / (last - first), the rate between the first and the last event; n events sent at
 *   exactly r per second read r.
 * - `peakInWindow`: the most events inside any window of `windowMs` (sliding, [t, t + windowMs)), the figure a
 *   gateway's "N per window" limit is checked against.
 */
export function steadyPerSecond(times: readonly number[]): number {
  if (times.length < 2) return 0;
  const sorted = [...times].sort((a, b) => a - b);
  const span = sorted[sorted.length - 1]! - sorted[0]!;
  return span > 0 ? ((sorted.length - 1) * 1000) / span : 0;
}

export function peakInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while (sorted[end]! - sorted[start]! >= windowMs) start += 1;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}
