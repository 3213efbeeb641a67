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
    const session = api.lastSetCookie.find((c) => c.startsWith(`${tb!.config.sessions.cookieName}=`));
    expect(session).toMatch(/; Secure/);
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(redeemed.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect((await api.post('/api/register/options', {})).status).toBe(200);
    expect(api.lastSetCookie.find((c) => c.startsWith('tgtbridge_ceremony='))).toMatch(/; Secure/);
    await api.post('/api/signout', {});
    expect(api.lastSetCookie.find((c) => c.startsWith(`${tb!.config.sessions.cookieName}=`))).toMatch(/Max-Age=0.*; Secure/);
  });

  it('leave Secure off for an http://localhost origin (a secure context without TLS)', async () => {
    tb = await startTestBridge();
    const api = newClient(tb);
    const alice = (await tb.bridge.ctx.directory.findUser('alice'))!;
    const tap = await tb.bridge.ctx.taps.issue(alice, 3600, 1, 'test');
    const redeemed = await api.post('/api/tap/redeem', { username: 'alice', code: tap.code });
    expect(api.lastSetCookie.find((c) => c.startsWith(`${tb!.config.sessions.cookieName}=`))).not.toMatch(/Secure/);
    expect(redeemed.headers.get('strict-transport-security')).toBeNull();
  });
});
