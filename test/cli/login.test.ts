import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rodcKvno } from '../../src/asn1/index.js';
import type { CliIo } from '../../src/cli/index.js';
import { run as login } from '../../src/cli/commands/login.js';
import { decodeCcache } from '../../src/files/index.js';
import { openTicket } from '../../src/ticket/index.js';
import { ticketCodec } from '../../src/asn1/index.js';
import { browse, enrol, newBrowser, type TestBrowser, RODC_NUMBER, startDeviceBridge, type DeviceBridge } from '../bridge/device/harness.js';
import { describeWithPeers } from '../support/peers.js';
import { KLIST_ENV } from '../support/klist.js';

let db: DeviceBridge | undefined;
afterEach(async () => {
  await db?.bridge.close();
  db = undefined;
});

interface Running {
  readonly done: Promise<number>;
  readonly out: () => string;
  readonly err: () => string;
  /** The sign-in URL once the agent printed it. */
  readonly url: Promise<string>;
}

/** `tgtbridge login …` in-process; its printed sign-in URL is handed to the test's "browser". */
function startLogin(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Running {
  let stdout = '';
  let stderr = '';
  let seen: ((u: string) => void) | undefined;
  const url = new Promise<string>((r) => (seen = r));
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
      const m = /^\s+(https?:\/\/\S+\/device\/authorize\?\S+)$/m.exec(stdout);
      if (m) seen?.(m[1]!);
    },
    stderr: (t) => void (stderr += t),
    readStdin: async () => new Uint8Array(0),
    env,
    cwd: process.cwd(),
  };
  return { done: login(argv, io), out: () => stdout, err: () => stderr, url };
}

/** The browser's part: authorize → sign-in with the synthesized passkey → follow the redirect to the agent's listener. */
async function signInAndReturn(d: DeviceBridge, url: string, user: string, opts: { api?: TestBrowser } = {}): Promise<{ status: number; text: string }> {
  const cred = await enrol(d, user);
  const back = await browse(d, opts.api ?? newBrowser(d), url, cred);
  expect(back).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
  const res = await fetch(back);
  return { status: res.status, text: await res.text() };
}

function tmpCcache(): string {
  return join(mkdtempSync(join(tmpdir(), 'tgtb-login-')), 'cc');
}

describe('tgtbridge login (device agent) against the real bridge', () => {
  it('writes the partial TGT and its session key to a 0600 ccache named by --ccache', async () => {
    db = await startDeviceBridge();
    const cc = tmpCcache();
    const run = startLogin(['alice', '--bridge', db.bridge.url, '--ccache', cc, '--no-browser', '--no-exchange']);
    const url = await run.url;
    expect(new URL(url).searchParams.get('login_hint')).toBe('alice');
    expect(new URL(url).searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const page = await signInAndReturn(db, url, 'alice');
    expect(page).toMatchObject({ status: 200 });
    expect(page.text).toMatch(/You can close this tab/);
    expect(await run.done).toBe(0);
    expect(run.out()).toMatch(/signed in as alice@D\.T; partial TGT written to /);

    expect(statSync(cc).mode & 0o777).toBe(0o600);
    const cache = decodeCcache(new Uint8Array(readFileSync(cc)));
    expect(cache.defaultPrincipal).toMatchObject({ components: ['alice'], realm: 'D.T' });
    expect(cache.credentials).toHaveLength(1);
    const c = cache.credentials[0]!;
    expect(c.server).toMatchObject({ components: ['krbtgt', 'D.T'], realm: 'D.T' });
    const ticket = ticketCodec.decode(c.ticket);
    expect(ticket.encPart.kvno! >>> 0).toBe(rodcKvno(RODC_NUMBER, 1));
    // The ccache's session key is the one inside the minted ticket.
    expect(Buffer.from(openTicket(ticket, db.keys.current().key).encTicketPart.key.keyvalue)).toEqual(Buffer.from(c.key.keyvalue));
  });

  it('honours KRB5CCNAME=FILE:… when --ccache is absent', async () => {
    db = await startDeviceBridge();
    const cc = tmpCcache();
    const run = startLogin(['--bridge', db.bridge.url, '--no-browser', '--no-exchange'], { KRB5CCNAME: `FILE:${cc}` });
    await signInAndReturn(db, await run.url, 'bob');
    expect(await run.done).toBe(0);
    expect(decodeCcache(new Uint8Array(readFileSync(cc))).defaultPrincipal.components).toEqual(['bob']);
  });

  it('a refused account (Domain Admin): exit 1, the reason in words, no ccache written', async () => {
    db = await startDeviceBridge();
    const cc = tmpCcache();
    const run = startLogin(['--bridge', db.bridge.url, '--ccache', cc, '--no-browser', '--no-exchange']);
    const page = await signInAndReturn(db, await run.url, 'adm');
    expect(page.text).toMatch(/Sign-in refused/);
    expect(page.text).toMatch(/password-replication policy/);
    expect(await run.done).toBe(1);
    expect(run.err()).toMatch(/the bridge refused \(access_denied\)/);
    expect(existsSync(cc)).toBe(false);
  });

  it('a ccache that cannot be written (no such directory): ERR_IO naming the file, exit 1, not an escaped ENOENT', async () => {
    db = await startDeviceBridge();
    const cc = join(tmpCcache(), 'no-such-dir', 'cc');
    const run = startLogin(['--bridge', db.bridge.url, '--ccache', cc, '--no-browser', '--no-exchange']);
    await signInAndReturn(db, await run.url, 'alice');
    expect(await run.done).toBe(1);
    expect(run.err()).toMatch(/ERR_IO/);
    expect(run.err()).toContain(cc);
    expect(existsSync(cc)).toBe(false);
  });

  it('ignores a redirect with a foreign state and still completes with the right one', async () => {
    db = await startDeviceBridge();
    const cc = tmpCcache();
    const run = startLogin(['--bridge', db.bridge.url, '--ccache', cc, '--no-browser', '--no-exchange']);
    const url = new URL(await run.url);
    const forged = await fetch(`${url.searchParams.get('redirect_uri')}?code=stolen&state=forged`);
    expect(forged.status).toBe(400);
    await signInAndReturn(db, url.href, 'alice');
    expect(await run.done).toBe(0);
    expect(run.err()).toMatch(/state that does not belong to this login/);
  });

  it('the listener refuses another Host header (DNS rebinding) and other paths', async () => {
    db = await startDeviceBridge();
    const run = startLogin(['--bridge', db.bridge.url, '--ccache', tmpCcache(), '--no-browser', '--no-exchange', '--timeout', '2']);
    const redirect = new URL(new URL(await run.url).searchParams.get('redirect_uri')!);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const r = request({ host: '127.0.0.1', port: Number(redirect.port), path: '/callback?code=x&state=y', headers: { host: 'evil.test' } }, (res) => resolve(res.statusCode ?? 0));
      r.on('error', reject);
      r.end();
    });
    expect(status).toBe(400);
    expect((await fetch(`${redirect.origin}/other`)).status).toBe(404);
    expect(await run.done).toBe(1);
    expect(run.err()).toMatch(/ERR_TRANSPORT: no answer from the browser within 2 s/);
  });

  it('usage errors: two users, a bad timeout, no bridge anywhere, plain http to another host', async () => {
    const r = (argv: string[]) => {
      const x = startLogin(argv, {});
      return x.done.then((code) => ({ code, err: x.err() }));
    };
    expect((await r(['a', 'b', '--bridge', 'https://b.test'])).code).toBe(2);
    expect((await r(['--timeout', '0', '--bridge', 'https://b.test'])).code).toBe(2);
    expect((await r(['--config', '/nonexistent/x.yaml'])).code).not.toBe(0);
    expect(await r(['--bridge', 'http://bridge.example.test'])).toMatchObject({ code: 2, err: expect.stringMatching(/https/) });
  });
});

describeWithPeers('tgtbridge login → MIT klist', ['klist'], () => {
  it('klist -c FILE:<ccache> lists krbtgt/D.T@D.T for alice@D.T', async () => {
    db = await startDeviceBridge();
    const cc = tmpCcache();
    const run = startLogin(['--bridge', db.bridge.url, '--ccache', cc, '--no-browser', '--no-exchange']);
    await signInAndReturn(db, await run.url, 'alice');
    expect(await run.done).toBe(0);
    const out = execFileSync('klist', ['-e', '-f', '-c', `FILE:${cc}`], { env: { ...process.env, ...KLIST_ENV }, encoding: 'utf8' });
    expect(out).toMatch(/^Default principal: alice@D\.T$/m);
    expect(out).toMatch(/krbtgt\/D\.T@D\.T/);
    expect(out).toMatch(/Flags: FRIA/);
    expect(out).toMatch(/Etype \(skey, tkt\): aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96/);
  });
});

describe('tgtbridge login → tgtbridge exchange at the embedded exchange KDC', () => {
  it('replaces the partial TGT with a full TGT under the domain krbtgt key', async () => {
    db = await startDeviceBridge();
    const { startEmbeddedKdc } = await import('../../src/kdc/index.js');
    const kdc = await startEmbeddedKdc({ config: db.config, dataDir: db.dataDir, directory: db.directory, port: 0 });
    try {
      const cc = tmpCcache();
      const run = startLogin(['pat', '--bridge', db.bridge.url, '--ccache', cc, '--no-browser', '--kdc', `127.0.0.1:${kdc.listening.udpPort}`]);
      await signInAndReturn(db, await run.url, 'pat');
      expect(await run.done).toBe(0);
      expect(run.out()).toMatch(/exchanged the partial TGT \(RODC 7\) for a TGT of D\.T/);
      const cache = decodeCcache(new Uint8Array(readFileSync(cc)));
      const tgt = ticketCodec.decode(cache.credentials.find((c) => c.server.components[0] === 'krbtgt')!.ticket);
      // The full TGT's kvno names the domain krbtgt (no RODC number in the high 16 bits).
      expect((tgt.encPart.kvno ?? 0) >>> 16).toBe(0);
      expect(statSync(cc).mode & 0o777).toBe(0o600);
    } finally {
      await kdc.listening.close();
    }
  });

  it('the KDC refuses a user outside the Allowed RODC group: exit 1 with the explanation, partial TGT kept', async () => {
    db = await startDeviceBridge();
    const { startEmbeddedKdc } = await import('../../src/kdc/index.js');
    const kdc = await startEmbeddedKdc({ config: db.config, dataDir: db.dataDir, directory: db.directory, port: 0 });
    try {
      const cc = tmpCcache();
      const run = startLogin(['alice', '--bridge', db.bridge.url, '--ccache', cc, '--no-browser', '--kdc', `127.0.0.1:${kdc.listening.udpPort}`]);
      await signInAndReturn(db, await run.url, 'alice');
      expect(await run.done).toBe(1);
      expect(run.err()).toMatch(/tgtbridge exchange: the KDC refused/);
      const tgt = ticketCodec.decode(decodeCcache(new Uint8Array(readFileSync(cc))).credentials[0]!.ticket);
      expect(tgt.encPart.kvno! >>> 0).toBe(rodcKvno(RODC_NUMBER, 1));
    } finally {
      await kdc.listening.close();
    }
  });
});
