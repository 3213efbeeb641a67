import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { rodcKvno, ticketCodec } from '../../src/asn1/index.js';
import { decodeCcache } from '../../src/files/index.js';
import { startEmbeddedKdc } from '../../src/kdc/index.js';
import { openTicket } from '../../src/ticket/index.js';
import { RODC_NUMBER, startDeviceBridge, type DeviceBridge } from '../bridge/device/harness.js';
import { describeWithPeers } from '../support/peers.js';
import { CHROMIUM, useChromiumSessions, registerWithTap, type BrowserSession } from './browser-harness.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'tgtbridge.js');

/**
 * A real `tgtbridge login --no-browser …` process (the built CLI: scripts/test.sh builds first);
 * `url` resolves with the address it prints for the person.
 */
function startLogin(argv: readonly string[]) {
  let stdout = '';
  let stderr = '';
  let seen: ((u: string) => void) | undefined;
  const url = new Promise<string>((r) => (seen = r));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'KRB5CCNAME' && !k.startsWith('TGTBRIDGE_')));
  const child = spawn(process.execPath, [BIN, 'login', ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString();
    const m = /^\s+(https?:\/\/\S+\/device\/authorize\?\S+)$/m.exec(stdout);
    if (m) seen?.(m[1]!);
  });
  child.stderr.on('data', (b: Buffer) => void (stderr += b.toString()));
  const done = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { done, url, out: () => stdout, err: () => stderr };
}

/**
 * The device login in Debian Chromium: a CDP virtual authenticator performs the passkey sign-in
 * for a real `tgtbridge login --no-browser --no-exchange` process (bin/tgtbridge.js); the page is
 * navigated to the URL the agent printed, the bridge's sign-in page sends it on to the agent's loopback listener.
 */
describeWithPeers('tgtbridge login through a real browser', [CHROMIUM], () => {
  let db: DeviceBridge | undefined;
  const session = useChromiumSessions();

  afterEach(async () => {
    await db?.bridge.close();
    db = undefined;
  });

  /** A browser holding a passkey for `user`, signed out again (so the device login needs the ceremony). */
  async function browserWithPasskey(d: DeviceBridge, user: string): Promise<BrowserSession> {
    const s = await session();
    expect(await registerWithTap(s, d, user)).toBe('ok');
    await s.page.getByRole('button', { name: 'Sign out' }).click();
    await s.page.waitForURL(`${d.origin}/`);
    return s;
  }

  it('passkey sign-in in Chromium → the partial TGT lands in the agent ccache (0600)', async () => {
    db = await startDeviceBridge();
    const s = await browserWithPasskey(db, 'alice');
    const cc = join(mkdtempSync(join(tmpdir(), 'tgtb-browser-login-')), 'cc');
    const run = startLogin(['alice', '--bridge', db.origin, '--ccache', cc, '--no-browser', '--no-exchange', '--timeout', '60']);
    await s.page.goto(await run.url);
    await s.page.waitForURL(/\/\?device_request=/);
    await s.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await s.page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/);
    await expect.poll(() => s.page.locator('h1').textContent()).toBe('Signed in');
    expect(await run.done).toBe(0);

    expect(statSync(cc).mode & 0o777).toBe(0o600);
    const cache = decodeCcache(new Uint8Array(readFileSync(cc)));
    expect(cache.defaultPrincipal).toMatchObject({ components: ['alice'], realm: 'D.T' });
    const c = cache.credentials[0]!;
    expect(c.server.components).toEqual(['krbtgt', 'D.T']);
    const ticket = ticketCodec.decode(c.ticket);
    expect(ticket.encPart.kvno! >>> 0).toBe(rodcKvno(RODC_NUMBER, 1));
    expect(Buffer.from(openTicket(ticket, db.keys.current().key).encTicketPart.key.keyvalue)).toEqual(Buffer.from(c.key.keyvalue));
  });

  it('a second login in the same signed-in browser needs one click, no second ceremony', async () => {
    db = await startDeviceBridge();
    const s = await session();
    expect(await registerWithTap(s, db, 'bob')).toBe('ok');
    // Registration left a TAP session; a passkey session is made by signing in once.
    await s.page.getByRole('button', { name: 'Sign out' }).click();
    await s.page.waitForURL(`${db.origin}/`);
    const first = startLogin(['--bridge', db.origin, '--ccache', join(mkdtempSync(join(tmpdir(), 'tgtb-bl-')), 'cc'), '--no-browser', '--no-exchange', '--timeout', '60']);
    await s.page.goto(await first.url);
    await s.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await s.page.waitForURL(/127\.0\.0\.1:\d+\/callback\?code=/);
    expect(await first.done).toBe(0);

    const second = startLogin(['--bridge', db.origin, '--ccache', join(mkdtempSync(join(tmpdir(), 'tgtb-bl-')), 'cc'), '--no-browser', '--no-exchange', '--timeout', '60']);
    await s.page.goto(await second.url);
    // No automatic approval (RFC 8252 §8.6): one click on the bridge's page, no passkey ceremony;
    // the page's CSP lets its form be redirected to the agent's loopback origin.
    await s.page.getByRole('button', { name: 'Continue as bob' }).click();
    await s.page.waitForURL(/127\.0\.0\.1:\d+\/callback\?code=/);
    expect(await second.done).toBe(0);
  });

  it('a Domain Admin sees the refusal in words in the tab; the agent exits 1 and writes nothing', async () => {
    db = await startDeviceBridge();
    const s = await browserWithPasskey(db, 'adm');
    const cc = join(mkdtempSync(join(tmpdir(), 'tgtb-browser-login-')), 'cc');
    const run = startLogin(['--bridge', db.origin, '--ccache', cc, '--no-browser', '--no-exchange', '--timeout', '60']);
    await s.page.goto(await run.url);
    await s.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await s.page.waitForURL(/127\.0\.0\.1:\d+\/callback\?error=access_denied/);
    await expect.poll(() => s.page.locator('h1').textContent()).toBe('Sign-in refused');
    expect(await s.page.locator('p').textContent()).toMatch(/password-replication policy/);
    expect(await run.done).toBe(1);
    expect(existsSync(cc)).toBe(false);
  });

  it('passkey sign-in in Chromium, then the exchange at the embedded exchange KDC: a full TGT in the ccache', async () => {
    db = await startDeviceBridge();
    const kdc = await startEmbeddedKdc({ config: db.config, dataDir: db.dataDir, directory: db.directory, port: 0 });
    try {
      const s = await browserWithPasskey(db, 'pat');
      const cc = join(mkdtempSync(join(tmpdir(), 'tgtb-browser-login-')), 'cc');
      const run = startLogin(['pat', '--bridge', db.origin, '--ccache', cc, '--no-browser', '--kdc', `127.0.0.1:${kdc.listening.udpPort}`, '--timeout', '60']);
      await s.page.goto(await run.url);
      await s.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await s.page.waitForURL(/127\.0\.0\.1:\d+\/callback\?code=/);
      expect(await run.done).toBe(0);
      expect(run.out()).toMatch(/exchanged the partial TGT \(RODC 7\) for a TGT of D\.T/);
      const cache = decodeCcache(new Uint8Array(readFileSync(cc)));
      expect(cache.defaultPrincipal).toMatchObject({ components: ['pat'], realm: 'D.T' });
      const tgt = ticketCodec.decode(cache.credentials.find((c) => c.server.components[0] === 'krbtgt')!.ticket);
      expect((tgt.encPart.kvno ?? 0) >>> 16).toBe(0);
    } finally {
      await kdc.listening.close();
    }
  });
});
