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
