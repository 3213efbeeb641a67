/**
 * The labs every interop test stands on: an MIT realm and a Samba AD DC come up in their own
 * network namespaces, issue tickets, and (Samba) serve an SMB share over Kerberos.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { expect, it } from 'vitest';
import { kinit, run, useMitRealm, useSambaDc } from '../support/lab.js';
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

  it.each([
    { proto: 'UDP', limit: 65535 },
    { proto: 'TCP', limit: 1 },
  ])('its KDC is reachable from the test worker through a forward ($proto)', async ({ proto, limit }) => {
    const lab = mit();
    const fwd = await lab.forwardKdc();
    expect(fwd.host).toBe('127.0.0.1');
    const conf = join(lab.dir, `krb5-forward-${proto}.conf`);
    writeFileSync(
      conf,
      `[libdefaults]\n\tdefault_realm = ${lab.realm}\n\tudp_preference_limit = ${limit}\n\tdns_lookup_kdc = false\n` +
        `[realms]\n\t${lab.realm} = {\n\t\tkdc = ${fwd.host}:${fwd.port}\n\t}\n`,
    );
    // kinit here, outside the namespace: only the forward leads to the KDC.
    const r = await run('kinit', ['-c', `FILE:${join(lab.dir, `cc.fwd-${proto}`)}`, 'alice'], {
      input: `${lab.password}\n`,
      env: { KRB5_CONFIG: conf },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    await fwd.close();
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

  it('answers LDAPS simple binds from the test worker through a forward', async () => {
    const lab = samba();
    const fwd = await lab.forward(636);
    // Samba's self-signed certificate: the lab is the only place that skips verification.
    const client = new Client({ url: `ldaps://${fwd.host}:${fwd.port}`, tlsOptions: { rejectUnauthorized: false } });
    try {
      await client.bind('Administrator@samba.test', lab.adminPassword);
      const { searchEntries } = await client.search('DC=samba,DC=test', {
        filter: '(sAMAccountName=alice)',
        attributes: ['memberOf', 'objectSid'],
      });
      expect(searchEntries).toHaveLength(1);
      const memberOf = ([] as unknown[]).concat(searchEntries[0]!['memberOf'] ?? []).map(String);
      expect(memberOf.some((dn) => dn.startsWith('CN=Engineering,'))).toBe(true);
      expect(memberOf.some((dn) => dn.startsWith('CN=Allowed RODC Password Replication Group,'))).toBe(true);
    } finally {
      await client.unbind();
    }
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
