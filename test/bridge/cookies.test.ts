import { afterEach, describe, expect, it } from 'vitest';
import { startTestBridge, type TestBridge } from './http-harness.js';
import { newClient } from './passkey-client.js';

let tb: TestBridge | undefined;
afterEach(async () => {
  await tb?.bridge.close();
  tb = undefined;
});

/** The bridge behind a TLS-terminating proxy (docs/device-login.md): https origin, plain HTTP inside. */
async function behindTlsProxy(): Promise<TestBridge> {
  return startTestBridge((d) => {
    const bridge = d['bridge'] as Record<string, unknown>;
    bridge['origin'] = String(bridge['origin']).replace('http:', 'https:');
  });
}

describe('cookies and transport headers', () => {
  it('mark every cookie Secure and send HSTS when the origin is https, even with TLS ended before the bridge', async () => {
    tb = await behindTlsProxy();
    expect(tb.config.bridge.https.mode).toBe('off');
    const api = newClient(tb);
    const alice = (await tb.bridge.ctx.directory.findUser('alice'))!;
    const tap = await tb.bridge.ctx.taps.issue(alice, 3600, 1, 'test');
    const redeemed = await api.post('/api/tap/redeem', { username: 'alice', code: tap.code });
    expect(redeemed.status).toBe(200);
    const session = api.lastSetCookie.find((c) => c.startsWith(`__Host-${tb!.config.sessions.cookieName}=`));
    expect(session).toMatch(/; Secure/);
    // __Host- (RFC 6265bis §4.1.3.2): Path=/ and no Domain, or the browser drops it.
    expect(session).toMatch(/; Path=\/;/);
    expect(session).not.toMatch(/Domain=/i);
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(redeemed.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect((await api.post('/api/register/options', {})).status).toBe(200);
    expect(api.lastSetCookie.find((c) => c.startsWith('__Host-tgtbridge_ceremony='))).toMatch(/; Path=\/; .*; Secure/);
    expect(api.lastSetCookie.some((c) => c.startsWith('tgtbridge_'))).toBe(false);
    expect((await api.post('/api/me', {})).status).toBe(200);
    await api.post('/api/signout', {});
    expect(api.lastSetCookie.find((c) => c.startsWith(`__Host-${tb!.config.sessions.cookieName}=`))).toMatch(/Max-Age=0.*; Secure/);
  });

  it('leave Secure off for an http://localhost origin (a secure context without TLS)', async () => {
    tb = await startTestBridge();
    const api = newClient(tb);
    const alice = (await tb.bridge.ctx.directory.findUser('alice'))!;
    const tap = await tb.bridge.ctx.taps.issue(alice, 3600, 1, 'test');
    const redeemed = await api.post('/api/tap/redeem', { username: 'alice', code: tap.code });
    expect(api.lastSetCookie.find((c) => c.startsWith(`${tb!.config.sessions.cookieName}=`))).not.toMatch(/Secure/);
    expect(api.lastSetCookie.some((c) => c.startsWith('__Host-'))).toBe(false);
    expect(redeemed.headers.get('strict-transport-security')).toBeNull();
  });

  it('read only the name of the current mode: a plain-named cookie does not count under https, nor a __Host- one over http', async () => {
    tb = await behindTlsProxy();
    const api = newClient(tb);
    const alice = (await tb.bridge.ctx.directory.findUser('alice'))!;
    await api.post('/api/tap/redeem', { username: 'alice', code: (await tb.bridge.ctx.taps.issue(alice, 3600, 1, 'test')).code });
    const id = api.lastSetCookie.find((c) => c.startsWith(`__Host-${tb!.config.sessions.cookieName}=`))!.split(';')[0]!.split('=')[1]!;
    const me = (cookie: string) => fetch(`${tb!.bridge.url}/api/me`, { method: 'POST', headers: { cookie, origin: tb!.origin, 'content-type': 'application/json' }, body: '{}' });
    expect((await me(`__Host-${tb.config.sessions.cookieName}=${id}`)).status).toBe(200);
    expect((await me(`${tb.config.sessions.cookieName}=${id}`)).status).toBe(401);
    await tb.bridge.close();
    tb = await startTestBridge();
    const plain = newClient(tb);
    const bob = (await tb.bridge.ctx.directory.findUser('bob'))!;
    await plain.post('/api/tap/redeem', { username: 'bob', code: (await tb.bridge.ctx.taps.issue(bob, 3600, 1, 'test')).code });
    const id2 = plain.lastSetCookie.find((c) => c.startsWith(`${tb!.config.sessions.cookieName}=`))!.split(';')[0]!.split('=')[1]!;
    expect((await me(`${tb.config.sessions.cookieName}=${id2}`)).status).toBe(200);
    expect((await me(`__Host-${tb.config.sessions.cookieName}=${id2}`)).status).toBe(401);
  });
});
