/**
 * Fixed-window attempt counter per key (`addr:…`, `user:…`). In memory: one bridge node. Several
 * nodes behind a balancer would move this into the shared store.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowSeconds: number,
  ) {}

  /** Count one attempt; returns seconds to wait when over the limit, else undefined. */
  hit(key: string, nowMs: number): number | undefined {
    const w = this.windows.get(key);
    if (!w || nowMs - w.start >= this.windowSeconds * 1000) {
      if (this.windows.size > 100_000) this.sweep(nowMs);
      this.windows.set(key, { start: nowMs, count: 1 });
      return undefined;
    }
    w.count++;
    if (w.count <= this.limit) return undefined;
    return Math.max(1, Math.ceil((w.start + this.windowSeconds * 1000 - nowMs) / 1000));
  }

  private sweep(nowMs: number): void {
    for (const [k, w] of this.windows) if (nowMs - w.start >= this.windowSeconds * 1000) this.windows.delete(k);
  }
}
