/**
 * Per-source token buckets: each address gets `burst` tokens, refilled at `perSecond`. A request
 * that finds the bucket empty is dropped (UDP) or its connection closed (TCP) — a KDC under a
 * flood should spend nothing on answering it. Idle buckets are forgotten, and the table is bounded.
 */
export interface RateLimitOptions {
  readonly perSecond: number;
  readonly burst: number;
  /** How many addresses are tracked at most; beyond it the oldest are forgotten. */
  readonly maxSources?: number;
}

export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #perMs: number;
  readonly #burst: number;
  readonly #maxSources: number;
  readonly #now: () => number;

  constructor(options: RateLimitOptions, now: () => number = () => performance.now()) {
    if (!(options.perSecond > 0) || !(options.burst >= 1)) throw new RangeError('rate limit needs perSecond > 0 and burst ≥ 1');
    this.#perMs = options.perSecond / 1000;
    this.#burst = options.burst;
    this.#maxSources = options.maxSources ?? 65536;
    this.#now = now;
  }

  /** Take one token for `source`; false when its bucket is empty. */
  take(source: string): boolean {
    const now = this.#now();
    let b = this.#buckets.get(source);
    if (b === undefined) {
      if (this.#buckets.size >= this.#maxSources) this.#evict(now);
      b = { tokens: this.#burst, at: now };
      this.#buckets.set(source, b);
    } else {
      b.tokens = Math.min(this.#burst, b.tokens + (now - b.at) * this.#perMs);
      b.at = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  #evict(now: number): void {
    const full = this.#burst / this.#perMs;
    for (const [k, b] of this.#buckets) if (now - b.at >= full) this.#buckets.delete(k);
    for (const k of this.#buckets.keys()) {
      if (this.#buckets.size < this.#maxSources) break;
      this.#buckets.delete(k);
    }
  }
}
