import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** Argument handling of `tgtbridge ad`; what it does against a DC is test/interop/samba-ad.test.ts. */
const CONN = ['--ldap', 'ldaps://127.0.0.1:1', '--bind-dn', 'CN=Administrator,CN=Users,DC=x,DC=test'];

describe('tgtbridge ad (arguments)', () => {
  it('--help prints usage and exits 0', async () => {
    const r = await runCli(['ad', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('create-rodc');
  });

  it.each([
    ['no sub-command', ['ad', ...CONN]],
    ['an unknown sub-command', ['ad', 'delete', ...CONN]],
    ['no --ldap', ['ad', 'show', '--bind-dn', 'CN=x']],
    ['no --bind-dn', ['ad', 'show', '--ldap', 'ldaps://127.0.0.1:1']],
    ['--ca-file with --insecure-tls', ['ad', 'show', ...CONN, '--ca-file', 'x.pem', '--insecure-tls']],
    ['--dns-host-name on show', ['ad', 'show', ...CONN, '--dns-host-name', 'a.x.test']],
    ['an unknown option', ['ad', 'show', ...CONN, '--password', 'x']],
  ])('%s: exit 2', async (_, argv) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('no password (no file, no TGTBRIDGE_LDAP_PASSWORD): exit 2 before any connection', async () => {
    const r = await runCli(['ad', 'show', ...CONN]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/TGTBRIDGE_LDAP_PASSWORD/);
  });

  it('plain ldap:// is refused (the simple bind would send the password in clear): exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tgtb-ad-'));
    await writeFile(join(dir, 'pw'), 'secret\n');
    const r = await runCli(['ad', 'show', '--ldap', 'ldap://127.0.0.1:1', '--bind-dn', 'CN=x', '--bind-password-file', join(dir, 'pw')]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('secret');
  });

  it('an unreadable password file: exit 2', async () => {
    const r = await runCli(['ad', 'show', ...CONN, '--bind-password-file', '/nonexistent/pw']);
    expect(r.code).toBe(2);
  });

  it('a DC that does not answer: exit 1, one line, no password in it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tgtb-ad-'));
    await writeFile(join(dir, 'pw'), 'Sekr1t-pw\n');
    const r = await runCli(['ad', 'create-rodc', ...CONN, '--bind-password-file', join(dir, 'pw')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain('Sekr1t');
  });
});
