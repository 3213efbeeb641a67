import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KDC_OPTIONS, NAME_TYPES, rodcKvno, ticketCodec } from '../../src/asn1/index.js';
import { ETYPE, randomKey } from '../../src/crypto/index.js';
import { parseFileDirectory } from '../../src/directory/index.js';
import { encodeCcache, encodeKeytab, type CcacheCredential } from '../../src/files/index.js';
import { createExchangeKdc, defaultExchangePolicy, MemoryReplayCache, requestTgs, sendToKdc, type Listening } from '../../src/kdc/index.js';
import { KeySet, mintPartialTgt } from '../../src/ticket/index.js';
import { systemClock, systemRandom } from '../../src/util/index.js';
import { describeWithPeers } from '../support/peers.js';

/**
 * MIT krb5 clients against the embedded exchange (issue 6): a full TGT our KDC issued (from an
 * exchanged partial TGT) in a ccache; MIT `kvno` gets a cifs ticket from our KDC over loopback
 * (proving MIT does not fall into FAST: we never advertise PA-FX-FAST), and offline `kvno -k`
 * accepts that ticket with the service keytab ("keytab entry valid").
 */
const REALM = 'DEMO.TEST';
const SID = 'S-1-5-21-3623811015-3361044348-30300820';
const SPN = 'cifs/fs1.demo.test';

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, ...env }, timeout: 15_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, out: `${stdout}${stderr}` });
    });
  });
}

function runWithStdin(file: string, args: string[], env: NodeJS.ProcessEnv, input: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env: { ...process.env, ...env }, timeout: 15_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, out: `${stdout}${stderr}` });
    });
    child.stdin?.end(input);
  });
}

describeWithPeers('MIT kvno against the embedded exchange KDC', ['kvno', 'klist', 'kinit'], () => {
  const dir = mkdtempSync(join(tmpdir(), 'tgtbridge-kdc-mit-'));
  const ccache = join(dir, 'ccache');
  const keytab = join(dir, 'cifs.keytab');
  const conf = join(dir, 'krb5.conf');
  let server: Listening;

  beforeAll(async () => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const rodcKey = randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96);
    const rodcNumber = 0x9abc;
    const krbtgt = { kvno: 2, key: randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96) };
    const cifs = [
      { kvno: 7, key: randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96) },
      { kvno: 7, key: randomKey(ETYPE.AES128_CTS_HMAC_SHA1_96) },
    ];
    const directory = parseFileDirectory(
      {
        domain: { sid: SID },
        groups: [{ name: 'Staff', rid: 1200 }, { name: 'Allowed RODC Password Replication Group', members: ['Staff'] }],
        users: [
          { sAMAccountName: 'alice', rid: 1104, groups: ['Staff'] },
          { sAMAccountName: 'FS1$', rid: 1109, spns: [SPN] },
        ],
      },
      'mit-interop',
      { realm: REALM, dnsDomain: 'demo.test', netbiosName: 'DEMO' },
    );
    const kdc = createExchangeKdc({
      realm: REALM,
      directory,
      rodcKeys: KeySet.of([{ realm: REALM, rodcNumber, keyVersion: 1, kvno: rodcKvno(rodcNumber, 1), key: rodcKey, created: now }]),
      krbtgtKeys: [krbtgt],
      serviceKeys: new Map([[SPN, cifs]]),
      policy: defaultExchangePolicy(SID),
      clock: systemClock,
      random: systemRandom,
      replayCache: new MemoryReplayCache(),
    });
    server = await kdc.listen({ port: 0 });
    writeFileSync(conf, `[libdefaults]\n  default_realm = ${REALM}\n  dns_lookup_kdc = false\n  rdns = false\n[realms]\n  ${REALM} = {\n    kdc = 127.0.0.1:${server.udpPort}\n  }\n`);
    writeFileSync(
      keytab,
      encodeKeytab({ entries: cifs.map((k) => ({ principal: { nameType: NAME_TYPES['NT-SRV-INST'], components: SPN.split('/'), realm: REALM }, timestamp: now, kvno: k.kvno, key: { keytype: k.key.etype, keyvalue: k.key.exportBytes() } })) }),
      { mode: 0o600 },
    );

    // The partial TGT as the bridge mints it, exchanged at our KDC by src/kdc's TGS client.
    const partial = mintPartialTgt({ user: { samAccountName: 'alice', sid: `${SID}-1104` }, realm: REALM, rodcKey: { key: rodcKey, rodcNumber, keyVersion: 1 }, clock: systemClock, random: systemRandom });
    const cname = { nameType: NAME_TYPES['NT-PRINCIPAL'], nameString: ['alice'] };
    const full = await requestTgs({
      tgt: { ticket: partial.ticket, sessionKey: partial.sessionKey, crealm: REALM, cname },
      sname: { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['krbtgt', REALM] },
      srealm: REALM,
      kdcOptions: KDC_OPTIONS.forwardable | KDC_OPTIONS.renewable | KDC_OPTIONS.canonicalize,
      till: new Date(Date.now() + 10 * 3600e3),
      rtime: new Date(Date.now() + 7 * 86400e3),
      clock: systemClock,
      random: systemRandom,
      send: (der) => sendToKdc([{ host: '127.0.0.1', port: server.udpPort }], der),
    });
    const client = { nameType: 1, components: ['alice'], realm: REALM };
    const cred: CcacheCredential = {
      client,
      server: { nameType: 2, components: ['krbtgt', REALM], realm: REALM },
      key: { keytype: full.sessionKey.etype, keyvalue: full.sessionKey.exportBytes() },
      authtime: full.encPart.authtime,
      starttime: full.encPart.starttime ?? full.encPart.authtime,
      endtime: full.encPart.endtime,
      renewTill: full.encPart.renewTill ?? new Date(0),
      isSkey: false,
      ticketFlags: full.encPart.flags,
      addresses: [],
      authdata: [],
      ticket: ticketCodec.encode(full.ticket),
      secondTicket: new Uint8Array(0),
      isConfigEntry: false,
    };
    writeFileSync(ccache, encodeCcache({ headerTags: [], defaultPrincipal: client, credentials: [cred] }), { mode: 0o600 });
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('MIT klist reads the full TGT our KDC issued', async () => {
    const r = await run('klist', ['-e', '-f', '-c', `FILE:${ccache}`], { KRB5_CONFIG: conf });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`krbtgt/${REALM}@${REALM}`);
  });

  it('MIT kinit -R renews the full TGT at our KDC (RENEW within renew-till)', async () => {
    const r = await run('kinit', ['-R', '-c', `FILE:${ccache}`], { KRB5_CONFIG: conf });
    expect(r.code, r.out).toBe(0);
    const l = await run('klist', ['-f', '-c', `FILE:${ccache}`], { KRB5_CONFIG: conf });
    // kinit -R asks RENEW with the ticket's flags as options, so the renewed TGT stays renewable and forwardable.
    expect(l.out).toMatch(/Flags: [A-Za-z]*R/);
    expect(l.out).toMatch(/Flags: [A-Za-z]*F/);
  });

  it('MIT kinit (AS-REQ) is refused with KDC_ERR_POLICY: this KDC holds no passwords', async () => {
    const r = await runWithStdin('kinit', ['-c', `FILE:${join(dir, 'as-ccache')}`, 'alice'], { KRB5_CONFIG: conf }, 'password\n');
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/KDC policy rejects request/);
  });

  it('MIT kvno obtains the cifs ticket from our KDC (no FAST), then offline kvno -k accepts it', async () => {
    const online = await run('kvno', ['-c', `FILE:${ccache}`, `${SPN}@${REALM}`], { KRB5_CONFIG: conf, KRB5_TRACE: '/dev/stderr' });
    expect(online.code, online.out).toBe(0);
    expect(online.out).toMatch(/kvno = 7/);
    expect(online.out).not.toMatch(/FAST armor|fast_avail/i);
    await server.close();
    // Offline: the KDC is gone; kvno finds the ticket in the ccache and decrypts it with the keytab.
    const offline = await run('kvno', ['-c', `FILE:${ccache}`, '-k', keytab, `${SPN}@${REALM}`], { KRB5_CONFIG: conf });
    expect(offline.code, offline.out).toBe(0);
    expect(offline.out).toContain('keytab entry valid');
  }, 30_000);
});
