import express, { type Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceMinter, KeySetFile, demoExtension, type BridgeContext, type BridgeOptions } from '../../../src/bridge/index.js';
import { keySetPath, loadEmbeddedKeys, startEmbeddedKdc, type EmbeddedKdc } from '../../../src/kdc/index.js';
import { parseMintingSettings } from '../../../src/ticket/index.js';
import { systemClock, systemRandom } from '../../../src/util/index.js';
import { RP } from '../../webauthn/fixture.js';
import { assertionResponse, newCredential, registrationResponse, userIdOf } from '../../webauthn/synth.js';
import { ApiClient, startTestBridge, type TestBridge } from '../http-harness.js';

/**
 * GET /demo over HTTP on the test bridge (realm D.T of the webauthn fixture), with an embedded KDC
 * started from the same config and directory. That directory puts nobody in the Allowed RODC
 * Password Replication Group, so the page also shows how a refusal reads.
 */
describe('/demo routes', () => {
  let tb: TestBridge | undefined;
  let kdc: EmbeddedKdc | undefined;
  afterEach(async () => {
    await tb?.bridge.close();
    await kdc?.listening.close();
    tb = undefined;
    kdc = undefined;
  });

  async function start(): Promise<{ t: TestBridge; api: ApiClient }> {
    let ext: Required<Pick<BridgeOptions, 'extraRoutes' | 'onSignedIn'>> | undefined;
    // The extension needs the config and data directory startTestBridge makes, but routes must be
    // in place before the app's 404 handler: a router now, filled once the extension exists.
    const router = express.Router();
    let ctx: BridgeContext | undefined;
    const t = await startTestBridge(() => {}, {
      extraRoutes: (app, c) => {
        ctx = c;
        app.use(router);
      },
      onSignedIn: (s, req, res) => ext!.onSignedIn(s, req, res),
    });
    tb = t;
    // The session's sign-in time becomes the partial TGT's authtime: keep it real for the KDC's time checks.
    t.clock.t = Date.now();
    const { config, dataDir } = t;
    const directory = t.bridge.ctx.directory;
    kdc = await startEmbeddedKdc({ config, dataDir, directory, port: 0 });
    const settings = parseMintingSettings(config.minting, dataDir);
    const setPath = keySetPath(dataDir, settings.keysDir);
    const keys = new KeySetFile(setPath);
    ext = demoExtension({
      realm: 'D.T',
      minterAt: (at) => DeviceMinter.create({ config, directory, settings, keys, clock: { now: () => at }, random: systemRandom }), service: 'cifs/fs.d.t', clock: systemClock, random: systemRandom,
      kdc: { host: kdc.listening.host, port: kdc.listening.udpPort },
      keys: () => loadEmbeddedKeys({ dataDir, keySetFile: setPath }, 'D.T'),
      loginLines: ['tgtbridge login {user} --bridge https://bridge.d.t'],
    });
    ext.extraRoutes(router as unknown as Express, ctx!);
    return { t, api: new ApiClient(t.bridge.url, t.origin) };
  }

  it('sends a visitor without a session to sign-in, and a TAP session gets no tickets', async () => {
    const { t, api } = await start();
    const anon = await api.get('/demo');
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/');
    const alice = (await t.bridge.ctx.directory.findUser('alice'))!;
    const tap = await t.bridge.ctx.taps.issue(alice, 3600, 1, 'test');
    expect((await api.post('/api/tap/redeem', { username: 'alice', code: tap.code })).status).toBe(200);
    const page = await api.get('/demo');
    expect(page.status).toBe(200);
    expect(page.text).toContain('temporary access pass');
    expect(page.text).not.toContain('id="partial"');
  });

  it('after a passkey sign-in: redirect to /demo, the partial TGT, and the refusal in words', async () => {
    const { t, api } = await start();
    const alice = (await t.bridge.ctx.directory.findUser('alice'))!;
    const tap = await t.bridge.ctx.taps.issue(alice, 3600, 1, 'test');
    await api.post('/api/tap/redeem', { username: 'alice', code: tap.code });
    const cred = newCredential();
    const rp = { rpId: RP.rpId, origin: t.origin };
    const ropts = await api.post('/api/register/options', {});
    expect((await api.post('/api/register/verify', { response: registrationResponse(rp, String(ropts.json['challenge']), cred, { userId: userIdOf(ropts.json) }), name: 'k' })).status).toBe(200);
    const sopts = await api.post('/api/signin/options', { username: 'alice' });
    const done = await api.post('/api/signin/verify', { response: assertionResponse(rp, String(sopts.json['challenge']), cred, { counter: 1 }) });
    expect(done.status).toBe(200);
    expect(done.json['redirect']).toBe('/demo');
    const page = await api.get('/demo');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.text).toContain('id="partial"');
    expect(page.text).not.toContain('id="full"');
    expect(page.text).toMatch(/class="refusal" role="alert"><p><strong>The exchange KDC refused the partial TGT<\/strong> \(KDC_ERR_TGT_REVOKED\)/);
    expect(page.text).toContain('tgtbridge login alice --bridge https://bridge.d.t');
    expect((await api.get('/assets/demo.css')).headers.get('content-type')).toContain('text/css');
    // The mint and the refusal are in the audit log.
    const events = await t.bridge.store.listAudit({ userSid: alice.objectSid, limit: 50 });
    const minted = events.find((e) => e.kind === 'ticket_minted');
    expect(minted?.detail).toMatchObject({ minted: 'partial_tgt', for: 'demo', cname: 'alice@D.T', exchanged: false });
    expect(events.find((e) => e.kind === 'refusal' && e.code === 'demo.exchange')?.detail).toMatchObject({ code: 'KDC_ERR_TGT_REVOKED' });
  });
});
