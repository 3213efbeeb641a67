import { isIPv6 } from 'node:net';

/**
 * Fixed-window attempt counter per key (`addr:…`, `user:…`). In memory: one bridge node. Several
 * nodes behind a balancer would move this into the shared store.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowSeconds: number,
  ) {}

  /** Count one attempt; returns seconds to wait when over the limit, else undefined. */
  hit(key: string, nowMs: number): number | undefined {
    const w = this.windows.get(key);
    if (!w || nowMs - w.start >= this.windowSeconds * 1000) {
      if (this.windows.size > 100_000) this.sweep(nowMs);
      this.windows.set(key, { start: nowMs, count: 1 });
      return undefined;
    }
    w.count++;
    if (w.count <= this.limit) return undefined;
    return Math.max(1, Math.ceil((w.start + this.windowSeconds * 1000 - nowMs) / 1000));
  }

  private sweep(nowMs: number): void {
    for (const [k, w] of this.windows) if (nowMs - w.start >= this.windowSeconds * 1000) this.windows.delete(k);
  }
}

/**
 * The rate-limit key of a client address. IPv4-mapped IPv6 (::ffff:a.b.c.d, how a dual-stack
 * listener reports IPv4 peers) is the IPv4 address; other IPv6 addresses count per /64, the
 * smallest prefix a site is given (RFC 6177), so a client cannot take a fresh allowance from each of
 * the 2^64 addresses its own network lets it use.
 */
export function addressKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'addr:?';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return `addr:${mapped[1]!}`;
  if (!isIPv6(address)) return `addr:${address}`;
  // A zone index says nothing of the prefix; a trailing dotted quad is the last two groups.
  const bare = address.replace(/%.*$/, '').replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`);
  const [head = '', tail = ''] = bare.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = bare.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = bare.includes('::') ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return `addr:${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
