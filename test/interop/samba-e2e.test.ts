/**
 * The mission's core path, for real: a Samba AD DC (scripts/lab/samba-dc.sh) with the RODC-style
 * object `tgtbridge ad create-rodc` makes, its krbtgt_N key exported and imported, a bridge
 * (`tgtbridge serve`) whose directory was generated from the DC, Chromium with a virtual
 * authenticator signing in through `tgtbridge login`, the exchange at Samba, the full TGT opened
 * with the domain krbtgt key, smbclient listing a share with the ccache. Then the refusals, each
 * with Samba's KRB-ERROR code and our explanation, at the bridge where it refuses early and at
 * Samba with `tgtbridge mint --skip-policy` + `tgtbridge exchange`.
 * docs/samba-walkthrough.md is the same sequence for a person. Needs the built CLI.
 */
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ticketCodec } from '../../src/asn1/index.js';
import { loadFileDirectory, type Directory } from '../../src/directory/index.js';
import { decodeCcache, decodeKeytab, filePrincipalText } from '../../src/files/index.js';
import { run, useSambaDc, type SambaDc } from '../support/lab.js';
import { describeWithPeers } from '../support/peers.js';
import { openTgt, openTicketIn, relabelledRodcKeytab, setUpBridge, startLogin, startServe, tgtbridge, type BridgeSetup, type RunningBridge } from '../support/samba-e2e.js';
import { launchChromium, openSession, type BrowserSession } from './browser-harness.js';

const REALM = 'SAMBA.TEST';
const SAMBA_DIRECTORY = join(import.meta.dirname, '..', '..', 'scripts', 'lab', 'samba-directory.py');
const S_1_18_1 = 'S-1-18-1'; // MS-DTYP 2.4.2.4: AUTHENTICATION_AUTHORITY_ASSERTED_IDENTITY
const timings: Record<string, number> = {};

async function timed<T>(what: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    timings[what] = Math.round(performance.now() - t0);
  }
}

/** objectSid of an account or group as the DC's own ldbsearch prints it (independent of our code). */
async function dcSid(lab: SambaDc, sam: string): Promise<string> {
  const r = await lab.exec(['ldbsearch', '-H', join(lab.dir, 'sam', 'private', 'sam.ldb'), `(sAMAccountName=${sam})`, 'objectSid']);
  const m = /^objectSid: (S-1-5-21-[\d-]+)$/m.exec(r.stdout);
  if (m === null) throw new Error(`no objectSid for ${sam}: ${r.stderr}`);
  return m[1]!;
}

/** The KRB-ERROR a refused `tgtbridge exchange`/`login` printed: name and number. */
function krbErrorIn(stderr: string): { name: string; code: number } | undefined {
  const m = /the KDC refused: ([A-Z_]+) \((\d+)\)/.exec(stderr);
  return m === null ? undefined : { name: m[1]!, code: Number(m[2]) };
}

describeWithPeers('end to end against Samba AD DC: passkey → partial TGT → full TGT → SMB share', ['root', 'samba', 'samba-tool', 'smbclient', 'klist', 'ldbsearch', 'chromium'], () => {
  const samba = useSambaDc();
  let b: BridgeSetup;
  let serve: RunningBridge;
  let browser: Browser;
  let directory: Directory;
  const sessions: BrowserSession[] = [];
  const env = () => ({ KRB5_CONFIG: b.krb5Conf });

  beforeAll(async () => {
    timings['lab up (samba-dc.sh)'] = Math.round(samba().bringUpMs);
    b = await timed('bridge set up (create-rodc, exportkeytab ×3, samba-directory.py, keys import)', () => setUpBridge(samba()));
    directory = loadFileDirectory(join(b.dir, 'directory.yaml'), { realm: REALM, dnsDomain: 'samba.test', netbiosName: 'SAMBA' });
    serve = await timed('tgtbridge serve start', () => startServe(b));
    browser = await timed('chromium launch', () => launchChromium());
  });

  afterAll(async () => {
    for (const s of sessions) await s.close().catch(() => undefined);
    await browser?.close();
    await serve?.stop();
    process.stderr.write(`samba-e2e timings (ms): ${JSON.stringify(timings)}\n`);
  });

  /** TAP from `tgtbridge tap issue`, redeemed in a fresh browser context with its own authenticator; cookies cleared after, so the login needs the passkey. */
  async function registerPasskey(user: string): Promise<BrowserSession> {
    const tap = await tgtbridge(['tap', 'issue', user, '--config', b.config, '--data', b.data]);
    expect(tap.code, tap.stderr).toBe(0);
    const code = /^ {4}(\S+)$/m.exec(tap.stdout)?.[1];
    expect(code).toBeDefined();
    const s = await openSession(browser);
    sessions.push(s);
    await s.page.goto(`${b.origin}/tap`);
    await s.page.getByLabel('Account name').fill(user);
    await s.page.getByLabel('Temporary access pass').fill(code!);
    await s.page.getByRole('button', { name: 'Continue' }).click();
    await s.page.getByLabel(/Name for the new passkey/).fill(`${user}'s virtual key`);
    await s.page.getByRole('button', { name: 'Create a passkey' }).click();
    await s.page.waitForURL('**/security', { timeout: 15_000 });
    await s.page.context().clearCookies();
    return s;
  }

  /** `tgtbridge login <user>`; the browser opens the printed address and signs in with the passkey. */
  async function loginInBrowser(s: BrowserSession, user: string, ccache: string) {
    const login = await startLogin([user, '--bridge', b.origin, '--ccache', ccache, '--timeout', '60'], env());
    await s.page.goto(login.url);
    await s.page.getByLabel(/Account name/).fill(user);
    await s.page.getByLabel(/Account name/).press('Enter');
    // The bridge sends the browser back to the agent's loopback listener, with a code or an error.
    await s.page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback/, { timeout: 15_000 });
    return login.done;
  }

  it('the bridge is set up from the DC: krbtgt_N imported, the directory holds the DC\'s accounts and SIDs', async () => {
    const lab = samba();
    const kt = decodeKeytab(readFileSync(b.rodcKeytab)).entries.filter((e) => e.key.keytype === 18);
    expect(kt.map((e) => e.kvno)).toEqual([((b.rodcNumber << 16) | 1) >>> 0]);
    const keys = await tgtbridge(['keys', 'list', '--json', '--config', b.config, '--data', b.data]);
    expect(keys.code, keys.stderr).toBe(0);
    expect(keys.stdout).toContain(`krbtgt_${b.rodcNumber}`);
    expect(directory.domain.sid).toBe(lab.domainSid);
    for (const sam of ['alice', 'bob', 'carol', 'dave', 'erin', 'Engineering', 'Staff']) {
      const sid = await dcSid(lab, sam);
      const found = (await directory.findUser(sam))?.objectSid ?? (await directory.findGroup(sam))?.objectSid;
      expect(found, sam).toBe(sid);
    }
    expect((await directory.findUser('carol'))!.enabled).toBe(false);
    const daveGroups = await directory.groupSidsOf((await directory.findUser('dave'))!);
    expect(daveGroups).toContain(`${lab.domainSid}-512`);
    expect(daveGroups).toContain(`${lab.domainSid}-572`);
    const aliceGroups = await directory.groupSidsOf((await directory.findUser('alice'))!);
    expect(aliceGroups).toEqual(expect.arrayContaining([await dcSid(lab, 'Engineering'), await dcSid(lab, 'Staff'), `${lab.domainSid}-571`]));

    // The same file over the network (SASL-signed LDAP as Administrator), as docs/samba-walkthrough.md shows.
    const overLdap = await lab.exec(['/usr/bin/python3', SAMBA_DIRECTORY, '-s', lab.clientSmbConf, '-H', `ldap://${lab.kdcHost}`, '-U', `Administrator%${lab.adminPassword}`]);
    expect(overLdap.code, overLdap.stderr).toBe(0);
    const body = (t: string) => t.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    expect(body(overLdap.stdout)).toBe(body(readFileSync(join(b.dir, 'directory.yaml'), 'utf8')));
  });

  it('alice: passkey sign-in through tgtbridge login, exchange at Samba, a full TGT whose PAC holds her real groups', async () => {
    const lab = samba();
    const s = await timed('alice passkey registration (TAP)', () => registerPasskey('alice'));
    const cc = join(b.dir, 'cc.alice');
    const r = await timed('tgtbridge login alice (browser sign-in + exchange at Samba)', () => loginInBrowser(s, 'alice', cc));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^signed in as alice@SAMBA\.TEST; partial TGT written to /m);
    // What the bridge delivered: a partial TGT under krbtgt_N version 1; then what Samba returned.
    expect(r.stdout).toContain(`  service: krbtgt/SAMBA.TEST@SAMBA.TEST  kvno ${((b.rodcNumber << 16) | 1) >>> 0} (RODC ${b.rodcNumber})`);
    expect(r.stdout).toContain(`exchanged the partial TGT (RODC ${b.rodcNumber}) for a TGT of ${REALM}`);
    expect(statSync(cc).mode & 0o777).toBe(0o600);

    const klist = await run('klist', ['-c', `FILE:${cc}`]);
    expect(klist.code, klist.stderr).toBe(0);
    expect(klist.stdout).toContain('Default principal: alice@SAMBA.TEST');
    expect(klist.stdout).toMatch(/\skrbtgt\/SAMBA\.TEST@SAMBA\.TEST\n/);

    // Opened with the domain krbtgt key (not krbtgt_N): the DC issued it; the PAC is the DC's.
    const domainKvnos = decodeKeytab(readFileSync(b.krbtgtKeytab)).entries.map((e) => e.kvno);
    const tgt = openTgt(cc, b.krbtgtKeytab);
    expect(domainKvnos).toContain(tgt.ticket.encPart.kvno);
    expect(tgt.ticket.encPart.kvno! >>> 16).toBe(0);
    expect(tgt.encTicketPart.cname.nameString).toEqual(['alice']);
    const li = tgt.pac.logonInfo!;
    expect(li.userSid).toBe(await dcSid(lab, 'alice'));
    const groups = li.groupSids.map((g) => g.sid);
    expect(groups).toEqual(expect.arrayContaining([await dcSid(lab, 'Engineering'), await dcSid(lab, 'Staff'), `${lab.domainSid}-513`]));
    expect(groups).not.toContain(`${lab.domainSid}-512`);
    expect(li.extraSids.map((x) => x.sid)).toContain(S_1_18_1);
    expect(tgt.pac.clientInfo?.name).toBe('alice');
    expect(tgt.pac.upnDnsInfo?.upn).toBe('alice@samba.test');
    const sigs = Object.fromEntries(tgt.pac.signatures.map((x) => [x.type, x.verified]));
    expect(sigs).toMatchObject({ SERVER_CHECKSUM: true, PRIVSVR_CHECKSUM: true });
    expect(tgt.pac.signatures.every((x) => x.rodcId === null)).toBe(true);
    copyFileSync(cc, join(b.dir, 'cc.alice.tgt-only'));
  });

  it('smbclient --use-kerberos=required lists the share with that TGT; tgtbridge kvno adds cifs/dc1.samba.test', async () => {
    const lab = samba();
    const tgtOnly = join(b.dir, 'cc.alice.tgt-only');
    expect(existsSync(tgtOnly)).toBe(true);
    // smbclient asks Samba for the cifs ticket itself, with the TGT the exchange gave.
    const smb = await timed('smbclient ls (TGS for cifs + SMB session)', () =>
      lab.exec(['smbclient', '-s', lab.clientSmbConf, '//dc1.samba.test/data', '-I', lab.kdcHost, '--use-kerberos=required', '-N', '-c', 'ls'], {
        env: { KRB5CCNAME: `FILE:${tgtOnly}` },
      }),
    );
    expect(smb.code, smb.stdout + smb.stderr).toBe(0);
    expect(smb.stdout).toMatch(/^\s+hello\.txt\s+N\s+\d+/m);

    const cc = join(b.dir, 'cc.alice');
    const kvno = await timed('tgtbridge kvno cifs/dc1.samba.test', () => tgtbridge(['kvno', 'cifs/dc1.samba.test', '--ccache', cc], env()));
    expect(kvno.code, kvno.stderr).toBe(0);
    const servers = decodeCcache(readFileSync(cc)).credentials.filter((c) => !c.isConfigEntry).map((c) => filePrincipalText(c.server));
    expect(servers).toEqual(expect.arrayContaining(['krbtgt/SAMBA.TEST@SAMBA.TEST', 'cifs/dc1.samba.test@SAMBA.TEST']));
    // The service ticket opens with DC1$'s key and carries alice's groups from the DC.
    const svc = openTicketIn(cc, 'cifs/dc1.samba.test@SAMBA.TEST', b.cifsKeytab);
    expect(svc.encTicketPart.cname.nameString).toEqual(['alice']);
    expect(svc.pac.logonInfo!.userSid).toBe(await dcSid(lab, 'alice'));
    expect(svc.pac.logonInfo!.groupSids.map((g) => g.sid)).toEqual(expect.arrayContaining([await dcSid(lab, 'Engineering'), await dcSid(lab, 'Staff')]));
    expect(svc.pac.signatures.find((x) => x.type === 'SERVER_CHECKSUM')?.verified).toBe(true);
    // The service ticket we fetched is the one smbclient uses: it needs no TGS of its own.
    const get = await lab.exec(['smbclient', '-s', lab.clientSmbConf, '//dc1.samba.test/data', '-I', lab.kdcHost, '--use-kerberos=required', '-N', '-c', 'get hello.txt -'], {
      env: { KRB5CCNAME: `FILE:${cc}` },
    });
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toContain('tgtbridge lab share');
  });

  it('erin (not in Allowed RODC Password Replication Group): the bridge mints, Samba refuses with 20, login explains it', async () => {
    const s = await registerPasskey('erin');
    const cc = join(b.dir, 'cc.erin');
    const r = await loginInBrowser(s, 'erin', cc);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^signed in as erin@SAMBA\.TEST/m);
    expect(krbErrorIn(r.stderr)).toEqual({ name: 'KDC_ERR_TGT_REVOKED', code: 20 });
    expect(r.stderr).toMatch(/Allowed RODC Password Replication Group/);
    // The refused exchange leaves the partial TGT (kvno with the RODC number) where it was.
    const kept = decodeCcache(readFileSync(cc)).credentials.filter((c) => !c.isConfigEntry);
    expect(kept.map((c) => (ticketCodec.decode(c.ticket).encPart.kvno ?? 0) >>> 16)).toEqual([b.rodcNumber]);

    // A bridge told to mirror the reveal-on-demand set (minting.allowedGroups) refuses erin itself.
    const strict = join(b.dir, 'strict.yaml');
    writeFileSync(strict, readFileSync(b.config, 'utf8').replace('minting:\n', 'minting:\n  allowedGroups: [Allowed RODC Password Replication Group]\n'));
    const early = await tgtbridge(['mint', '--user', 'erin', '--config', strict, '--data', b.data, '--out', join(b.dir, 'cc.erin.strict')]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/refused \(KDC_ERR_TGT_REVOKED, NOT_ALLOWED_GROUP\)/);
    const alice = await tgtbridge(['mint', '--user', 'alice', '--config', strict, '--data', b.data, '--out', join(b.dir, 'cc.alice.strict')]);
    expect(alice.code, alice.stderr).toBe(0);
  });

  it('dave (Domain Admin): the bridge refuses at sign-in; Samba refuses the same partial TGT with 20', async () => {
    const s = await registerPasskey('dave');
    const cc = join(b.dir, 'cc.dave');
    const r = await loginInBrowser(s, 'dave', cc);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the bridge refused \(access_denied\)/);
    expect(r.stderr).toContain(`${samba().domainSid}-572`); // Denied RODC Password Replication Group
    expect(existsSync(cc)).toBe(false);

    const early = await tgtbridge(['mint', '--user', 'dave', '--config', b.config, '--data', b.data, '--out', cc]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/refused \(KDC_ERR_TGT_REVOKED, DENIED_GROUP\)/);
    const minted = await tgtbridge(['mint', '--user', 'dave', '--skip-policy', '--config', b.config, '--data', b.data, '--out', cc]);
    expect(minted.code, minted.stderr).toBe(0);
    const x = await tgtbridge(['exchange', '--ccache', cc], env());
    expect(x.code).toBe(1);
    expect(krbErrorIn(x.stderr)).toEqual({ name: 'KDC_ERR_TGT_REVOKED', code: 20 });
    expect(x.stderr).toMatch(/Denied RODC Password Replication Group|privileged accounts are denied/);
  });

  it('carol (disabled): no TAP, no mint at the bridge; Samba refuses the partial TGT with 12', async () => {
    const tap = await tgtbridge(['tap', 'issue', 'carol', '--config', b.config, '--data', b.data]);
    expect(tap.code).toBe(1);
    const cc = join(b.dir, 'cc.carol');
    const early = await tgtbridge(['mint', '--user', 'carol', '--config', b.config, '--data', b.data, '--out', cc]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/refused \(KDC_ERR_POLICY, ACCOUNT_DISABLED\)/);
    const minted = await tgtbridge(['mint', '--user', 'carol', '--skip-policy', '--config', b.config, '--data', b.data, '--out', cc]);
    expect(minted.code, minted.stderr).toBe(0);
    const x = await tgtbridge(['exchange', '--ccache', cc], env());
    expect(x.code).toBe(1);
    expect(krbErrorIn(x.stderr)).toEqual({ name: 'KDC_ERR_POLICY', code: 12 });
    expect(x.stderr).toMatch(/disabled/);
  });

  it('an RODC number the DC does not know: 35; a key version it never had: 44', async () => {
    const cases = [
      { name: 'unknown-rodc', rodc: (b.rodcNumber % 0xffff) + 1, version: 1, want: { name: 'KRB_AP_ERR_NOT_US', code: 35 }, says: /RODC number/ },
      { name: 'wrong-version', rodc: b.rodcNumber, version: 2, want: { name: 'KRB_AP_ERR_BADKEYVER', code: 44 }, says: /key version/ },
    ];
    for (const c of cases) {
      const keytab = join(b.dir, `${c.name}.keytab`);
      relabelledRodcKeytab(b.rodcKeytab, keytab, c.rodc, c.version);
      const cc = join(b.dir, `cc.${c.name}`);
      const minted = await tgtbridge(['mint', '--user', 'alice', '--keys', keytab, '--config', b.config, '--data', b.data, '--out', cc]);
      expect(minted.code, minted.stderr).toBe(0);
      expect(minted.stdout).toContain(`= krbtgt_${c.rodc} (RODC ${c.rodc}) key version ${c.version}`);
      const x = await tgtbridge(['exchange', '--ccache', cc], env());
      expect(x.code, c.name).toBe(1);
      expect(krbErrorIn(x.stderr), c.name).toEqual(c.want);
      expect(x.stderr, c.name).toMatch(c.says);
    }
  });
});
