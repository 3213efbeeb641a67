import { afterEach, describe, expect, it } from 'vitest';
import { startBridge, type RunningBridge } from '../../src/bridge/index.js';
import { parseFileDirectory } from '../../src/directory/index.js';
import { DIRECTORY_DOC, RP } from '../webauthn/fixture.js';
import { FLAGS, newCredential, registrationResponse, userIdOf } from '../webauthn/synth.js';
import { startTestBridge, type TestBridge } from './http-harness.js';
import { newClient, signInWith } from './passkey-client.js';

let tb: TestBridge | undefined;
let restarted: RunningBridge | undefined;
afterEach(async () => {
  await restarted?.close();
  await tb?.bridge.close().catch(() => {});
  tb = undefined;
  restarted = undefined;
});

describe('passkey sessions after a policy change', () => {
  it('end when the passkey they were signed in with no longer passes the user’s profiles (alice moved to a device-bound-only group)', async () => {
    tb = await startTestBridge();
    const rp = { rpId: RP.rpId, origin: tb.origin };
    const synced = FLAGS.UP | FLAGS.UV | FLAGS.BE | FLAGS.BS;
    const api = newClient(tb);
    const user = (await tb.bridge.ctx.directory.findUser('alice'))!;
    const tap = await tb.bridge.ctx.taps.issue(user, 3600, 1, 'test');
    expect((await api.post('/api/tap/redeem', { username: 'alice', code: tap.code })).status).toBe(200);
    const cred = newCredential();
    const opts = await api.post('/api/register/options', {});
    expect((await api.post('/api/register/verify', { response: registrationResponse(rp, String(opts.json['challenge']), cred, { flags: synced, userId: userIdOf(opts.json) }) })).status).toBe(200);
    const browser = newClient(tb);
    expect((await signInWith(browser, rp, cred, { counter: 1, flags: synced })).status).toBe(200);
    expect((await browser.post('/api/me', {})).status).toBe(200);

    // The administrator moves alice into Eng (profile eng: device-bound only); the bridge restarts
    // on the same data directory, so the session and its cookie are still there.
    await tb.bridge.close();
    const doc = { ...DIRECTORY_DOC, users: DIRECTORY_DOC.users.map((u) => (u.sAMAccountName === 'alice' ? { ...u, groups: ['Eng'] } : u)) };
    const directory = parseFileDirectory(doc, 'd.yaml', { realm: 'D.T', dnsDomain: 'd.t', netbiosName: 'D' });
    restarted = await startBridge(tb.config, tb.dataDir, { directory, clock: tb.clock });
    expect(restarted.url).toBe(tb.bridge.url);
    // The client's pooled keep-alive connection died with the first server: one request to drop it.
    await fetch(`${restarted.url}/assets/app.css`).catch(() => undefined);
    const same = browser;
    expect(await same.post('/api/me', {})).toMatchObject({ status: 401, json: { code: 'session.required' } });
    // A sign-in with the same passkey is refused for the same reason.
    expect((await signInWith(same, rp, cred, { counter: 2, flags: synced })).json['code']).toBe('passkey.synced_not_allowed');
  });
});
