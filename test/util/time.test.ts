import { describe, expect, it } from 'vitest';
import { accountExpiredAt } from '../../src/util/index.js';

describe('accountExpiredAt', () => {
  // Samba 4.17 (Heimdal valid_end < kdc_time, whole seconds): served at E + 0.6 s, refused at E + 1.1 s.
  const e = new Date('2026-11-28T10:00:00Z');
  const at = (ms: number): Date => new Date(e.getTime() + ms);
  it.each([
    [-1000, false],
    [0, false],
    [600, false],
    [999, false],
    [1000, true],
    [1100, true],
  ])('accountExpires E, now E%+d ms → %s', (ms, expired) => expect(accountExpiredAt(e, at(ms))).toBe(expired));

  it('undefined is never', () => expect(accountExpiredAt(undefined, at(1e12))).toBe(false));
});
