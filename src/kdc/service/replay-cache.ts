import { systemClock, type Clock } from '../../util/index.js';
import type { ReplayCache } from './types.js';

/**
 * An in-memory replay cache. Entries live until their `until` (the authenticator's time plus the
 * clock skew: RFC 4120 §3.2.3 only requires remembering authenticators the skew would still
 * admit). Expired entries are swept on insertion, amortised; `maxEntries` bounds memory under a
 * flood — when full, the oldest entries go first, which can only let an old authenticator through
 * twice after it is past the skew window anyway.
 */
export class MemoryReplayCache implements ReplayCache {
  readonly #entries = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #clock: Clock;
  #nextSweep = 0;

  constructor(options: { readonly clock?: Clock; readonly maxEntries?: number } = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#maxEntries = options.maxEntries ?? 1_000_000;
  }

  get size(): number {
    return this.#entries.size;
  }

  seen(id: string, until: Date): boolean {
    const now = this.#clock.now().getTime();
    const hit = this.#entries.get(id);
    if (hit !== undefined && hit > now) return true;
    if (this.#entries.size >= this.#nextSweep) this.#sweep(now);
    this.#entries.set(id, until.getTime());
    return false;
  }

  #sweep(now: number): void {
    for (const [id, until] of this.#entries) if (until <= now) this.#entries.delete(id);
    // Map iteration is insertion order: drop the oldest when still over the bound.
    for (const id of this.#entries.keys()) {
      if (this.#entries.size < this.#maxEntries) break;
      this.#entries.delete(id);
    }
    this.#nextSweep = Math.max(1024, this.#entries.size * 2);
  }
}
