/**
 * A strict spacing limiter: one permit every 1/rate seconds, no burst, so the achieved rate can never exceed the
 * configured one (a gateway counts requests per rolling minute, and a burst at the top of the storm would be
 * answered with 429s). Callers wait in FIFO order.
 */
export class SpacingLimiter {
  private nextAt = 0;

  constructor(private readonly perSecond: number) {}

  async acquire(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + 1000 / this.perSecond;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}
