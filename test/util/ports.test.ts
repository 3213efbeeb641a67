import { describe, expect, it } from 'vitest';
import { systemRandom } from '../../src/util/index.js';

describe('systemRandom (pooled CSPRNG)', () => {
  it('hands out fresh, independent copies of the requested length', () => {
    const a = systemRandom.bytes(32);
    const b = systemRandom.bytes(32);
    expect(a.length).toBe(32);
    expect(a).not.toEqual(b);
    a.fill(0); // a caller wiping its key must not touch what others were given
    expect(b.some((x) => x !== 0)).toBe(true);
    expect(systemRandom.bytes(0).length).toBe(0);
  });

  it('serves large requests outside the pool and across pool refills', () => {
    expect(systemRandom.bytes(10_000).length).toBe(10_000);
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) seen.add(Buffer.from(systemRandom.bytes(16)).toString('hex')); // > 2 pools
    expect(seen.size).toBe(600);
  });

  it('refuses nonsense lengths', () => {
    expect(() => systemRandom.bytes(-1)).toThrow(RangeError);
    expect(() => systemRandom.bytes(1.5)).toThrow(RangeError);
  });
});
