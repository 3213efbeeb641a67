import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/bridge/index.js';

describe('RateLimiter', () => {
  it('allows `limit` hits per window per key, then says how long to wait', () => {
    const r = new RateLimiter(2, 60);
    expect(r.hit('a', 0)).toBeUndefined();
    expect(r.hit('a', 1000)).toBeUndefined();
    expect(r.hit('a', 2000)).toBe(58);
    expect(r.hit('b', 2000)).toBeUndefined();
    expect(r.hit('a', 59_500)).toBe(1);
    expect(r.hit('a', 60_000)).toBeUndefined();
  });
});
