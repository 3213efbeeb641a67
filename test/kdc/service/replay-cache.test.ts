import { describe, expect, it } from 'vitest';
import { MemoryReplayCache } from '../../../src/kdc/index.js';

/**
 * MemoryReplayCache edge cases where an authenticator could be forgotten while it is still inside
 * the skew window (a replay accepted). The common paths are in handle.test.ts.
 */

/** A ciphertext whose last 12 octets (the tag the cache keys on) encode `n`. */
function tag(n: number): Uint8Array {
  const t = new Uint8Array(40);
  const v = new DataView(t.buffer);
  v.setUint32(28, n);
  v.setUint32(32, ~n >>> 0);
  v.setUint32(36, Math.imul(n, 2654435761) >>> 0);
  return t;
}

function manualClock(at: number): { at: number; now(): Date } {
  return { at, now() { return new Date(this.at); } };
}

describe('MemoryReplayCache over its bound', () => {
  it('keeps the newest half even when they all expire in the same second (a client can choose that second through ctime)', () => {
    const clock = manualClock(0);
    const c = new MemoryReplayCache({ clock, maxEntries: 100 });
    const until = new Date(300_000);
    // 513 entries fill half of the first 1,024-slot table: the insert that passes half rebuilds, over the bound.
    for (let i = 0; i < 513; i++) expect(c.seen(tag(i), until)).toBe(false);
    let remembered = 0;
    for (let i = 0; i < 513; i++) if (c.seen(tag(i), until)) remembered++;
    // Before the fix the cut fell on the one expiry second all of them share and dropped every one.
    expect(remembered).toBeGreaterThanOrEqual(50);
  });

  it('keeps the newest half when the newest second alone holds more than half, and drops older seconds first', () => {
    const clock = manualClock(0);
    const c = new MemoryReplayCache({ clock, maxEntries: 100 });
    for (let i = 0; i < 400; i++) c.seen(tag(i), new Date(100_000));
    for (let i = 400; i < 513; i++) c.seen(tag(i), new Date(200_000));
    let newest = 0;
    for (let i = 400; i < 513; i++) if (c.seen(tag(i), new Date(200_000))) newest++;
    expect(newest).toBeGreaterThanOrEqual(50);
    let older = 0;
    for (let i = 0; i < 400; i++) if (c.seen(tag(i), new Date(100_000))) older++;
    expect(older).toBe(0);
  });
});

describe('MemoryReplayCache with a clock stepped back before the cache was made', () => {
  const T = 1_000_000_000; // ms; the cache's base second is T/1000 - 1

  it('an authenticator recorded while the clock reads one second before the base is still a replay', () => {
    const clock = manualClock(T);
    const c = new MemoryReplayCache({ clock });
    clock.at = T - 1500; // NTP stepped the clock back 1.5 s
    const until = new Date(T - 1000); // the second the cache's base falls in
    expect(c.seen(tag(7), until)).toBe(false);
    // Before the fix its expiry came out as 0, the mark of a never-used slot: the entry vanished.
    expect(c.seen(tag(7), until)).toBe(true);
  });

  it('entries recorded an hour behind the base expire once the clock is past them (not kept forever)', () => {
    const clock = manualClock(T);
    const c = new MemoryReplayCache({ clock });
    clock.at = T - 3_600_000;
    const until = new Date(clock.at + 301_000);
    expect(c.seen(tag(8), until)).toBe(false);
    expect(c.seen(tag(8), until)).toBe(true);
    clock.at = T + 5_000; // back in step, far past `until`
    // Before the fix its negative expiry wrapped to ~2^32 in the Uint32Array: live for a century,
    // and preferred over every real entry when the bound cuts the table.
    expect(c.size).toBe(0);
    expect(c.seen(tag(8), new Date(clock.at + 301_000))).toBe(false);
  });
});

describe('MemoryReplayCache against a model (a Map of tag → expiry second)', () => {
  it('answers exactly as the model over 200,000 random uses: repeats, expiry, slot reuse, table growth and probe wrap-around', () => {
    // xorshift32, fixed seed: a failure reproduces.
    let x = 0x2545f491;
    const rnd = (n: number): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % n;
    };
    const clock = manualClock(1_700_000_000_000);
    const c = new MemoryReplayCache({ clock });
    const model = new Map<number, number>();
    let mismatches = 0;
    let repeats = 0;
    for (let i = 0; i < 200_000; i++) {
      // Mostly a small set of tags (many repeats and expiries), in bursts many fresh ones (table growth).
      const id = i % 50_000 < 20_000 ? 100_000 + i : rnd(3000);
      const until = clock.at + 1000 + rnd(400_000);
      const nowSec = Math.floor(clock.at / 1000);
      const expiry = model.get(id);
      const live = expiry !== undefined && nowSec < expiry;
      if (!live) model.set(id, Math.max(nowSec + 1, Math.ceil(until / 1000)));
      if (live) repeats++;
      if (c.seen(tag(id), new Date(until)) !== live) mismatches++;
      clock.at += rnd(40);
    }
    expect(repeats).toBeGreaterThan(10_000);
    expect(mismatches).toBe(0);
  });
});
