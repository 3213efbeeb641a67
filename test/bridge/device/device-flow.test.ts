import { afterEach, describe, expect, it } from 'vitest';
import { ticketCodec, rodcKvno } from '../../../src/asn1/index.js';
import { CODE_TTL_SEC } from '../../../src/bridge/index.js';
import { generateEphemeralP256, openTicket } from '../../../src/ticket/index.js';
import { openDelivery } from '../../../src/cli/agent/redeem.js';
import { newPkce, newState } from '../../../src/cli/agent/pkce.js';
import { browse, enrol, newBrowser, RODC_NUMBER, startDeviceBridge, type DeviceBridge } from './harness.js';

let db: DeviceBridge | undefined;
afterEach(async () => {
  await db?.bridge.close();
  db = undefined;
});

const REDIRECT = 'http://127.0.0.1:45678/callback';

/** The agent's side of one login, without a listener: the redirect is read from the browser's last step. */
function agent(extra: Record<string, string> = {}) {
  const pkce = newPkce();
  const state = newState();
  const key = generateEphemeralP256();
  const q = new URLSearchParams({
    response_type: 'code', client_id: 'tgtbridge-agent', redirect_uri: REDIRECT, state, code_challenge: pkce.challenge, code_challenge_method: 'S256',
    agent_key: key.publicKeyText, ...extra,
  });
  return { pkce, state, key, url: (d: DeviceBridge) => `${d.bridge.url}/device/authorize?${q}` };
}

async function token(d: DeviceBridge, params: Record<string, string>, type = 'application/x-www-form-urlencoded') {
  const body = type === 'application/json' ? JSON.stringify(params) : new URLSearchParams(params).toString();
  const res = await fetch(`${d.bridge.url}/device/token`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: res.status, json: (await res.json()) as Record<string, string>, headers: res.headers };
}

function redeemParams(a: ReturnType<typeof agent>, code: string, change: Record<string, string> = {}): Record<string, string> {
  return { grant_type: 'authorization_code', code, code_verifier: a.pkce.verifier, redirect_uri: REDIRECT, client_id: 'tgtbridge-agent', agent_key: a.key.publicKeyText, ...change };
}

async function codeFor(d: DeviceBridge, a: ReturnType<typeof agent>, user = 'alice', api = newBrowser(d)): Promise<string> {
  const cred = await enrol(d, user);
  const back = new URL(await browse(d, api, a.url(d), cred));
  expect(back.origin + back.pathname).toBe(REDIRECT);
  expect(back.searchParams.get('state')).toBe(a.state);
  expect(back.searchParams.get('error')).toBeNull();
  return back.searchParams.get('code')!;
}

async function auditKinds(d: DeviceBridge, user?: string): Promise<string[]> {
  const sid = user === undefined ? undefined : (await d.directory.findUser(user))!.objectSid;
  const events = await d.bridge.store.listAudit({ ...(sid !== undefined ? { userSid: sid } : {}), limit: 100 });
  return [...events].sort((x, y) => x.seq - y.seq).map((e) => (e.code ? `${e.kind}:${e.code}` : e.kind));
}

describe('device login: authorize → passkey sign-in → code → token', () => {
  it('delivers an AS-REP the agent opens to exactly the ticket and session key that were minted', async () => {
    db = await startDeviceBridge();
    const a = agent();
    const code = await codeFor(db, a);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const res = await token(db, redeemParams(a, code));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(res.json).sort()).toEqual(['as_rep', 'bridge_key', 'kdf']);

    const opened = openDelivery(new Uint8Array(Buffer.from(res.json['as_rep']!, 'base64')), res.json['bridge_key']!, a.key, a.pkce.challenge);
    expect(opened.asRep.crealm).toBe('D.T');
    expect(opened.asRep.cname.nameString).toEqual(['alice']);
    expect(opened.asRep.ticket.sname.nameString).toEqual(['krbtgt', 'D.T']);
    expect(opened.asRep.ticket.encPart.kvno! >>> 0).toBe(rodcKvno(RODC_NUMBER, 1));
    // What was minted: the ticket opens with krbtgt_7 and carries the session key the agent received.
    const inside = openTicket(opened.asRep.ticket, db.keys.current().key).encTicketPart;
    expect(Buffer.from(inside.key.keyvalue)).toEqual(Buffer.from(opened.sessionKey.exportBytes()));
    expect(inside.cname.nameString).toEqual(['alice']);
    expect(opened.encPart.endtime).toEqual(inside.endtime);
    expect(opened.encPart.flags).toBe(inside.flags);
    expect(await auditKinds(db, 'alice')).toEqual(expect.arrayContaining(['sign_in', 'code_issued', 'code_redeemed']));
    const issued = (await db.bridge.store.listAudit({ limit: 50 })).find((e) => e.kind === 'code_issued')!;
    expect(issued.detail).toMatchObject({ minted: 'partial_tgt', cname: 'alice', crealm: 'D.T', rodcNumber: RODC_NUMBER, keyVersion: 1 });
  });

  it('accepts a JSON token request too', async () => {
    db = await startDeviceBridge();
    const a = agent();
    const res = await token(db, redeemParams(a, await codeFor(db, a)), 'application/json');
    expect(res.status).toBe(200);
  });

  it('a code is single-use: the replay is invalid_grant and audited', async () => {
    db = await startDeviceBridge();
    const a = agent();
    const code = await codeFor(db, a);
    expect((await token(db, redeemParams(a, code))).status).toBe(200);
    const again = await token(db, redeemParams(a, code));
    expect(again).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect(again.json).not.toHaveProperty('as_rep');
    expect(await auditKinds(db)).toContain('refusal:device.code_unknown');
  });

  it('a wrong verifier is refused and burns the code: the right verifier afterwards gets nothing', async () => {
    db = await startDeviceBridge();
    const a = agent();
    const code = await codeFor(db, a);
    const wrong = await token(db, redeemParams(a, code, { code_verifier: newPkce().verifier }));
    expect(wrong).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect((await token(db, redeemParams(a, code))).json).toMatchObject({ error: 'invalid_grant' });
    expect(await auditKinds(db, 'alice')).toContain('refusal:device.pkce_mismatch');
  });

  it('refuses another agent key, another redirect URI, and an expired code', async () => {
    db = await startDeviceBridge();
    const api = newBrowser(db);
    const a = agent();
    const c1 = await codeFor(db, a, 'alice', api);
    expect((await token(db, redeemParams(a, c1, { agent_key: generateEphemeralP256().publicKeyText }))).json).toMatchObject({ error: 'invalid_grant' });
    const b = agent();
    const c2 = new URL(await browse(db, api, b.url(db), undefined)).searchParams.get('code')!;
    expect((await token(db, redeemParams(b, c2, { redirect_uri: 'http://127.0.0.1:45679/callback' }))).json).toMatchObject({ error: 'invalid_grant' });
    const c = agent();
    const c3 = new URL(await browse(db, api, c.url(db), undefined)).searchParams.get('code')!;
    db.clock.t += (CODE_TTL_SEC + 1) * 1000;
    expect((await token(db, redeemParams(c, c3))).json).toMatchObject({ error: 'invalid_grant' });
    const kinds = await auditKinds(db, 'alice');
    expect(kinds).toEqual(expect.arrayContaining(['refusal:device.agent_key_mismatch', 'refusal:device.redirect_uri_mismatch']));
    expect(kinds.filter((k) => k === 'code_redeemed')).toEqual([]);
  });

  it('someone holding code and verifier but not the agent private key gets an AS-REP they cannot open', async () => {
    db = await startDeviceBridge();
    const a = agent();
    const code = await codeFor(db, a);
    const { agent_key: _omitted, ...withoutKey } = redeemParams(a, code);
    const res = await token(db, withoutKey);
    expect(res.status).toBe(200);
    const thief = generateEphemeralP256();
    expect(() => openDelivery(new Uint8Array(Buffer.from(res.json['as_rep']!, 'base64')), res.json['bridge_key']!, thief, a.pkce.challenge))
      .toThrow(expect.objectContaining({ code: 'KRB_AP_ERR_BAD_INTEGRITY' }));
  });

  it('already signed in: a confirmation page (no automatic approval, RFC 8252 §8.6), one click, no second ceremony', async () => {
    db = await startDeviceBridge();
    const b = newBrowser(db);
    await codeFor(db, agent(), 'alice', b);
    const a = agent();
    const page = await b.get(a.url(db).slice(db.bridge.url.length));
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/Continue as alice/);
    // The page may submit to the bridge and be redirected to this agent's loopback origin, nowhere else.
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self' http://127.0.0.1:45678;");
    // …and its form POST carries a real Origin (no-referrer would make it `null`).
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    const id = /name="request" value="([^"]+)"/.exec(page.text)![1]!;
    // A cross-site form post is refused; the request stays usable.
    expect((await b.postForm('/device/continue', { request: id }, 'http://evil.test')).status).toBe(403);
    // Another browser without a session is sent to the sign-in page for the same request.
    const other = await newBrowser(db).postForm('/device/continue', { request: id });
    expect(other.headers.get('location')).toBe(`/?device_request=${id}`);
    const go = await b.postForm('/device/continue', { request: id });
    expect(go.status).toBe(303);
    const back = new URL(go.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe(a.state);
    expect((await token(db, redeemParams(a, back.searchParams.get('code')!))).status).toBe(200);
    // The request is single-use.
    expect((await b.postForm('/device/continue', { request: id })).headers.get('location')).toBe('/device/expired');
  });

  it('already signed in as someone else than login_hint: the sign-in page, not the confirmation', async () => {
    db = await startDeviceBridge();
    const b = newBrowser(db);
    await codeFor(db, agent(), 'alice', b);
    const first = await b.get(agent({ login_hint: 'bob' }).url(db).slice(db.bridge.url.length));
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toMatch(/^\/\?device_request=/);
  });
});

describe('device login refusals', () => {
  it('a Domain Admin signs in but gets access_denied with the reason; no code is issued', async () => {
    db = await startDeviceBridge();
    const a = agent();
    const cred = await enrol(db, 'adm');
    const back = new URL(await browse(db, newBrowser(db), a.url(db), cred));
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe(a.state);
    expect(back.searchParams.get('code')).toBeNull();
    expect(back.searchParams.get('error_description')).toMatch(/password-replication policy/);
    // The denied group is named, not only its SID (Domain Admins is nested into -572).
    expect(back.searchParams.get('error_description')).toMatch(/Denied RODC Password Replication Group \(S-1-5-21-1-2-3-572\)|Domain Admins \(S-1-5-21-1-2-3-512\)/);
    expect(await auditKinds(db, 'adm')).toContain('refusal:mint.DENIED_GROUP');
    expect(await auditKinds(db, 'adm')).not.toContain('code_issued');
  });

  it('a user outside minting.allowedGroups gets access_denied (NOT_ALLOWED_GROUP)', async () => {
    db = await startDeviceBridge({ minting: { allowedGroups: ['Eng'] } });
    const back = new URL(await browse(db, newBrowser(db), agent().url(db), await enrol(db, 'bob')));
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(await auditKinds(db, 'bob')).toContain('refusal:mint.NOT_ALLOWED_GROUP');
  });

  it('the minter refuses a disabled directory account (the passkey sign-in refuses it before that)', async () => {
    db = await startDeviceBridge();
    const carol = (await db.directory.findUser('carol'))!;
    const { DeviceMinter, KeySetFile } = await import('../../../src/bridge/index.js');
    const { DEFAULT_MINTING_SETTINGS } = await import('../../../src/ticket/index.js');
    const { keySetPath } = await import('../../../src/kdc/index.js');
    const m = await DeviceMinter.create({ config: db.config, directory: db.directory, settings: DEFAULT_MINTING_SETTINGS, keys: new KeySetFile(keySetPath(db.dataDir)), clock: db.clock, random: { bytes: (n) => new Uint8Array(n) } });
    await expect(m.checkPolicy(carol)).rejects.toMatchObject({ code: 'KDC_ERR_POLICY', reason: 'ACCOUNT_DISABLED' });
  });

  it('an account disabled or put in a denied group between sign-in and redemption gets no ticket: invalid_grant, audited', async () => {
    db = await startDeviceBridge();
    const a = agent();
    const code = await codeFor(db, a);
    // The directory changes after the code was issued (an admin disables alice within the code's 60 s).
    const real = db.directory.findUser.bind(db.directory);
    db.directory.findUser = async (name: string) => {
      const u = await real(name);
      return u?.sAMAccountName === 'alice' ? { ...u, enabled: false } : u;
    };
    const res = await token(db, redeemParams(a, code));
    expect(res).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect(res.json).not.toHaveProperty('as_rep');
    const kinds = await auditKinds(db, 'alice');
    expect(kinds).toContain('refusal:mint.ACCOUNT_DISABLED');
    expect(kinds).not.toContain('code_redeemed');
  });

  it("an account expiring in 2 h gets the full 10 h ticket; the AS-REP tells the expiry in last-req (7) and key-expiration, as Samba 4.17's AS-REP", async () => {
    db = await startDeviceBridge();
    const a = agent();
    const code = await codeFor(db, a);
    const expires = new Date(Math.floor(db.clock.now().getTime() / 1000) * 1000 + 2 * 3600_000);
    const real = db.directory.findUser.bind(db.directory);
    db.directory.findUser = async (name: string) => {
      const u = await real(name);
      return u?.sAMAccountName === 'alice' ? { ...u, accountExpires: expires } : u;
    };
    const res = await token(db, redeemParams(a, code));
    expect(res.status).toBe(200);
    const opened = openDelivery(new Uint8Array(Buffer.from(res.json['as_rep']!, 'base64')), res.json['bridge_key']!, a.key, a.pkce.challenge);
    const inside = openTicket(opened.asRep.ticket, db.keys.current().key).encTicketPart;
    expect(inside.endtime.getTime() - inside.authtime.getTime()).toBe(10 * 3600_000);
    expect(opened.encPart.endtime).toEqual(inside.endtime);
    expect(opened.encPart.lastReq).toEqual([{ lrType: 7, lrValue: expires }]);
    expect(opened.encPart.keyExpiration).toEqual(expires);
  });

  it('a login_hint for another account is access_denied after sign-in', async () => {
    db = await startDeviceBridge();
    const a = agent({ login_hint: 'bob' });
    const back = new URL(await browse(db, newBrowser(db), a.url(db), await enrol(db, 'alice')));
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(await auditKinds(db, 'alice')).toContain('refusal:device.login_hint_mismatch');
  });

  it('without a krbtgt_N key: server_error to the agent, audited', async () => {
    db = await startDeviceBridge({ withKeys: false });
    const back = new URL(await browse(db, newBrowser(db), agent().url(db), await enrol(db, 'alice')));
    expect(back.searchParams.get('error')).toBe('server_error');
    expect(await auditKinds(db, 'alice')).toContain('refusal:mint.no_key');
  });

  it('never redirects to a non-loopback URI: a page in words for browsers, a problem body otherwise', async () => {
    db = await startDeviceBridge();
    const q = new URLSearchParams({ response_type: 'code', client_id: 'tgtbridge-agent', redirect_uri: 'https://evil.test/cb', state: 's', code_challenge: newPkce().challenge, code_challenge_method: 'S256', agent_key: generateEphemeralP256().publicKeyText });
    const html = await fetch(`${db.bridge.url}/device/authorize?${q}`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(html.status).toBe(400);
    expect(html.headers.get('location')).toBeNull();
    expect(await html.text()).toMatch(/does not return to the device agent/);
    const json = await fetch(`${db.bridge.url}/device/authorize?${q}`, { headers: { accept: 'application/json' }, redirect: 'manual' });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ code: 'request.invalid' });
    expect(await auditKinds(db)).toContain('refusal:device.untrusted_client');
  });

  it('bad PKCE parameters are redirected to the agent as invalid_request with its state', async () => {
    db = await startDeviceBridge();
    const a = agent({ code_challenge_method: 'plain' });
    const res = await fetch(a.url(db), { redirect: 'manual' });
    expect(res.status).toBe(303);
    const back = new URL(res.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('state')).toBe(a.state);
  });

  it('a sign-in page naming an unknown or used device request leads to the expired page', async () => {
    db = await startDeviceBridge();
    const cred = await enrol(db, 'alice');
    const api = newBrowser(db);
    const opts = await api.post('/api/signin/options', {});
    const { assertionResponse } = await import('../../webauthn/synth.js');
    const done = await api.post('/api/signin/verify', { response: assertionResponse(db.rp, String(opts.json['challenge']), cred, { counter: 99 }), page: '/?device_request=nope' });
    expect(done.json['redirect']).toBe('/device/expired');
    expect((await api.get('/device/expired')).text).toMatch(/expired or was already used/);
  });

  it('token endpoint: RFC 6749 §5.2 errors for bad requests', async () => {
    db = await startDeviceBridge();
    const base = { grant_type: 'authorization_code', code: 'x', code_verifier: newPkce().verifier, redirect_uri: REDIRECT, client_id: 'tgtbridge-agent' };
    expect(await token(db, { ...base, grant_type: 'password' })).toMatchObject({ status: 400, json: { error: 'unsupported_grant_type' } });
    expect(await token(db, { ...base, client_id: 'evil' })).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
    const { code: _c, ...noCode } = base;
    expect(await token(db, noCode)).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    expect(await token(db, base)).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    const dup = await fetch(`${db.bridge.url}/device/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `${new URLSearchParams(base)}&code=y` });
    expect(await dup.json()).toMatchObject({ error: 'invalid_request' });
    const text = await fetch(`${db.bridge.url}/device/token`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect({ status: text.status, json: await text.json() }).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    const broken = await fetch(`${db.bridge.url}/device/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect({ status: broken.status, json: await broken.json() }).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
  });
});
