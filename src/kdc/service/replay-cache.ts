import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../../util/index.js';
import type { ReplayCache } from './types.js';

/** Octets of an authenticator id kept: the AES etypes' integrity tags (the ciphertext's last octets) are at least this long. */
export const REPLAY_TAG_BYTES = 12;
const WORDS = REPLAY_TAG_BYTES / 4;
const MIN_SLOTS = 1024;

/**
 * An in-memory replay cache (RFC 4120 §3.2.3) of authenticator tags (ap-req-guards.ts: the last
 * 12 octets of the authenticator ciphertext, its verified integrity tag).
 *
 * Why typed arrays: a KDC at 5,000 TGS-REQs per second must remember the last five minutes of
 * authenticators (the clock skew), 1.5 million of them. As Map entries with string keys that was
 * about 150 bytes each of garbage-collected heap, which every major GC walks; here each is 16 bytes
 * in two Uint32Arrays (open addressing, linear probing, load at most one half), invisible to the GC.
 *
 * Entries live until their `until` (the authenticator time plus the skew); an expired slot is
 * reused by a later insert and dropped when the table is rebuilt. Slots are chosen by a hash of the
 * tag mixed with a per-process random seed: a client holding a session key can compute its own
 * tags, and must not be able to pile them into one probe run. `maxEntries` bounds memory under a
 * flood: past it, the entries closest to expiry go first (down to half the bound). That trades
 * completeness for memory: an authenticator dropped so can be replayed until it leaves the skew
 * window, which under a flood of more than `maxEntries` per skew window may be minutes.
 */
export class MemoryReplayCache implements ReplayCache {
  readonly #clock: Clock;
  readonly #maxEntries: number;
  readonly #seed: Uint32Array;
  /** Seconds since #base of construction; expiry 0 marks a never-used slot. */
  readonly #base: number;
  #tags: Uint32Array;
  #expiry: Uint32Array;
  #mask: number;
  /** Slots holding an entry, expired or not (they end probe runs until a rebuild). */
  #used = 0;

  constructor(options: { readonly clock?: Clock; readonly maxEntries?: number } = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#maxEntries = options.maxEntries ?? 2_000_000;
    this.#seed = new Uint32Array(randomBytes(4 * WORDS).buffer);
    this.#base = Math.floor(this.#clock.now().getTime() / 1000) - 1;
    this.#tags = new Uint32Array(MIN_SLOTS * WORDS);
    this.#expiry = new Uint32Array(MIN_SLOTS);
    this.#mask = MIN_SLOTS - 1;
  }

  /** Entries not yet expired. */
  get size(): number {
    const now = this.#now();
    let n = 0;
    for (const e of this.#expiry) if (e > now) n++;
    return n;
  }

  seen(tag: Uint8Array, until: Date): boolean {
    if (tag.length < REPLAY_TAG_BYTES) throw new RangeError(`replay tag of ${tag.length} octets; ${REPLAY_TAG_BYTES} needed`);
    const view = new DataView(tag.buffer, tag.byteOffset + tag.length - REPLAY_TAG_BYTES, REPLAY_TAG_BYTES);
    const w0 = view.getUint32(0);
    const w1 = view.getUint32(4);
    const w2 = view.getUint32(8);
    const now = this.#now();
    let slot = this.#slotOf(w0, w1, w2);
    let free = -1;
    for (;;) {
      const e = this.#expiry[slot]!;
      if (e === 0) break;
      const at = slot * WORDS;
      if (e > now) {
        if (this.#tags[at] === w0 && this.#tags[at + 1] === w1 && this.#tags[at + 2] === w2) return true;
      } else if (free < 0) {
        free = slot;
      }
      slot = (slot + 1) & this.#mask;
    }
    const expiry = Math.max(now + 1, Math.ceil(until.getTime() / 1000) - this.#base);
    if (free < 0) {
      free = slot;
      this.#used++;
    }
    this.#put(free, w0, w1, w2, expiry);
    if (2 * this.#used > this.#expiry.length) this.#rebuild(now);
    return false;
  }

  /**
   * Seconds since #base, never below 0: a clock stepped back before the cache was made would give
   * negative expiries, which a Uint32Array stores as 0 (the never-used mark: the entry vanishes) or
   * as about 2^32 (kept for ever). Read as 0 instead, entries made then live until the clock passes
   * the base again, by when they are outside the skew window.
   */
  #now(): number {
    return Math.max(0, Math.floor(this.#clock.now().getTime() / 1000) - this.#base);
  }

  #slotOf(w0: number, w1: number, w2: number): number {
    let h = Math.imul(w0 ^ this.#seed[0]!, 0x9e3779b1) ^ Math.imul(w1 ^ this.#seed[1]!, 0x85ebca77) ^ Math.imul(w2 ^ this.#seed[2]!, 0xc2b2ae3d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    return h & this.#mask;
  }

  #put(slot: number, w0: number, w1: number, w2: number, expiry: number): void {
    const at = slot * WORDS;
    this.#tags[at] = w0;
    this.#tags[at + 1] = w1;
    this.#tags[at + 2] = w2;
    this.#expiry[slot] = expiry;
  }

  /** Copy the live entries into a table with room for twice as many again (so load stays ≤ 1/2 for a while). */
  #rebuild(now: number): void {
    const oldTags = this.#tags;
    const oldExpiry = this.#expiry;
    let live = 0;
    for (const e of oldExpiry) if (e > now) live++;
    // Over the bound: keep only the latest-expiring maxEntries/2. Entries expiring after `cutoff` stay,
    // and `keepAtCutoff` of those expiring exactly then: the cut falls inside that second, not before
    // it, since a client picks its entries' second through ctime and one second may hold them all.
    let cutoff = now;
    let keepAtCutoff = 0;
    if (live > this.#maxEntries) {
      const counts = new Map<number, number>();
      for (const e of oldExpiry) if (e > now) counts.set(e, (counts.get(e) ?? 0) + 1);
      const quota = Math.floor(this.#maxEntries / 2);
      let kept = 0;
      for (const e of [...counts.keys()].sort((a, b) => b - a)) {
        const n = counts.get(e)!;
        if (kept + n > quota) {
          cutoff = e;
          keepAtCutoff = quota - kept;
          break;
        }
        kept += n;
      }
      live = quota;
    }
    let slots = MIN_SLOTS;
    while (slots < 4 * live) slots *= 2;
    this.#tags = new Uint32Array(slots * WORDS);
    this.#expiry = new Uint32Array(slots);
    this.#mask = slots - 1;
    this.#used = 0;
    for (let i = 0; i < oldExpiry.length; i++) {
      const e = oldExpiry[i]!;
      if (e < cutoff || (e === cutoff && keepAtCutoff-- <= 0)) continue;
      const at = i * WORDS;
      const w0 = oldTags[at]!;
      const w1 = oldTags[at + 1]!;
      const w2 = oldTags[at + 2]!;
      let slot = this.#slotOf(w0, w1, w2);
      while (this.#expiry[slot] !== 0) slot = (slot + 1) & this.#mask;
      this.#put(slot, w0, w1, w2, e);
      this.#used++;
    }
  }
}
