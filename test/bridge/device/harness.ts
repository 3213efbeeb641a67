import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openDeviceLogin, startBridge, type RunningBridge } from '../../../src/bridge/index.js';
import { parseConfig, type Config } from '../../../src/config/index.js';
import { parseFileDirectory, type Directory } from '../../../src/directory/index.js';
import { keySetPath, saveKeySet } from '../../../src/kdc/index.js';
import { KeySet } from '../../../src/ticket/index.js';
import { systemRandom } from '../../../src/util/index.js';
import { DIRECTORY_DOC, RP, configDoc } from '../../webauthn/fixture.js';
import { assertionResponse, newCredential, registrationResponse, type SynthCredential } from '../../webauthn/synth.js';
import { ApiClient, freePort } from '../http-harness.js';

export const RODC_NUMBER = 7;

/**
 * The webauthn fixture's directory plus a Domain Admin (denied by the RODC policy) and pat, a
 * member of the Allowed RODC Password Replication Group (what a DC's default policy reveals).
 */
export const DEVICE_DIRECTORY_DOC = {
  ...DIRECTORY_DOC,
  users: [
    ...DIRECTORY_DOC.users,
    { sAMAccountName: 'adm', rid: 1200, groups: ['Domain Admins'] },
    { sAMAccountName: 'pat', rid: 1201, groups: ['Allowed RODC Password Replication Group'] },
  ],
};

export interface DeviceBridge {
  readonly bridge: RunningBridge;
  readonly config: Config;
  readonly directory: Directory;
  readonly origin: string;
  readonly clock: { t: number; now(): Date };
  readonly dataDir: string;
  readonly keys: KeySet;
  readonly rp: { readonly rpId: string; readonly origin: string };
}

/** The real bridge with device login on 127.0.0.1 (origin http://localhost:PORT) and a krbtgt_7 key set of realm D.T. */
export async function startDeviceBridge(o: { minting?: Record<string, unknown>; withKeys?: boolean } = {}): Promise<DeviceBridge> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const doc = configDoc(undefined, { host: '127.0.0.1', port, origin, rateLimit: { perUser: 50, perAddress: 500, window: '5m' } });
  doc['minting'] = o.minting ?? {};
  const dataDir = join(mkdtempSync(join(tmpdir(), 'tgtb-device-')), 'data');
  const config = parseConfig(doc, join(dataDir, '..', 't.yaml'));
  const directory = parseFileDirectory(DEVICE_DIRECTORY_DOC, 'd.yaml', { realm: 'D.T', dnsDomain: 'd.t', netbiosName: 'D' });
  const clock = { t: Date.now(), now() { return new Date(this.t); } };
  let keys = KeySet.empty();
  if (o.withKeys !== false) {
    keys = keys.rotate(clock.now(), systemRandom, { rodcNumber: RODC_NUMBER, realm: 'D.T' });
    await saveKeySet(keySetPath(dataDir), keys);
  }
  const device = await openDeviceLogin({ config, directory, dataDir, clock });
  const bridge = await startBridge(config, dataDir, { directory, clock, ...device });
  return { bridge, config, directory, origin, clock, dataDir, keys, rp: { rpId: RP.rpId, origin } };
}

/** Register a synthesized passkey for `name` through a TAP, in its own browser-like client. */
export async function enrol(db: DeviceBridge, name: string): Promise<SynthCredential> {
  const api = new ApiClient(db.bridge.url, db.origin);
  const cred = newCredential();
  const user = (await db.directory.findUser(name))!;
  const tap = await db.bridge.ctx.taps.issue(user, 3600, 1, 'test');
  expect((await api.post('/api/tap/redeem', { username: name, code: tap.code })).status).toBe(200);
  const opts = await api.post('/api/register/options', {});
  const reg = await api.post('/api/register/verify', { response: registrationResponse(db.rp, String(opts.json['challenge']), cred), name: 'key' });
  expect(reg.status).toBe(200);
  return cred;
}

let counter = 1;

/**
 * What the browser does with an authorization URL: follow the bridge's redirect to the sign-in
 * page, sign in there with the synthesized passkey (the page posts its own path and query), and
 * return where the page would go next (the agent's loopback URL), or the 303 target when the
 * bridge redirected straight away.
 */
export async function browse(db: DeviceBridge, api: ApiClient, authorizeUrl: string, cred: SynthCredential | undefined, username?: string): Promise<string> {
  const path = authorizeUrl.slice(new URL(authorizeUrl).origin.length);
  const first = await api.get(path);
  expect(first.status).toBe(303);
  const next = first.headers.get('location')!;
  if (!next.startsWith('/?')) return next;
  expect(cred).toBeDefined();
  const opts = await api.post('/api/signin/options', username ? { username } : {});
  expect(opts.status).toBe(200);
  const done = await api.post('/api/signin/verify', { response: assertionResponse(db.rp, String(opts.json['challenge']), cred!, { counter: counter++ }), page: next });
  expect(done.status).toBe(200);
  return String(done.json['redirect']);
}
