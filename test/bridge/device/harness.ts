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
import { assertionResponse, newCredential, registrationResponse, userIdOf, type SynthCredential } from '../../webauthn/synth.js';
import { freePort } from '../http-harness.js';

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

/**
 * A cookie-keeping stand-in for the browser: JSON posts with the page's Origin (as the sign-in
 * page's script sends them), form posts (as the confirmation page's form), and GETs; redirects
 * are returned, not followed.
 */
export class TestBrowser {
  private readonly jar = new Map<string, string>();

  constructor(
    private readonly base: string,
    readonly origin: string,
  ) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
    return this.send(path, { headers });
  }

  async post(path: string, json: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const r = await this.send(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
    return { status: r.status, json: (r.text ? JSON.parse(r.text) : {}) as Record<string, unknown> };
  }

  async postForm(path: string, fields: Record<string, string>, origin = this.origin): Promise<{ status: number; text: string; headers: Headers }> {
    return this.send(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin }, body: new URLSearchParams(fields).toString() });
  }

  private async send(path: string, init: { method?: string; headers: Record<string, string>; body?: string }) {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.base + path, { ...init, headers: { origin: this.origin, cookie, ...init.headers }, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [name, value] = c.split(';')[0]!.split('=');
      if (/Max-Age=0/.test(c)) this.jar.delete(name!);
      else this.jar.set(name!, value!);
    }
    return { status: res.status, text: await res.text(), headers: res.headers };
  }
}

export function newBrowser(db: DeviceBridge): TestBrowser {
  return new TestBrowser(db.bridge.url, db.origin);
}

/** Register a synthesized passkey for `name` through a TAP, in its own browser. */
export async function enrol(db: DeviceBridge, name: string): Promise<SynthCredential> {
  const b = newBrowser(db);
  const cred = newCredential();
  const user = (await db.directory.findUser(name))!;
  const tap = await db.bridge.ctx.taps.issue(user, 3600, 1, 'test');
  expect((await b.post('/api/tap/redeem', { username: name, code: tap.code })).status).toBe(200);
  const opts = await b.post('/api/register/options', {});
  const reg = await b.post('/api/register/verify', { response: registrationResponse(db.rp, String(opts.json['challenge']), cred, { userId: userIdOf(opts.json) }), name: 'key' });
  expect(reg.status).toBe(200);
  return cred;
}

let counter = 1;

/** Sign in on the sign-in page at `page` (its path and query) with the synthesized passkey; returns where the page goes next. */
export async function signInAt(db: DeviceBridge, b: TestBrowser, page: string, cred: SynthCredential, username?: string): Promise<string> {
  const opts = await b.post('/api/signin/options', username ? { username } : {});
  expect(opts.status).toBe(200);
  const done = await b.post('/api/signin/verify', { response: assertionResponse(db.rp, String(opts.json['challenge']), cred, { counter: counter++ }), page });
  expect(done.status).toBe(200);
  return String(done.json['redirect']);
}

/**
 * What the browser does with an authorization URL: follow the bridge's redirect to the sign-in
 * page and sign in there with the synthesized passkey (the page posts its own path and query),
 * or — already signed in — press Continue on the confirmation page. Returns where the browser is
 * sent next (the agent's loopback URL), or the 303 target of an immediate redirect.
 */
export async function browse(db: DeviceBridge, b: TestBrowser, authorizeUrl: string, cred: SynthCredential | undefined, username?: string): Promise<string> {
  const first = await b.get(authorizeUrl.slice(new URL(authorizeUrl).origin.length));
  if (first.status === 200) {
    const id = /name="request" value="([^"]+)"/.exec(first.text)?.[1];
    expect(id).toBeDefined();
    const next = await b.postForm('/device/continue', { request: id! });
    expect(next.status).toBe(303);
    return next.headers.get('location')!;
  }
  expect(first.status).toBe(303);
  const next = first.headers.get('location')!;
  if (!next.startsWith('/?')) return next;
  expect(cred).toBeDefined();
  return signInAt(db, b, next, cred!, username);
}
