/**
 * The README's main job, end to end, as a newcomer runs it: `bash scripts/run.sh` (with its own
 * data directory and ports), the printed URL and TAP, a passkey registered and used in Chromium
 * (CDP virtual authenticator), the /demo page's three decoded tickets, then `tgtbridge login
 * --no-browser` driven through the same browser, and MIT klist/kvno on the ccache it wrote: the
 * full TGT validated offline with the realm's krbtgt keytab, a cifs ticket fetched by MIT kvno
 * from the embedded KDC and accepted offline by `kvno -k` with the file server's keytab.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../bridge/http-harness.js';
import { KLIST_ENV } from '../support/klist.js';
import { describeWithPeers } from '../support/peers.js';
import { CHROMIUM, launchChromium, openSession, type BrowserSession } from './browser-harness.js';

const REPO = join(import.meta.dirname, '..', '..');
const SCREENSHOT = join(tmpdir(), 'tgtbridge-demo-page.png');

/** Collect a child's stdout and resolve when `pattern` matches it. */
function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number, log: { out: string }): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output so far:\n${log.out}`)), timeoutMs);
    const check = (): void => {
      const m = log.out.match(pattern);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on('data', (d: Buffer) => {
      log.out += d.toString();
      check();
    });
    child.stderr?.on('data', (d: Buffer) => {
      log.out += d.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; output:\n${log.out}`));
    });
    check();
  });
}

function mit(cmd: string, args: readonly string[], env: Record<string, string>): { code: number; out: string } {
  const r = spawnSync(cmd, args, { env: { ...process.env, ...KLIST_ENV, ...env }, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describeWithPeers('the main job: bash scripts/run.sh, a passkey sign-in, /demo, tgtbridge login, MIT tools', [CHROMIUM, 'kinit', 'klist', 'kvno'], () => {
  let server: ChildProcess | undefined;
  const serverLog = { out: '' };
  let browser: Browser;
  let s: BrowserSession;
  let dataDir: string;
  let origin: string;
  let tap: string;
  let startMs: number;

  beforeAll(async () => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'tgtb-demo-run-')), 'data');
    const port = await freePort();
    const t0 = performance.now();
    server = spawn('bash', ['scripts/run.sh', '--data', dataDir, '--port', String(port), '--kdc-port', '0'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    const m = await waitForOutput(server, /Temporary access pass for alice: (\S+)\n[\s\S]*to get the tickets into a ccache: (.+)\n/, 120_000, serverLog);
    startMs = performance.now() - t0;
    tap = m[1]!;
    origin = serverLog.out.match(/tgtbridge: open (http:\/\/localhost:\d+)\//)![1]!;
    process.stderr.write(`demo-run: bash scripts/run.sh → URL and TAP printed in ${startMs.toFixed(0)} ms (including a build when a source changed)\n`);
    browser = await launchChromium();
    s = await openSession(browser);
  }, 180_000);

  afterAll(async () => {
    await s?.close();
    await browser?.close();
    if (server?.pid !== undefined && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      process.kill(server.pid, 'SIGTERM');
      await exited;
    }
  });

  it('prints the URL, the TAP, the KRB5_CONFIG export and the login line; keys are 0600 in the data directory', () => {
    expect(serverLog.out).toContain(`export KRB5_CONFIG=${dataDir}/krb5.conf`);
    expect(serverLog.out).toContain(`tgtbridge login alice --bridge ${origin}`);
    expect(readFileSync(join(dataDir, 'krb5.conf'), 'utf8')).toMatch(/DEMO\.TEST = \{\n\s+kdc = 127\.0\.0\.1:\d+/);
    for (const f of ['keys/krbtgt.keytab', 'keys/krbtgt-rodc.keytab', 'keytabs/fs1.keytab']) expect(statSync(join(dataDir, f)).mode & 0o777).toBe(0o600);
  });

  it('registers a passkey with the TAP, signs in, and /demo shows the three tickets decoded', async () => {
    const page = s.page;
    await page.goto(`${origin}/tap`);
    await page.getByLabel('Account name').fill('alice');
    await page.getByLabel('Temporary access pass').fill(tap);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel(/Name for the new passkey/).fill('Demo laptop');
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await page.waitForURL('**/security', { timeout: 15_000 });

    await page.goto(`${origin}/`);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL('**/demo', { timeout: 15_000 });
    await expect.poll(() => page.locator('h1').textContent()).toBe('What happened at your sign-in');
    expect(await page.locator('[role=alert].refusal').count()).toBe(0);

    expect((await page.locator('#summary').innerText()).replace(/\s+/g, ' ')).toMatch(/partial TGT carried 1 group \(Domain Users, the primary group\); the full TGT carries 4: .*Engineering.*, plus S-1-18-1\./);
    const partial = (await page.locator('#partial').innerText()).replace(/\s+/g, ' ');
    expect(partial).toMatch(/kvno \d+ = RODC number \d+ \(high 16 bits\), key version 1/);
    expect(partial).toContain('aes256-cts-hmac-sha1-96');
    expect(partial).toMatch(/Groups \(1\) SID Name S-1-5-21-[\d-]+-513 Domain Users/);
    expect(partial).not.toContain('Engineering');
    expect(partial).toContain('REQUESTOR');
    expect(partial).toMatch(/PRIVSVR_CHECKSUM 16 \d+ verified/);

    const full = (await page.locator('#full').innerText()).replace(/\s+/g, ' ');
    for (const g of ['Domain Users', 'Engineering', 'Staff', 'Allowed RODC Password Replication Group', 'S-1-18-1']) expect(full).toContain(g);
    expect(full).toContain('UPN_DNS_INFO alice@demo.test');
    expect(full).not.toMatch(/kvno \d+ = RODC number/);

    const service = (await page.locator('#service').innerText()).replace(/\s+/g, ' ');
    expect(service).toContain('cifs/fs1.demo.test@DEMO.TEST');
    expect(service).toMatch(/TICKET_CHECKSUM \d+ — verified/);
    expect(service).toMatch(/FULL_CHECKSUM \d+ — verified/);

    expect(await page.locator('pre').innerText()).toContain(`tgtbridge login alice --bridge ${origin}`);
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    process.stderr.write(`demo-run: screenshot of /demo at ${SCREENSHOT}\n`);
  }, 60_000);

  it('tgtbridge login alice --no-browser writes a ccache; MIT klist and kvno use it against the embedded KDC', async () => {
    const cc = join(dataDir, '..', 'krb5cc_demo');
    const env = { KRB5_CONFIG: join(dataDir, 'krb5.conf') };
    const login = spawn('node', ['bin/tgtbridge.js', 'login', 'alice', '--bridge', origin, '--no-browser', '--ccache', cc], {
      cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = { out: '' };
    const exited = new Promise<number | null>((r) => login.once('exit', r));
    const url = (await waitForOutput(login, /\n {2}(http:\/\/localhost:\d+\/device\/authorize\?\S+)\n/, 30_000, log))[1]!;
    // Already signed in with the passkey: one click on the bridge's confirmation page (no automatic
    // approval for a loopback client, RFC 8252 §8.6), then the bridge mints and sends the browser back to the agent.
    await s.page.goto(url);
    await s.page.getByRole('button', { name: 'Continue as alice' }).click();
    expect(await exited, log.out).toBe(0);
    expect(statSync(cc).mode & 0o777).toBe(0o600);

    const klist = mit('klist', ['-c', `FILE:${cc}`], env);
    expect(klist.code, klist.out).toBe(0);
    expect(klist.out).toContain('Default principal: alice@DEMO.TEST');
    expect(klist.out).toContain('krbtgt/DEMO.TEST@DEMO.TEST');
    // The TGT in the ccache is the full one: MIT opens it with the realm's krbtgt key, offline.
    const offlineConf = join(dataDir, '..', 'offline-krb5.conf');
    writeFileSync(offlineConf, '[libdefaults]\n  default_realm = DEMO.TEST\n[realms]\n  DEMO.TEST = {\n    kdc = 127.0.0.1:9\n  }\n');
    const offline = { KRB5_CONFIG: offlineConf };
    const tgt = mit('kvno', ['-c', `FILE:${cc}`, '-k', join(dataDir, 'keys', 'krbtgt.keytab'), 'krbtgt/DEMO.TEST@DEMO.TEST'], offline);
    expect(tgt.code, tgt.out).toBe(0);
    expect(tgt.out).toMatch(/krbtgt\/DEMO\.TEST@DEMO\.TEST: kvno = 1, keytab entry valid/);

    // MIT kvno obtains the cifs ticket from the embedded KDC (KRB5_CONFIG → <data>/krb5.conf)…
    const fetched = mit('kvno', ['-c', `FILE:${cc}`, 'cifs/fs1.demo.test'], env);
    expect(fetched.code, fetched.out).toBe(0);
    expect(fetched.out).toMatch(/cifs\/fs1\.demo\.test@DEMO\.TEST: kvno = 1/);
    // …and, with no KDC reachable, validates the cached ticket with the file server's keytab.
    const valid = mit('kvno', ['-c', `FILE:${cc}`, '-k', join(dataDir, 'keytabs', 'fs1.keytab'), 'cifs/fs1.demo.test'], offline);
    expect(valid.code, valid.out).toBe(0);
    expect(valid.out).toMatch(/cifs\/fs1\.demo\.test@DEMO\.TEST: kvno = 1, keytab entry valid/);
    expect(mit('klist', ['-c', `FILE:${cc}`], env).out).toContain('cifs/fs1.demo.test@DEMO.TEST');
  }, 60_000);
});
