import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.js';
import { parseUsersFile, run } from '../../src/cli/commands/probe.js';
import { krbErrorCodec, tgsReqCodec } from '../../src/asn1/index.js';
import { encodeKeytab } from '../../src/files/index.js';
import { rodcKeys } from '../harness/fixtures.js';

function io(cwd: string): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: async () => new Uint8Array(0), env: {}, cwd };
}

describe('tgtbridge probe: arguments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tgtbridge-probe-'));
  writeFileSync(join(dir, 'rodc.keytab'), encodeKeytab({ entries: rodcKeys().entries }));
  writeFileSync(join(dir, 'users.yaml'), 'allowed: { name: alice, sid: S-1-5-21-1-2-3-1103 }\n');

  it('missing required options → 2 with usage', async () => {
    const c = io(dir);
    expect(await run(['--kdc', '127.0.0.1:1'], c)).toBe(2);
    expect(c.err.join('')).toMatch(/--rodc-keytab, --realm, --users required/);
  });

  it('an address for --kdc needs --spn → 2', async () => {
    const c = io(dir);
    expect(await run(['--kdc', '127.0.0.1:1', '--realm', 'R.TEST', '--rodc-keytab', 'rodc.keytab', '--users', 'users.yaml'], c)).toBe(2);
    expect(c.err.join('')).toMatch(/ERR_USAGE: .*--spn/);
  });

  it('an unreadable keytab → 2', async () => {
    const c = io(dir);
    expect(await run(['--kdc', 'kdc.r.test', '--realm', 'R.TEST', '--rodc-keytab', 'nope.keytab', '--users', 'users.yaml'], c)).toBe(2);
    expect(c.err.join('')).toMatch(/ERR_USAGE: cannot read nope.keytab/);
  });

  it('--users and --config together → 2', async () => {
    const c = io(dir);
    expect(await run(['--kdc', 'kdc.r.test', '--rodc-keytab', 'rodc.keytab', '--users', 'users.yaml', '--config', 'x.yaml'], c)).toBe(2);
  });

  it('--config takes roles and realm from the demo directory (config/tgtbridge.yaml)', async () => {
    const c = io(dir);
    const config = join(import.meta.dirname, '..', '..', 'config', 'tgtbridge.yaml');
    // Port 9 (discard) on loopback: nothing answers; one scenario is enough to see the realm and the roles used.
    const code = await run(['--kdc', '127.0.0.1:9', '--spn', 'cifs/fs1', '--rodc-keytab', 'rodc.keytab', '--config', config, '--only', 'disabled user · krbtgt', '--json'], c);
    expect(code).toBe(1);
    const doc = JSON.parse(c.out.join(''));
    expect(doc.realm).toBe('DEMO.TEST');
    expect(doc.results.map((r: { scenario: string; status: string; got: string }) => [r.scenario, r.status, r.got.startsWith('no answer')])).toEqual([['disabled user', 'fail', true]]);
  }, 20_000);

  it('the account holding the SPN comes from --spn-account, or from the directory with --config; without either that row is skipped', async () => {
    const config = join(import.meta.dirname, '..', '..', 'config', 'tgtbridge.yaml');
    const rowOf = async (extra: string[]): Promise<[string, string]> => {
      const c = io(dir);
      await run(['--kdc', '127.0.0.1:9', '--spn', 'cifs/fs1.demo.test', '--rodc-keytab', 'rodc.keytab', '--only', 'sAMAccountName', '--json', ...extra], c);
      const r = JSON.parse(c.out.join('')).results[0] as { status: string; detail: string };
      return [r.status, r.detail];
    };
    // Port 9 answers nothing: ran (fail), not skipped.
    expect((await rowOf(['--config', config]))[0]).toBe('fail');
    expect((await rowOf(['--config', config, '--spn-account', 'FS1$']))[0]).toBe('fail');
    const users = join(dir, 'users-two.yaml');
    writeFileSync(users, 'allowed: { name: alice, sid: S-1-5-21-1-2-3-1103 }\nother: { name: bob, sid: S-1-5-21-1-2-3-1104 }\n');
    expect(await rowOf(['--realm', 'DEMO.TEST', '--users', users])).toEqual(['skip', 'no account name for the cifs SPN (cifsAccount)']);
  }, 20_000);

  it('--help → 0', async () => {
    const c = io(dir);
    expect(await run(['--help'], c)).toBe(0);
    expect(c.out.join('')).toMatch(/^usage: tgtbridge probe/);
  });
});

describe('tgtbridge probe against a stand-in KDC on loopback UDP', () => {
  it('prints the matrix, plain progress lines on a non-TTY stderr, exit 1 when a scenario fails; --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgtbridge-probe-'));
    writeFileSync(join(dir, 'rodc.keytab'), encodeKeytab({ entries: rodcKeys().entries }));
    writeFileSync(join(dir, 'users.yaml'), 'allowed: { name: alice, sid: S-1-5-21-1-2-3-1103 }\nother: { name: bob, sid: S-1-5-21-1-2-3-1104 }\n');
    // Refuses every TGS-REQ with KDC_ERR_TGT_REVOKED, naming the requested service.
    const kdc = createSocket('udp4');
    kdc.on('message', (msg, from) => {
      const sname = tgsReqCodec.decode(new Uint8Array(msg)).reqBody.sname!;
      kdc.send(krbErrorCodec.encode({ stime: new Date(), susec: 0, errorCode: 20, realm: 'R.TEST', sname }), from.port, from.address);
    });
    await new Promise<void>((ok) => kdc.bind(0, '127.0.0.1', ok));
    const port = kdc.address().port;
    try {
      const args = ['--kdc', `127.0.0.1:${port}`, '--realm', 'r.test', '--spn', 'cifs/fs.r.test', '--rodc-keytab', 'rodc.keytab', '--users', 'users.yaml', '--only', '/^no (PAC|LOGON_INFO) · /'];
      const c = io(dir);
      expect(await run(args, c)).toBe(1);
      const lines = c.out.join('').split('\n');
      expect(lines[0]).toMatch(/^scenario\s+target\s+expected\s+got\s+pass$/);
      expect(lines.filter((l) => /^no PAC\s+(krbtgt|cifs)\s+KDC_ERR_TGT_REVOKED \(20\)\s+KDC_ERR_TGT_REVOKED \(20\)\s+yes$/.test(l))).toHaveLength(2);
      expect(lines.filter((l) => /^no LOGON_INFO .*NO$/.test(l))).toHaveLength(2);
      expect(c.out.join('')).toContain('2 passed, 2 failed, 0 skipped');
      expect(c.err).toHaveLength(4);
      expect(c.err[0]).toMatch(/^probe \[1\/4\] no PAC · krbtgt: pass\n$/);

      const j = io(dir);
      expect(await run([...args, '--only', 'no PAC', '--json'], j)).toBe(0);
      const doc = JSON.parse(j.out.join(''));
      expect(doc.realm).toBe('R.TEST');
      expect(doc.results.map((r: { target: string; status: string }) => [r.target, r.status])).toEqual([['krbtgt', 'pass'], ['cifs', 'pass']]);
    } finally {
      kdc.close();
    }
  });
});

describe('parseUsersFile', () => {
  it('reads JSON or YAML role maps with optional groupSids', () => {
    const u = parseUsersFile('{"allowed": {"name": "alice", "sid": "S-1-5-21-1-2-3-1103", "groupSids": ["S-1-5-21-1-2-3-513"]}}', 'u.json');
    expect(u.allowed).toEqual({ name: 'alice', sid: 'S-1-5-21-1-2-3-1103', groupSids: ['S-1-5-21-1-2-3-513'] });
    expect(parseUsersFile('other:\n  name: bob\n  sid: S-1-5-21-1-2-3-1104\n', 'u.yaml').other?.name).toBe('bob');
  });

  it('refuses unknown roles, non-account SIDs, bad groupSids and non-maps with ERR_USAGE', () => {
    for (const text of ['admin: { name: x, sid: S-1-5-21-1-2-3-500 }', 'allowed: { name: x, sid: S-1-5-32-544 }', 'allowed: { name: x, sid: S-1-5-21-1-2-3-4, groupSids: 5 }', '- a', 'allowed: [']) {
      expect(() => parseUsersFile(text, 'u.yaml')).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
    }
  });
});
