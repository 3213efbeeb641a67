import { afterEach, describe, expect, it } from 'vitest';
import { RP } from '../webauthn/fixture.js';
import { startTestBridge, type TestBridge } from './http-harness.js';
import { enrolWithTap, newClient, signInWith } from './passkey-client.js';

let tb: TestBridge | undefined;
afterEach(async () => {
  await tb?.bridge.close();
  tb = undefined;
});

describe('passkey sessions', () => {
  it('end when the passkey they were signed in with is revoked (passkeys revoke)', async () => {
    tb = await startTestBridge();
    const rp = { rpId: RP.rpId, origin: tb.origin };
    const { id, cred } = await enrolWithTap(tb, newClient(tb), rp, 'alice');
    const thief = newClient(tb);
    expect((await signInWith(thief, rp, cred, { counter: 1 })).status).toBe(200);
    expect((await thief.post('/api/me', {})).status).toBe(200);
    // What `tgtbridge passkeys revoke alice ID` does.
    const alice = (await tb.bridge.ctx.directory.findUser('alice'))!;
    const audit = tb.bridge.ctx.passkeys.audit('credential_deleted', { address: undefined }, { userSid: alice.objectSid, credentialId: id });
    expect(await tb.bridge.store.deleteCredential(alice.objectSid, id, audit)).toBe(true);
    expect(await thief.post('/api/me', {})).toMatchObject({ status: 401, json: { code: 'session.required' } });
    // Within the registration window the session could otherwise enrol a new passkey of its own.
    expect(await thief.post('/api/register/options', {})).toMatchObject({ status: 401, json: { code: 'session.required' } });
    expect((await thief.get('/security')).status).toBe(303);
  });

  it('survive the deletion of another of the user’s passkeys', async () => {
    tb = await startTestBridge();
    const rp = { rpId: RP.rpId, origin: tb.origin };
    const api = newClient(tb);
    const first = await enrolWithTap(tb, api, rp, 'alice');
    const second = await enrolWithTap(tb, api, rp, 'alice');
    const browser = newClient(tb);
    expect((await signInWith(browser, rp, first.cred, { counter: 1 })).status).toBe(200);
    expect((await browser.post('/api/credentials/delete', { id: second.id })).status).toBe(200);
    expect((await browser.post('/api/me', {})).status).toBe(200);
    expect((await browser.post('/api/credentials/delete', { id: first.id })).status).toBe(200);
    expect(await browser.post('/api/me', {})).toMatchObject({ status: 401, json: { code: 'session.required' } });
  });
});
