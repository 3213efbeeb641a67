import { describe, expect, it } from 'vitest';
import { addressKey, RateLimiter } from '../../src/bridge/index.js';

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

describe('addressKey', () => {
  it('keys IPv4 by address, IPv4-mapped IPv6 as the IPv4 address', () => {
    expect(addressKey('192.0.2.7')).toBe('addr:192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe('addr:192.0.2.7');
    expect(addressKey(undefined)).toBe('addr:?');
  });

  it('keys IPv6 by its /64, however the address is written', () => {
    const k = addressKey('2001:db8:1:2::1');
    expect(k).toBe('addr:2001:db8:1:2::/64');
    for (const same of ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002::abcd', '2001:DB8:1:2:0:0:0:9', '2001:db8:1:2::7%eth0', '2001:db8:1:2:0:0:192.0.2.1']) {
      expect(addressKey(same)).toBe(k);
    }
    expect(addressKey('2001:db8:1:3::1')).not.toBe(k);
    expect(addressKey('2001:db8::1')).toBe('addr:2001:db8:0:0::/64');
    expect(addressKey('1:2::4:5:6:1.2.3.4')).toBe('addr:1:2:0:4::/64');
    expect(addressKey('::1')).toBe('addr:0:0:0:0::/64');
  });
});
