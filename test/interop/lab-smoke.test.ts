/**
 * The labs every interop test stands on: an MIT realm and a Samba AD DC come up in their own
 * network namespaces, issue tickets, and (Samba) serve an SMB share over Kerberos.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { kinit, useMitRealm, useSambaDc } from '../support/lab.js';
import { describeWithPeers } from '../support/peers.js';

describeWithPeers('MIT krb5 lab realm', ['root', 'ip', 'krb5kdc', 'kdb5_util', 'kadmin.local', 'kinit', 'klist'], () => {
  const mit = useMitRealm();

  it('issues alice a TGT that klist shows', async () => {
    const lab = mit();
    process.stdout.write(`MIT realm bring-up: ${lab.bringUpMs.toFixed(0)} ms\n`);
    expect(lab.realm).toBe('MIT.TEST');
    const cc = join(lab.dir, 'cc.alice');
    await kinit(lab, 'alice', cc);
    const klist = await lab.exec(['klist', '-e', '-f', '-c', `FILE:${cc}`]);
    expect(klist.code).toBe(0);
    expect(klist.stdout).toContain('Default principal: alice@MIT.TEST');
    expect(klist.stdout).toMatch(/krbtgt\/MIT\.TEST@MIT\.TEST\n\s+renew until .*Flags: FRI/);
    expect(klist.stdout).toContain('Etype (skey, tkt): aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96');
  });

  it('refuses a wrong password', async () => {
    const lab = mit();
    const r = await lab.exec(['kinit', '-c', `FILE:${join(lab.dir, 'cc.wrong')}`, 'alice'], { input: 'not-the-password\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Password incorrect/);
  });

  it('gives each single-etype service a ticket in its own etype', async () => {
    const lab = mit();
    const cc = join(lab.dir, 'cc.etypes');
    await kinit(lab, 'alice', cc);
    const spns = [17, 18, 19, 20].map((e) => `host/svc${e}.mit.test`);
    const kvno = await lab.exec(['kvno', '-c', `FILE:${cc}`, ...spns]);
    expect(kvno.code).toBe(0);
    const klist = await lab.exec(['klist', '-e', '-f', '-c', `FILE:${cc}`]);
    const tktEtype = (spn: string): string | undefined =>
      new RegExp(`${spn.replace(/[./]/g, '\\$&')}@MIT\\.TEST\\n[^\\n]*\\n\\s+Etype \\(skey, tkt\\): [^,]+, (\\S+)`).exec(klist.stdout)?.[1];
    expect(spns.map(tktEtype)).toEqual([
      'aes128-cts-hmac-sha1-96',
      'aes256-cts-hmac-sha1-96',
      'aes128-cts-hmac-sha256-128',
      'aes256-cts-hmac-sha384-192',
    ]);
  });

  it('cannot reach its KDC from an empty namespace', async () => {
    const lab = mit();
    const r = await lab.execOffline(['kinit', '-c', `FILE:${join(lab.dir, 'cc.offline')}`, 'alice'], { input: `${lab.password}\n` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Cannot contact any KDC/);
  });
});

describeWithPeers('Samba AD DC lab', ['root', 'ip', 'unshare', 'samba', 'samba-tool', 'kinit', 'smbclient'], () => {
  const samba = useSambaDc();

  it('issues alice@SAMBA.TEST a TGT', async () => {
    const lab = samba();
    process.stdout.write(`Samba AD DC bring-up: ${lab.bringUpMs.toFixed(0)} ms\n`);
    expect(lab.domainSid).toMatch(/^S-1-5-21-\d+-\d+-\d+$/);
    const cc = join(lab.dir, 'cc.alice');
    await kinit(lab, 'alice@SAMBA.TEST', cc);
    const klist = await lab.exec(['klist', '-c', `FILE:${cc}`]);
    expect(klist.stdout).toContain('krbtgt/SAMBA.TEST@SAMBA.TEST');
  });

  it('lists the [data] share to smbclient with Kerberos only', async () => {
    const lab = samba();
    const cc = join(lab.dir, 'cc.alice-smb');
    await kinit(lab, 'alice@SAMBA.TEST', cc);
    const r = await lab.exec(
      ['smbclient', '-s', lab.clientSmbConf, '//dc1.samba.test/data', '-I', lab.kdcHost, '--use-kerberos=required', '-N', '-c', 'ls'],
      { env: { KRB5CCNAME: `FILE:${cc}` } },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+hello\.txt\s+N\s+20\s/m);
  });

  it('refuses the disabled user carol', async () => {
    const lab = samba();
    const r = await lab.exec(['kinit', '-c', `FILE:${join(lab.dir, 'cc.carol')}`, 'carol'], { input: `${lab.password}\n` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/revoked/);
  });

  it('exports the domain krbtgt key', async () => {
    const lab = samba();
    const kt = join(lab.dir, 'krbtgt.keytab');
    await lab.exportKeytab('krbtgt', kt);
    const r = await lab.exec(['klist', '-k', '-e', kt]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/krbtgt@SAMBA\.TEST \(aes256-cts-hmac-sha1-96\)/);
  });
});
