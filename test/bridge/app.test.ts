import { afterEach, describe, expect, it } from 'vitest';
import { RP } from '../webauthn/fixture.js';
import { FLAGS, assertionResponse, newCredential, registrationResponse, userIdOf, type SynthCredential } from '../webauthn/synth.js';
import { ApiClient, startTestBridge, type TestBridge } from './http-harness.js';

let tb: TestBridge | undefined;
afterEach(async () => {
  await tb?.bridge.close();
  tb = undefined;
});

async function start(...args: Parameters<typeof startTestBridge>): Promise<{ tb: TestBridge; api: ApiClient; rp: { rpId: string; origin: string } }> {
  tb = await startTestBridge(...args);
  return { tb, api: new ApiClient(tb.bridge.url, tb.origin), rp: { rpId: RP.rpId, origin: tb.origin } };
}

async function tapAndRegister(t: TestBridge, api: ApiClient, rp: { rpId: string; origin: string }, name = 'alice', cred: SynthCredential = newCredential(), flags?: number) {
  const user = (await t.bridge.ctx.directory.findUser(name))!;
  const tap = await t.bridge.ctx.taps.issue(user, 3600, 1, 'test');
  expect((await api.post('/api/tap/redeem', { username: name, code: tap.code })).status).toBe(200);
  const opts = await api.post('/api/register/options', {});
  const resp = registrationResponse(rp, String(opts.json['challenge']), cred, { userId: userIdOf(opts.json), ...(flags === undefined ? {} : { flags }) });
  return api.post('/api/register/verify', { response: resp, name: 'Laptop key' });
}

async function signIn(api: ApiClient, rp: { rpId: string; origin: string }, cred: SynthCredential, username?: string, counter = 1) {
  const opts = await api.post('/api/signin/options', username ? { username } : {});
  if (opts.status !== 200) return opts;
  return api.post('/api/signin/verify', { response: assertionResponse(rp, String(opts.json['challenge']), cred, { counter }) });
}

describe('bridge pages and assets', () => {
  it('serves accessible pages, the SimpleWebAuthn bundle, and strict headers', async () => {
    const { api } = await start();
    const page = await api.get('/');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<label for="username">/);
    expect(page.text).toMatch(/role="alert" aria-live="assertive"/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const bundle = await api.get('/assets/webauthn.js');
    expect(bundle.text).toContain('SimpleWebAuthnBrowser');
    expect((await api.get('/tap')).text).toMatch(/<label for="tap-code">/);
    expect((await api.get('/security')).status).toBe(303);
    const missing = await api.get('/nothing');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.parse(missing.text)).toMatchObject({ code: 'not_found', status: 404, type: 'urn:tgtbridge:problem:not_found' });
  });
});

describe('bridge API', () => {
  it('refuses cross-origin and non-JSON posts (CSRF)', async () => {
    const { api } = await start();
    const evil = await api.post('/api/signin/options', {}, { origin: 'http://evil.test' });
    expect(evil).toMatchObject({ status: 403, json: { code: 'request.forbidden_origin' } });
    const form = await api.post('/api/signin/options', 'username=alice', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form).toMatchObject({ status: 415, json: { code: 'request.content_type' } });
    const bad = await api.post('/api/signin/options', '{nope');
    expect(bad).toMatchObject({ status: 400, json: { code: 'request.invalid' } });
  });

  it('registers with a TAP, lists the passkey as device-bound, signs in by name and discoverably', async () => {
    const { tb: t, api, rp } = await start();
    const cred = newCredential();
    const reg = await tapAndRegister(t, api, rp, 'alice', cred);
    expect(reg).toMatchObject({ status: 200, json: { name: 'Laptop key', type: 'deviceBound' } });
    const me = await api.post('/api/me', {});
    expect(me.json['credentials']).toEqual([expect.objectContaining({ type: 'deviceBound', name: 'Laptop key' })]);

    const fresh = new ApiClient(t.bridge.url, t.origin);
    const named = await signIn(fresh, rp, cred, 'alice', 1);
    expect(named).toMatchObject({ status: 200, json: { user: { sAMAccountName: 'alice' }, redirect: '/security' } });
    const session = fresh.lastSetCookie.find((c) => c.startsWith(`${t.config.sessions.cookieName}=`))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).not.toMatch(/Secure/);
    expect((await fresh.get('/security')).status).toBe(200);
    // A second sign-in replaces the session: the old cookie no longer works.
    const oldCookie = session.split(';')[0]!;
    expect((await signIn(fresh, rp, cred, 'alice', 5)).status).toBe(200);
    const stale = await fetch(`${t.bridge.url}/api/me`, { headers: { cookie: oldCookie } });
    expect(stale.status).toBe(401);
    const discoverable = await signIn(new ApiClient(t.bridge.url, t.origin), rp, cred, undefined, 6);
    expect(discoverable.status).toBe(200);
  });

  it('refuses a named sign-in without credentials and a reused challenge', async () => {
    const { tb: t, api, rp } = await start();
    expect(await api.post('/api/signin/options', { username: 'bob' })).toMatchObject({ status: 404, json: { code: 'passkey.no_credentials' } });
    const cred = newCredential();
    await tapAndRegister(t, api, rp, 'alice', cred);
    const client = new ApiClient(t.bridge.url, t.origin);
    const opts = await client.post('/api/signin/options', {});
    const resp = assertionResponse(rp, String(opts.json['challenge']), cred, { counter: 1 });
    const cookie = `tgtbridge_ceremony=${client.lastSetCookie[0]!.split(';')[0]!.split('=')[1]}`;
    expect((await client.post('/api/signin/verify', { response: resp })).status).toBe(200);
    const replay = await client.post('/api/signin/verify', { response: resp }, { cookie });
    expect(replay).toMatchObject({ status: 400, json: { code: 'passkey.challenge_invalid' } });
  });

  it('shows profile refusals as problems: synced passkey under a device-bound-only profile', async () => {
    const { tb: t, api, rp } = await start();
    const reg = await tapAndRegister(t, api, rp, 'eve', newCredential(), FLAGS.UP | FLAGS.UV | FLAGS.BE);
    expect(reg).toMatchObject({ status: 403, json: { code: 'passkey.synced_not_allowed', title: 'Synced passkeys are not allowed' } });
    expect(String(reg.json['detail'])).toMatch(/device-bound/);
  });

  it('refuses wrong, expired and used-up passes', async () => {
    const { tb: t, api } = await start();
    const alice = (await t.bridge.ctx.directory.findUser('alice'))!;
    const tap = await t.bridge.ctx.taps.issue(alice, 60, 1, 'test');
    expect(await api.post('/api/tap/redeem', { username: 'alice', code: 'AAAA-BBBB' })).toMatchObject({ status: 401, json: { code: 'tap.invalid' } });
    expect((await api.post('/api/tap/redeem', { username: 'alice', code: tap.code })).status).toBe(200);
    expect(await api.post('/api/tap/redeem', { username: 'alice', code: tap.code })).toMatchObject({ status: 401, json: { code: 'tap.used_up' } });
    const late = await t.bridge.ctx.taps.issue(alice, 60, 1, 'test');
    t.clock.t += 61_000;
    expect(await api.post('/api/tap/redeem', { username: 'alice', code: late.code })).toMatchObject({ status: 401, json: { code: 'tap.expired' } });
  });

  it('needs a recent sign-in to add a passkey, and a session for the API', async () => {
    const { tb: t, api, rp } = await start();
    expect(await api.post('/api/register/options', {})).toMatchObject({ status: 401, json: { code: 'session.required' } });
    const cred = newCredential();
    await tapAndRegister(t, api, rp, 'alice', cred);
    const client = new ApiClient(t.bridge.url, t.origin);
    expect((await signIn(client, rp, cred)).status).toBe(200);
    expect((await client.post('/api/register/options', {})).status).toBe(200);
    t.clock.t += (t.config.sessions.registrationWindow + 1) * 1000;
    expect(await client.post('/api/register/options', {})).toMatchObject({ status: 403, json: { code: 'session.stale' } });
  });

  it('renames and deletes only the signed-in user’s passkeys, and signs out', async () => {
    const { tb: t, api, rp } = await start();
    const reg = await tapAndRegister(t, api, rp, 'alice');
    const id = String(reg.json['id']);
    const bob = new ApiClient(t.bridge.url, t.origin);
    await tapAndRegister(t, bob, rp, 'bob');
    expect(await bob.post('/api/credentials/delete', { id })).toMatchObject({ status: 404, json: { code: 'passkey.not_found' } });
    expect((await api.post('/api/credentials/rename', { id, name: 'Work key' })).status).toBe(200);
    expect((await api.post('/api/me', {})).json['credentials']).toEqual([expect.objectContaining({ name: 'Work key' })]);
    expect((await api.post('/api/credentials/delete', { id })).status).toBe(200);
    expect((await api.post('/api/me', {})).json['credentials']).toEqual([]);
    expect((await api.post('/api/signout', {})).status).toBe(200);
    expect(await api.post('/api/me', {})).toMatchObject({ status: 401, json: { code: 'session.required' } });
  });

  it('a passkey name loses bidi controls, invisible characters and controls, in NFC; one with nothing visible is refused', async () => {
    const { tb: t, api, rp } = await start();
    const id = String((await tapAndRegister(t, api, rp, 'alice')).json['id']);
    const rename = (name: string) => api.post('/api/credentials/rename', { id, name });
    const stored = async () => ((await api.post('/api/me', {})).json['credentials'] as { name: string }[])[0]!.name;
    expect((await rename('Laptop\u202Eyek\u202C')).status).toBe(200);
    expect(await stored()).toBe('Laptopyek');
    expect((await rename('Work\u200B\u2066 key\u2069\u0007\n')).status).toBe(200);
    expect(await stored()).toBe('Work key');
    expect((await rename('Cafe\u0301 \u{1F468}\u200D\u{1F4BB}')).status).toBe(200);
    expect(await stored()).toBe('Caf\u00E9 \u{1F468}\u200D\u{1F4BB}');
    expect(await rename('\u200B\u202E\u00AD ')).toMatchObject({ status: 400, json: { code: 'request.invalid' } });
    expect(await stored()).toBe('Caf\u00E9 \u{1F468}\u200D\u{1F4BB}');
  });

  it('rate-limits per source address and per user with Retry-After', async () => {
    const { api } = await start((d) => {
      (d['bridge'] as Record<string, unknown>)['rateLimit'] = { perUser: 2, perAddress: 4, window: '1m' };
    });
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await api.post('/api/signin/options', { username: 'bob' })).status);
    expect(codes).toEqual([404, 404, 429]);
    await api.post('/api/signin/options', {});
    const limited = await api.post('/api/signin/options', {});
    expect(limited).toMatchObject({ status: 429, json: { code: 'rate_limited' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('calls onSignedIn and serves extra routes', async () => {
    const seen: string[] = [];
    const { tb: t, api, rp } = await start(undefined, {
      onSignedIn: async (s, req) => {
        seen.push(`${s.user.sAMAccountName}:${String((req.body as { page?: string }).page)}`);
        return { redirect: '/device/done' };
      },
      extraRoutes: (app, ctx) => app.get('/device/ping', (_req, res) => void res.json({ realm: ctx.config.realm })),
    });
    const cred = newCredential();
    await tapAndRegister(t, api, rp, 'alice', cred);
    const opts = await api.post('/api/signin/options', {});
    const done = await api.post('/api/signin/verify', { response: assertionResponse(rp, String(opts.json['challenge']), cred, { counter: 1 }), page: '/?device=1' });
    expect(done.json['redirect']).toBe('/device/done');
    expect(seen).toEqual(['alice:/?device=1']);
    expect(JSON.parse((await api.get('/device/ping')).text)).toEqual({ realm: 'D.T' });
  });
});
