import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'tgtbridge.js');
const CONFIG = join(ROOT, 'config', 'tgtbridge.yaml');
const data = mkdtempSync(join(tmpdir(), 'tgtbridge-nokdc-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** `serve --no-kdc` until it has printed its banner (or exited); then SIGTERM. */
async function serveNoKdc(port: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--no-kdc', '--config', CONFIG, '--data', data, '--port', String(port)], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.includes('tgtbridge login')) child.kill('SIGTERM');
  });
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

// In front of a real DC (Samba/Windows) the bridge must not start its own exchange KDC, nor write a
// krb5.conf that would send devices to it, nor invent keys no DC knows.
describe('tgtbridge serve --no-kdc (built)', () => {
  it('refuses to start without an imported krbtgt_N key, and says how to get one', async () => {
    const r = await serveNoKdc(await freePort());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('keys import');
    expect(existsSync(join(data, 'krb5.conf'))).toBe(false);
  });

  it('with a key starts the bridge only: no KDC, no krb5.conf, no generated keytabs', async () => {
    const rotate = spawnSync(process.execPath, [BIN, 'keys', 'rotate', '--config', CONFIG, '--data', data, '--rodc-number', '4242', '--realm', 'DEMO.TEST'], { cwd: ROOT, encoding: 'utf8' });
    expect(rotate.status, rotate.stderr).toBe(0);
    const r = await serveNoKdc(await freePort());
    expect(r.stdout).toContain('no embedded KDC');
    expect(r.stdout).not.toContain('exchange KDC on');
    expect(r.stdout).toMatch(/listening on http/);
    expect(existsSync(join(data, 'krb5.conf'))).toBe(false);
    expect(existsSync(join(data, 'keytabs'))).toBe(false);
  });

  it('refuses to start on a key set other accounts can read, naming the file and the fix', async () => {
    const setFile = join(data, 'keys', 'krbtgt-rodc.keytab');
    chmodSync(setFile, 0o644);
    try {
      const r = await serveNoKdc(await freePort());
      expect(r.code).not.toBe(0);
      expect(r.stdout).not.toMatch(/listening on http/);
      expect(r.stderr).toContain(`chmod 600 ${setFile}`);
    } finally {
      chmodSync(setFile, 0o600);
    }
  });
});
