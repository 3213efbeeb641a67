import { describe, expect, it } from 'vitest';
import { allocFromSlab } from '../../src/util/index.js';

describe('allocFromSlab', () => {
  it('hands out zero-filled, non-overlapping, 8-aligned regions', () => {
    const parts = [1, 7, 8, 100, 1000, 3000].map((n) => allocFromSlab(n));
    for (const p of parts) {
      expect(p.every((b) => b === 0)).toBe(true);
      expect(p.byteOffset % 8).toBe(0);
      p.fill(0xff);
    }
    // Writing all of each region touched no other: each still reads back only its own fill.
    const fresh = allocFromSlab(64);
    expect(fresh.every((b) => b === 0)).toBe(true);
    const same = parts.filter((p) => p.buffer === parts[0]!.buffer);
    for (let i = 1; i < same.length; i++) expect(same[i]!.byteOffset).toBeGreaterThanOrEqual(same[i - 1]!.byteOffset + same[i - 1]!.length);
  });

  it('gives large arrays their own buffer and starts a new slab when one is full', () => {
    const big = allocFromSlab(10_000);
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(10_000);
    const buffers = new Set(Array.from({ length: 20 }, () => allocFromSlab(4096).buffer));
    expect(buffers.size).toBeGreaterThan(1);
  });
});
