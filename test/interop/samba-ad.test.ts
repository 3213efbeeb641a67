import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { decodeKeytab } from '../../src/files/index.js';
import { describeWithPeers } from '../support/peers.js';
import { useSambaDc, type SambaDc } from '../support/lab.js';

/**
 * `tgtbridge ad create-rodc` and `ad show` against a real Samba AD DC (scripts/lab/samba-dc.sh),
 * over LDAPS inside the lab's network namespace; the key the DC made is then exported with
 * samba-tool and checked with our keytab codec. Needs the built CLI (scripts/test.sh builds first).
 */
const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'tgtbridge.js');
const ADMIN_DN = 'CN=Administrator,CN=Users,DC=samba,DC=test';
const ETYPE_AES256 = 18;

describeWithPeers('ad create-rodc / show against Samba AD DC', ['samba', 'samba-tool', 'root'], () => {
  const lab = useSambaDc();
  let n = 0;

  function tgtbridge(l: SambaDc, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const conn = ['--ldap', 'ldaps://127.0.0.10', '--bind-dn', ADMIN_DN, '--insecure-tls'];
    return l.exec([process.execPath, BIN, 'ad', ...args, ...conn], { env: { TGTBRIDGE_LDAP_PASSWORD: l.adminPassword }, timeoutMs: 30_000 });
  }

  it('has a built CLI', () => {
    expect(existsSync(join(ROOT, 'dist', 'src', 'cli', 'commands', 'ad.js'))).toBe(true);
  });

  it('create-rodc makes the object and prints the N the DC picked', async () => {
    const t0 = performance.now();
    const r = await tgtbridge(lab(), ['create-rodc']);
    const ms = performance.now() - t0;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = /^RODC number N = (\d+)$/m.exec(r.stdout);
    expect(m).not.toBeNull();
    n = Number(m![1]);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThanOrEqual(0xffff);
    expect(r.stdout).toContain(`samba-tool domain exportkeytab krbtgt_${n}.keytab --principal=krbtgt_${n}`);
    expect(r.stdout).toContain(`tgtbridge keys import krbtgt_${n}.keytab --principal krbtgt_${n}`);
    process.stderr.write(`samba-ad: create-rodc picked N = ${n} in ${ms.toFixed(0)} ms (lab up in ${lab().bringUpMs.toFixed(0)} ms)\n`);
  });

  it('show --json reports the object as made, with no warnings', async () => {
    const r = await tgtbridge(lab(), ['show', '--json']);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout);
    const sid = lab().domainSid;
    expect(o.warnings).toEqual([]);
    expect(o.dn).toBe('CN=TGTBRIDGE,OU=Domain Controllers,DC=samba,DC=test');
    expect(o.userAccountControl).toBe(0x05001000);
    expect(o.supportedEncryptionTypes).toBe(24);
    expect(o.krbTgtLink).toBe(`CN=krbtgt_${n},CN=Users,DC=samba,DC=test`);
    expect(o.krbtgt).toMatchObject({ sAMAccountName: `krbtgt_${n}`, secondaryKrbTgtNumber: n, keyVersionNumber: 1, userAccountControl: 514 });
    expect(o.kvno).toBe(((n << 16) | 1) >>> 0);
    expect(o.revealOnDemand.map((g: { sid: string }) => g.sid)).toEqual([`${sid}-571`]);
    expect(o.revealOnDemand[0].name).toBe('Allowed RODC Password Replication Group');
    expect(o.neverReveal.map((g: { sid: string }) => g.sid).sort()).toEqual([`${sid}-572`, 'S-1-5-32-544', 'S-1-5-32-548', 'S-1-5-32-549', 'S-1-5-32-551'].sort());
  });

  it('create-rodc a second time changes nothing and says so', async () => {
    const r = await tgtbridge(lab(), ['create-rodc', '--json']);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(o.created).toBe(false);
    expect(o.rodcNumber).toBe(n);
    const count = await lab().exec(['ldbsearch', '-H', join(lab().dir, 'sam', 'private', 'sam.ldb'), '(sAMAccountName=krbtgt_*)', 'dn']);
    expect(count.stdout.match(/^dn: /gm)).toHaveLength(1);
  });

  it('samba-tool exports an AES256 key for krbtgt_N with kvno (N<<16)|1', async () => {
    const path = lab().keytabPath(`krbtgt_${n}`);
    await lab().exportKeytab(`krbtgt_${n}`, path);
    const kt = decodeKeytab(new Uint8Array(readFileSync(path)));
    const aes256 = kt.entries.filter((e) => e.key.keytype === ETYPE_AES256);
    expect(aes256).toHaveLength(1);
    expect(aes256[0]!.kvno).toBe(((n << 16) | 1) >>> 0);
    expect(aes256[0]!.principal.components).toEqual([`krbtgt_${n}`]);
    expect(aes256[0]!.key.keyvalue).toHaveLength(32);
  });

  it('show warns when msDS-KrbTgtLink is removed, and about an emptied reveal-on-demand set', async () => {
    const ldif = join(lab().dir, 'break.ldif');
    writeFileSync(
      ldif,
      [
        'dn: CN=TGTBRIDGE,OU=Domain Controllers,DC=samba,DC=test',
        'changetype: modify',
        'delete: msDS-KrbTgtLink',
        '-',
        'delete: msDS-RevealOnDemandGroup',
        '-',
        'replace: msDS-SupportedEncryptionTypes',
        'msDS-SupportedEncryptionTypes: 8',
        '',
      ].join('\n'),
    );
    const m = await lab().exec(['ldbmodify', '-H', join(lab().dir, 'sam', 'private', 'sam.ldb'), ldif]);
    expect(m.code, m.stderr).toBe(0);
    const r = await tgtbridge(lab(), ['show', '--json']);
    expect(r.code).toBe(1);
    const codes = JSON.parse(r.stdout).warnings.map((w: { code: string }) => w.code);
    expect(codes).toEqual(['NO_KRBTGT_LINK', 'REVEAL_ON_DEMAND_EMPTY', 'NO_AES256']);
    const text = await tgtbridge(lab(), ['show']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^ {2}NO_KRBTGT_LINK: /m);
  });

  it('a failure midway is rolled back: nothing of the half-made object stays', async () => {
    // A contact already holds the DN create-rodc gives the krbtgt account, so that add fails (68).
    const ldif = join(lab().dir, 'squat.ldif');
    writeFileSync(ldif, ['dn: CN=krbtgt_RB,CN=Users,DC=samba,DC=test', 'objectClass: contact', ''].join('\n'));
    const a = await lab().exec(['ldbadd', '-H', join(lab().dir, 'sam', 'private', 'sam.ldb'), ldif]);
    expect(a.code, a.stderr).toBe(0);
    const r = await tgtbridge(lab(), ['create-rodc', '--name', 'RB']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/result 68/);
    expect(r.stderr).toContain('rolled back: deleted CN=RB,OU=Domain Controllers,DC=samba,DC=test');
    const gone = await tgtbridge(lab(), ['show', '--name', 'RB', '--json']);
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.stdout).found).toBe(false);
  });

  it('show exits 1 for a name that does not exist; a wrong password is refused', async () => {
    const r = await tgtbridge(lab(), ['show', '--name', 'NOSUCH']);
    expect(r.code).toBe(1);
    const bad = await lab().exec([process.execPath, BIN, 'ad', 'show', '--ldap', 'ldaps://127.0.0.10', '--bind-dn', ADMIN_DN, '--insecure-tls'], {
      env: { TGTBRIDGE_LDAP_PASSWORD: 'wrong' },
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/result 49/);
  });
});
