import { afterEach, expect, it } from 'vitest';
import { startTestBridge, type TestBridge } from '../bridge/http-harness.js';
import { describeWithPeers } from '../support/peers.js';
import { AG_OTHER, AG_VIRTUAL } from '../webauthn/fixture.js';
import { testAttestationCa } from '../webauthn/synth.js';
import {
  CHROMIUM, issueTap, useChromiumSessions, passkeyRows, redeemTap, registerWithTap, signInOnPage, statusText,
} from './browser-harness.js';

/**
 * The passkey service in Debian Chromium with CDP virtual authenticators, against the real
 * bridge started here. One fresh authenticator per test (3 resident credentials at most).
 */
describeWithPeers('passkeys in a real browser', [CHROMIUM], () => {
  let tb: TestBridge | undefined;
  const session = useChromiumSessions();

  afterEach(async () => {
    await tb?.bridge.close();
    tb = undefined;
  });

  async function setup(edit?: (doc: Record<string, unknown>) => void, rootPem?: string): Promise<TestBridge> {
    tb = await startTestBridge(edit, {}, rootPem);
    return tb;
  }
  const profiles = (d: Record<string, unknown>) => (d['passkeys'] as { profiles: Record<string, unknown>[] }).profiles;

  it('registers with a TAP; the passkey is listed as device-bound with its authenticator', async () => {
    const t = await setup();
    const s = await session();
    expect(await registerWithTap(s, t, 'alice', 'My laptop')).toBe('ok');
    const rows = await passkeyRows(s.page);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.slice(0, 3)).toEqual(['My laptop', 'Device-bound', `Chromium virtual authenticator (${AG_VIRTUAL})`]);
  });

  it('over https (self-signed TLS): __Host- cookies that Chromium keeps, registration and both sign-ins', async () => {
    const t = await setup((d) => {
      const b = d['bridge'] as Record<string, unknown>;
      b['https'] = { selfSigned: true };
      b['origin'] = String(b['origin']).replace('http:', 'https:');
    });
    expect(t.origin).toMatch(/^https:\/\/localhost:/);
    const s = await session({ ignoreHttpsErrors: true });
    expect(await registerWithTap(s, t, 'alice')).toBe('ok');
    expect(await signInOnPage(s, t)).toBe('ok');
    expect(await signInOnPage(s, t, 'alice')).toBe('ok');
    const cookies = await s.page.context().cookies(t.origin);
    const sessionCookie = cookies.find((c) => c.name === `__Host-${t.config.sessions.cookieName}`);
    expect(sessionCookie).toMatchObject({ secure: true, path: '/', httpOnly: true, sameSite: 'Strict' });
    expect(cookies.filter((c) => !c.name.startsWith('__Host-'))).toEqual([]);
  });

  it('signs in discoverably and with a username', async () => {
    const t = await setup();
    const s = await session();
    expect(await registerWithTap(s, t, 'alice')).toBe('ok');
    expect(await signInOnPage(s, t)).toBe('ok');
    expect(await s.page.locator('#who').textContent()).toBe('alice');
    expect(await signInOnPage(s, t, 'alice')).toBe('ok');
    const rows = await passkeyRows(s.page);
    expect(rows[0]![4]).not.toBe('never');
  });

  it('refuses a named sign-in for a user without passkeys, in words', async () => {
    const t = await setup();
    const s = await session();
    expect(await signInOnPage(s, t, 'bob')).toMatch(/no passkey registered for this account/i);
  });

  it('refuses a synced passkey under a device-bound-only profile and accepts it under another', async () => {
    const t = await setup();
    const eve = await session({ backupEligible: true, backedUp: true });
    expect(await registerWithTap(eve, t, 'eve')).toMatch(/Synced passkeys .* are not allowed/);
    const alice = await session({ backupEligible: true, backedUp: true });
    expect(await registerWithTap(alice, t, 'alice')).toBe('ok');
    expect((await passkeyRows(alice.page))[0]![1]).toBe('Synced');
    expect(await signInOnPage(alice, t)).toBe('ok');
  });

  it('refuses missing user verification', async () => {
    const t = await setup();
    const s = await session({ hasUserVerification: false });
    expect(await registerWithTap(s, t, 'alice')).toMatch(/did not verify you/);
  });

  it('an attestation-required profile refuses none and an untrusted batch certificate', async () => {
    const ca = await testAttestationCa(AG_OTHER);
    const t = await setup(undefined, ca.root.pem);
    // Profile 'attested' (group Attested: ann) has trusted roots; a client stripping the
    // request for attestation gets 'none' back, which the server must refuse.
    const s1 = await session();
    await s1.page.route('**/api/register/options', async (route) => {
      const res = await route.fetch();
      const json = (await res.json()) as Record<string, unknown>;
      await route.fulfill({ response: res, json: { ...json, attestation: 'none' } });
    });
    expect(await registerWithTap(s1, t, 'ann')).toMatch(/must prove its make and model/);
    const s2 = await session();
    expect(await registerWithTap(s2, t, 'ann')).toMatch(/does not come from a manufacturer trusted here/);
  });

  it('applies AAGUID allow and block lists to the virtual authenticator’s fixed AAGUID', async () => {
    const t = await setup((d) => {
      profiles(d).push({ name: 'virtual-only', groups: ['Eng'], aaguids: { allow: [AG_VIRTUAL] } });
    });
    expect(await registerWithTap(await session(), t, 'kim')).toMatch(/not on the list of allowed authenticators/);
    expect(await registerWithTap(await session(), t, 'nov')).toMatch(/blocked here/);
    expect(await registerWithTap(await session(), t, 'eve')).toBe('ok');
  });

  it('refuses a cloned authenticator whose counter went backwards', async () => {
    const t = await setup();
    const s = await session();
    expect(await registerWithTap(s, t, 'alice')).toBe('ok');
    const { credentials } = await s.cdp.send('WebAuthn.getCredentials', { authenticatorId: s.authenticatorId });
    const snapshot = credentials[0]!;
    expect(await signInOnPage(s, t)).toBe('ok');
    expect(await signInOnPage(s, t)).toBe('ok');
    // The clone: the same key with the counter it had at registration.
    await s.cdp.send('WebAuthn.clearCredentials', { authenticatorId: s.authenticatorId });
    await s.cdp.send('WebAuthn.addCredential', { authenticatorId: s.authenticatorId, credential: snapshot });
    expect(await signInOnPage(s, t)).toMatch(/use counter went backwards/);
  });

  it('refuses a replayed sign-in (challenge used once)', async () => {
    const t = await setup();
    const s = await session();
    expect(await registerWithTap(s, t, 'alice')).toBe('ok');
    let captured: { body: string; cookie: string } | undefined;
    s.page.on('request', (req) => {
      if (req.url().endsWith('/api/signin/verify')) void req.allHeaders().then((h) => (captured = { body: req.postData() ?? '', cookie: h['cookie'] ?? '' }));
    });
    expect(await signInOnPage(s, t)).toBe('ok');
    expect(captured?.cookie).toContain('tgtbridge_ceremony=');
    const replay = await s.page.request.post(`${t.origin}/api/signin/verify`, {
      headers: { 'content-type': 'application/json', origin: t.origin, cookie: captured!.cookie }, data: captured!.body,
    });
    expect(replay.status()).toBe(400);
    expect(((await replay.json()) as { code: string }).code).toBe('passkey.challenge_invalid');
  });

  it('refuses a passkey whose backup eligibility changed after registration', async () => {
    const t = await setup();
    const s = await session();
    expect(await registerWithTap(s, t, 'alice')).toBe('ok');
    const { credentials } = await s.cdp.send('WebAuthn.getCredentials', { authenticatorId: s.authenticatorId });
    await s.cdp.send('WebAuthn.setCredentialProperties', { authenticatorId: s.authenticatorId, credentialId: credentials[0]!.credentialId, backupEligibility: true, backupState: true });
    expect(await signInOnPage(s, t)).toMatch(/changed from device-bound to synced/);
  });

  it('renames and deletes a passkey on the Security info page, by keyboard', async () => {
    const t = await setup();
    const s = await session();
    expect(await registerWithTap(s, t, 'alice', 'Old name')).toBe('ok');
    const input = s.page.getByLabel('New name for Old name');
    await input.fill('Work laptop');
    await input.press('Tab');
    await s.page.keyboard.press('Enter');
    expect(await statusText(s.page)).toBe('Passkey renamed.');
    expect((await passkeyRows(s.page))[0]![0]).toBe('Work laptop');
    await s.page.getByRole('button', { name: 'Delete Work laptop' }).focus();
    await s.page.keyboard.press('Enter');
    await expect.poll(async () => s.page.locator('#status').textContent()).toBe('Passkey "Work laptop" deleted.');
    expect((await passkeyRows(s.page))[0]![0]).toBe('No passkeys yet.');
  });

  it('refuses expired and used-up passes with the reason on the page', async () => {
    const t = await setup();
    const s = await session();
    const once = await issueTap(t, 'bob', 3600, 1);
    await redeemTap(s, t, 'bob', once);
    expect(await statusText(s.page)).toMatch(/Pass accepted/);
    await redeemTap(s, t, 'bob', once);
    expect(await statusText(s.page)).toMatch(/already been used/);
    const late = await issueTap(t, 'bob', 60, 1);
    t.clock.t += 61_000;
    await redeemTap(s, t, 'bob', late);
    expect(await statusText(s.page)).toMatch(/has expired/);
    await redeemTap(s, t, 'bob', 'WRONG-PASS');
    expect(await statusText(s.page)).toMatch(/not valid for this account/);
  });
});
