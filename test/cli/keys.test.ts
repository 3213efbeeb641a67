import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as keys from '../../src/cli/commands/keys.js';
import { decodeKeytab, encodeKeytab, type KeytabEntry } from '../../src/files/index.js';
import { toHex } from '../../src/util/index.js';
import { runCommand } from './cli-io.js';

const N = 54271;
function exported(entries: { etype: number; version: number; n?: number; fill?: number }[]): Uint8Array {
  return encodeKeytab({
    entries: entries.map(
      (e): KeytabEntry => ({
        principal: { nameType: 1, components: [`krbtgt_${e.n ?? N}`], realm: 'SAMBA.TEST' },
        timestamp: new Date('2026-11-01T00:00:00Z'),
        kvno: (((e.n ?? N) << 16) | e.version) >>> 0,
        key: { keytype: e.etype, keyvalue: new Uint8Array(e.etype === 18 ? 32 : 16).fill(e.fill ?? e.version) },
      }),
    ),
  });
}

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tgtb-cli-keys-'));
}

describe('tgtbridge keys', () => {
  it('rotate creates the first version of an embedded domain, then a second; list shows both, no key bytes', async () => {
    const dir = await tmp();
    const data = join(dir, 'data');
    expect((await runCommand(keys, ['rotate', '--data', data], { cwd: dir })).code).toBe(2); // empty set needs N and realm
    const r1 = await runCommand(keys, ['rotate', '--data', data, '--rodc-number', '4242', '--realm', 'demo.test'], { cwd: dir });
    expect(r1.code).toBe(0);
    expect((await runCommand(keys, ['rotate', '--data', data], { cwd: dir })).code).toBe(0);
    const file = join(data, 'keys', 'krbtgt-rodc.keytab');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const list = await runCommand(keys, ['list', '--json', '--data', data], { cwd: dir });
    const rows = JSON.parse(list.stdout) as { principal: string; version: number; kvno: number; etype: string; current: boolean; superseded: string | null }[];
    expect(rows.map((r) => [r.principal, r.version, r.kvno, r.etype, r.current])).toEqual([
      ['krbtgt_4242@DEMO.TEST', 1, ((4242 << 16) | 1) >>> 0, 'aes256-cts-hmac-sha1-96', false],
      ['krbtgt_4242@DEMO.TEST', 2, ((4242 << 16) | 2) >>> 0, 'aes256-cts-hmac-sha1-96', true],
    ]);
    expect(rows[0]!.superseded).not.toBeNull();
    const kt = decodeKeytab(await readFile(file));
    const text = (await runCommand(keys, ['list', '--data', data], { cwd: dir })).stdout + list.stdout;
    for (const e of kt.entries) expect(text).not.toContain(toHex(e.key.keyvalue));
  });

  it('import copies only the AES256 key of krbtgt_N and says why the others are skipped', async () => {
    const dir = await tmp();
    const data = join(dir, 'data');
    await writeFile(join(dir, 'export.keytab'), exported([{ etype: 18, version: 1 }, { etype: 17, version: 1 }, { etype: 23, version: 1 }]));
    const r = await runCommand(keys, ['import', 'export.keytab', '--principal', `krbtgt_${N}`, '--data', data], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr.match(/skipped/g)).toHaveLength(2);
    const kt = decodeKeytab(await readFile(join(data, 'keys', 'krbtgt-rodc.keytab')));
    expect(kt.entries.map((e) => [e.key.keytype, e.kvno])).toEqual([[18, ((N << 16) | 1) >>> 0]]);
    // A later version from the DC becomes current; the old one stays.
    await writeFile(join(dir, 'v2.keytab'), exported([{ etype: 18, version: 2 }]));
    expect((await runCommand(keys, ['import', 'v2.keytab', '--principal', `krbtgt_${N}`, '--data', data], { cwd: dir })).code).toBe(0);
    const rows = JSON.parse((await runCommand(keys, ['list', '--json', '--data', data], { cwd: dir })).stdout) as { version: number; current: boolean }[];
    expect(rows.map((x) => [x.version, x.current])).toEqual([[1, false], [2, true]]);
  });

  it('refuses keys it cannot use (exit 1, ERR_KEY_SET): only RC4/AES128, another RODC number, no RODC number', async () => {
    const dir = await tmp();
    const data = join(dir, 'data');
    await writeFile(join(dir, 'rc4.keytab'), exported([{ etype: 23, version: 1 }, { etype: 17, version: 1 }]));
    const rc4 = await runCommand(keys, ['import', 'rc4.keytab', '--principal', `krbtgt_${N}`, '--data', data], { cwd: dir });
    expect([rc4.code, rc4.stderr]).toEqual([1, expect.stringContaining('ERR_KEY_SET')]);
    await writeFile(join(dir, 'ok.keytab'), exported([{ etype: 18, version: 1 }]));
    await runCommand(keys, ['import', 'ok.keytab', '--principal', `krbtgt_${N}`, '--data', data], { cwd: dir });
    await writeFile(join(dir, 'other.keytab'), exported([{ etype: 18, version: 1, n: 7 }]));
    expect((await runCommand(keys, ['import', 'other.keytab', '--principal', 'krbtgt_7', '--data', data], { cwd: dir })).code).toBe(1);
    const noRodc = encodeKeytab({ entries: [{ principal: { nameType: 1, components: ['krbtgt_7'], realm: 'SAMBA.TEST' }, timestamp: new Date(0), kvno: 2, key: { keytype: 18, keyvalue: new Uint8Array(32) } }] });
    await writeFile(join(dir, 'nornodc.keytab'), noRodc);
    expect((await runCommand(keys, ['import', 'nornodc.keytab', '--principal', 'krbtgt_7', '--data', join(dir, 'd2')], { cwd: dir })).code).toBe(1);
  });

  it('import of a damaged keytab, and list over a damaged key set: exit 2, one line naming the file and the byte offset', async () => {
    const dir = await tmp();
    const data = join(dir, 'data');
    const good = exported([{ etype: 18, version: 1 }]);
    await writeFile(join(dir, 'cut.keytab'), good.subarray(0, good.length - 3));
    const cut = await runCommand(keys, ['import', 'cut.keytab', '--principal', `krbtgt_${N}`, '--data', data], { cwd: dir });
    expect(cut.code).toBe(2);
    expect(cut.stderr.trim().split('\n')).toHaveLength(1);
    expect(cut.stderr).toContain(join(dir, 'cut.keytab'));
    expect(cut.stderr).toMatch(/ERR_KEYTAB_FORMAT.* at byte \d+/);
    await mkdir(join(data, 'keys'), { recursive: true });
    const setFile = join(data, 'keys', 'krbtgt-rodc.keytab');
    await writeFile(setFile, Uint8Array.of(5, 2, 0, 0, 0, 64, 0));
    const list = await runCommand(keys, ['list', '--data', data], { cwd: dir });
    expect(list.code).toBe(2);
    expect(list.stderr.trim().split('\n')).toHaveLength(1);
    expect(list.stderr).toContain(setFile);
    expect(list.stderr).toMatch(/at byte 6/);
  });

  it('import of something that is not a regular file (a FIFO no one writes to) is refused at once, not read until it ends', async () => {
    const dir = await tmp();
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const r = await runCommand(keys, ['import', 'pipe', '--principal', `krbtgt_${N}`, '--data', join(dir, 'data')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'pipe'));
  }, 3000);

  it('a key set that cannot be written (mkdir refused: sysfs) is exit 2 with one line naming it, not a stack trace', async () => {
    const data = `/sys/tgtbridge-keys-test-${process.pid}`;
    const r = await runCommand(keys, ['rotate', '--data', data, '--rodc-number', '4242', '--realm', 'demo.test'], { cwd: await tmp() });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(join(data, 'keys', 'krbtgt-rodc.keytab'));
  });

  it('usage errors exit 2', async () => {
    expect((await runCommand(keys, ['import', 'x.keytab'])).code).toBe(2);
    expect((await runCommand(keys, ['bogus'])).code).toBe(2);
  });
});
