import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestBridge, type TestBridge } from './http-harness.js';
import { newClient } from './passkey-client.js';

let tb: TestBridge | undefined;
afterEach(async () => {
  await tb?.bridge.close();
  tb = undefined;
});

describe('per-user rate limits', () => {
  it('count one account once, however it is named (sAMAccountName, UPN, SID)', async () => {
    tb = await startTestBridge((d) => {
      (d['bridge'] as Record<string, unknown>)['rateLimit'] = { perUser: 2, perAddress: 100, window: '1m' };
    });
    const alice = (await tb.bridge.ctx.directory.findUser('alice'))!;
    const names = [alice.sAMAccountName, alice.userPrincipalName.toUpperCase(), alice.objectSid];
    const codes: unknown[] = [];
    for (const n of names) codes.push((await newClient(tb).post('/api/tap/redeem', { username: n, code: 'AAAA-BBBB' })).json['code']);
    expect(codes).toEqual(['tap.invalid', 'tap.invalid', 'rate_limited']);
  });

  it('still limit names that are no account', async () => {
    tb = await startTestBridge((d) => {
      (d['bridge'] as Record<string, unknown>)['rateLimit'] = { perUser: 2, perAddress: 100, window: '1m' };
    });
    const codes: unknown[] = [];
    for (const n of ['ghost', 'GHOST', 'ghost']) codes.push((await newClient(tb).post('/api/signin/options', { username: n })).json['code']);
    expect(codes).toEqual(['passkey.no_credentials', 'passkey.no_credentials', 'rate_limited']);
  });
});

describe('per-address rate limits', () => {
  it('refuse before the account name is looked up in the directory', async () => {
    tb = await startTestBridge((d) => {
      (d['bridge'] as Record<string, unknown>)['rateLimit'] = { perUser: 100, perAddress: 1, window: '1m' };
    });
    const lookups = vi.spyOn(tb.bridge.ctx.directory, 'findUser');
    expect((await newClient(tb).post('/api/tap/redeem', { username: 'alice', code: 'AAAA-BBBB' })).json['code']).toBe('tap.invalid');
    const before = lookups.mock.calls.length;
    expect((await newClient(tb).post('/api/tap/redeem', { username: 'alice', code: 'AAAA-BBBB' })).json['code']).toBe('rate_limited');
    expect((await newClient(tb).post('/api/signin/options', { username: 'alice' })).json['code']).toBe('rate_limited');
    expect(lookups.mock.calls.length).toBe(before);
  });
});

describe('the client address behind a reverse proxy', () => {
  const perAddressOne = (proxies?: readonly string[]) => (d: Record<string, unknown>) => {
    const b = d['bridge'] as Record<string, unknown>;
    b['rateLimit'] = { perUser: 100, perAddress: 1, window: '1m' };
    if (proxies) b['trustedProxies'] = proxies;
  };
  const optionsCode = async (forwardedFor: string) =>
    (await newClient(tb!).post('/api/signin/options', { username: 'ghost' }, { 'x-forwarded-for': forwardedFor })).json['code'];

  it('is the TCP peer unless the peer is a trusted proxy: X-Forwarded-For from anyone else buys no new allowance', async () => {
    tb = await startTestBridge(perAddressOne());
    expect(await optionsCode('198.51.100.1')).toBe('passkey.no_credentials');
    expect(await optionsCode('198.51.100.2')).toBe('rate_limited');
  });

  it('is what a trusted proxy appended: each client its own count, addresses the client prepends ignored', async () => {
    tb = await startTestBridge(perAddressOne(['loopback']));
    expect(await optionsCode('198.51.100.1')).toBe('passkey.no_credentials');
    expect(await optionsCode('198.51.100.2')).toBe('passkey.no_credentials');
    expect(await optionsCode('198.51.100.1')).toBe('rate_limited');
    // The client wrote the first entry itself; the proxy appended the address it saw.
    expect(await optionsCode('203.0.113.50, 198.51.100.2')).toBe('rate_limited');
  });

  it('counts IPv6 clients per /64', async () => {
    tb = await startTestBridge(perAddressOne(['loopback']));
    expect(await optionsCode('2001:db8:1:2::1')).toBe('passkey.no_credentials');
    expect(await optionsCode('2001:db8:1:2:ffff::9')).toBe('rate_limited');
    expect(await optionsCode('2001:db8:1:3::1')).toBe('passkey.no_credentials');
  });
});
