import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractPac, splitKvno, ticketCodec } from '../../src/asn1/index.js';
import * as mint from '../../src/cli/commands/mint.js';
import { Key } from '../../src/crypto/index.js';
import { decodeCcache, decodeKirbi, encodeKeytab } from '../../src/files/index.js';
import { decodePac, formatSid } from '../../src/pac/index.js';
import { openTicket } from '../../src/ticket/index.js';
import { toHex } from '../../src/util/index.js';
import { runCommand } from './cli-io.js';

const CONFIG = resolve('config/tgtbridge.yaml');
const KEY = new Uint8Array(32).fill(0x5a);
const N = 0x8002;

async function setup(): Promise<{ dir: string; keytab: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'tgtb-cli-mint-'));
  const keytab = join(dir, 'export.keytab');
  await writeFile(
    keytab,
    encodeKeytab({
      entries: [
        { principal: { nameType: 1, components: [`krbtgt_${N}`], realm: 'DEMO.TEST' }, timestamp: new Date(0), kvno: ((N << 16) | 3) >>> 0, key: { keytype: 18, keyvalue: KEY } },
        { principal: { nameType: 1, components: [`krbtgt_${N}`], realm: 'DEMO.TEST' }, timestamp: new Date(0), kvno: ((N << 16) | 3) >>> 0, key: { keytype: 23, keyvalue: new Uint8Array(16) } },
      ],
    }),
  );
  return { dir, keytab };
}

describe('tgtbridge mint', () => {
  it('mints alice from the demo directory into a 0600 ccache the key opens; prints no key bytes', async () => {
    const { dir, keytab } = await setup();
    const out = join(dir, 'cc');
    const r = await runCommand(mint, ['--user', 'alice', '--config', CONFIG, '--keys', keytab, '--out', out, '--lifetime', '2h', '--data', dir]);
    expect(r.code).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const cc = decodeCcache(await readFile(out));
    expect(cc.defaultPrincipal).toMatchObject({ components: ['alice'], realm: 'DEMO.TEST' });
    const cred = cc.credentials[0]!;
    expect(cred.server.components).toEqual(['krbtgt', 'DEMO.TEST']);
    const ticket = ticketCodec.decode(cred.ticket);
    expect(splitKvno(ticket.encPart.kvno!)).toEqual({ rodcNumber: N, keyVersion: 3 });
    const part = openTicket(ticket, Key.fromBytes(18, KEY)).encTicketPart;
    expect(toHex(part.key.keyvalue)).toBe(toHex(cred.key.keyvalue));
    expect(part.endtime.getTime() - part.authtime.getTime()).toBe(2 * 3600_000);
    const pac = decodePac(extractPac(part.authorizationData)!);
    const req = pac.Buffers.find((b) => b.value?.type === 'REQUESTOR')!.value!;
    expect(req.type === 'REQUESTOR' && formatSid(req.value.Sid)).toBe('S-1-5-21-3623811015-3361044348-30300820-1104');
    expect(r.stdout).toContain(`krbtgt_${N}`);
    expect(r.stdout).not.toContain(toHex(cred.key.keyvalue));
    expect(r.stdout).not.toContain(toHex(KEY));
    expect(r.stderr).toContain('skipped'); // the RC4 entry
  });

  it('refuses a Domain Admin and a disabled user with the DC codes (exit 1); --skip-policy mints anyway', async () => {
    const { dir, keytab } = await setup();
    const dave = await runCommand(mint, ['--user', 'dave', '--config', CONFIG, '--keys', keytab, '--out', join(dir, 'd'), '--data', dir]);
    expect([dave.code, dave.stderr]).toEqual([1, expect.stringContaining('KDC_ERR_TGT_REVOKED')]);
    const carol = await runCommand(mint, ['--user', 'carol', '--config', CONFIG, '--keys', keytab, '--out', join(dir, 'c'), '--data', dir]);
    expect([carol.code, carol.stderr]).toEqual([1, expect.stringContaining('KDC_ERR_POLICY')]);
    const forced = await runCommand(mint, ['--user', 'dave', '--skip-policy', '--config', CONFIG, '--keys', keytab, '--out', join(dir, 'd'), '--data', dir]);
    expect(forced.code).toBe(0);
  });

  it('without a config: --sid and --realm; .kirbi output', async () => {
    const { dir, keytab } = await setup();
    const kirbi = join(dir, 'x.kirbi');
    const r = await runCommand(mint, ['--user', 'zed', '--sid', 'S-1-5-21-1-2-3-1500', '--realm', 'DEMO.TEST', '--keys', keytab, '--kirbi', kirbi], { cwd: dir });
    expect(r.code).toBe(0);
    const k = decodeKirbi(await readFile(kirbi));
    expect(k.tickets[0]!.sname.nameString).toEqual(['krbtgt', 'DEMO.TEST']);
    expect(openTicket(k.tickets[0]!, Key.fromBytes(18, KEY)).encTicketPart.cname.nameString).toEqual(['zed']);
    const none = await runCommand(mint, ['--user', 'zed', '--keys', keytab], { cwd: dir });
    expect(none.code).toBe(2);
    const wrongRealm = await runCommand(mint, ['--user', 'zed', '--sid', 'S-1-5-21-1-2-3-1500', '--realm', 'OTHER.TEST', '--keys', keytab, '--out', join(dir, 'o')], { cwd: dir });
    expect(wrongRealm.code).toBe(2);
  });

  it('writes to KRB5CCNAME (FILE: prefix) when no --out is given', async () => {
    const { dir, keytab } = await setup();
    const cc = join(dir, 'envcc');
    const r = await runCommand(mint, ['--user', 'zed', '--sid', 'S-1-5-21-1-2-3-1500', '--realm', 'DEMO.TEST', '--keys', keytab], { cwd: dir, env: { KRB5CCNAME: `FILE:${cc}` } });
    expect(r.code).toBe(0);
    expect(decodeCcache(await readFile(cc)).credentials).toHaveLength(1);
  });
});
