import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { rodcKvno } from '../../src/asn1/index.js';
import { ETYPE, randomKey } from '../../src/crypto/index.js';
import { TgtbridgeError } from '../../src/errors/index.js';
import { parseFileDirectory } from '../../src/directory/index.js';
import { defaultProbePolicy, EXCHANGE_SUITE, probeUsersFromDirectory, runSuite, type ProbeResult } from '../../src/harness/index.js';
import { createExchangeKdc, defaultExchangePolicy, MemoryReplayCache } from '../../src/kdc/index.js';
import { KeySet, type KeytabEntryLike } from '../../src/ticket/index.js';
import { systemClock, systemRandom } from '../../src/util/index.js';

/**
 * The whole scenario suite against the embedded exchange in process, with the demo directory
 * (config/directory.yaml, plus a user in each account state it lacks): every scenario it can run passes. The differential against Samba
 * (test/interop/probe-differential.test.ts) shows that these outcomes are Samba's; this test keeps
 * the embedded side honest on machines without the Samba lab, in a second.
 */
describe('the probe suite against the embedded exchange (demo directory)', () => {
  it('passes every scenario that has its user; only the RODC-object setups are skipped', async () => {
    const realm = 'DEMO.TEST';
    const domainSid = 'S-1-5-21-3623811015-3361044348-30300820';
    // The demo directory, with the account states it has no user in (allowed by group, so the state is
    // what refuses them), and an account expiring in 2 h, inside the suite's 10 h TGT.
    const doc = parse(readFileSync(join(import.meta.dirname, '..', '..', 'config', 'directory.yaml'), 'utf8')) as { users: object[] };
    doc.users.push(
      { sAMAccountName: 'mona', rid: 1301, groups: ['Staff'], mustChangePassword: true },
      { sAMAccountName: 'xena', rid: 1302, groups: ['Staff'], accountExpires: '2020-01-01T00:00:00Z' },
      { sAMAccountName: 'lars', rid: 1303, groups: ['Staff'], lockedOut: true },
      { sAMAccountName: 'ivy', rid: 1304, groups: ['Staff'], accountExpires: new Date(Date.now() + 2 * 3600_000).toISOString() },
    );
    const directory = parseFileDirectory(doc, 'demo directory + 4', { realm, dnsDomain: 'demo.test', netbiosName: 'DEMO' });
    const rodcNumber = 0xa11c;
    const entry = (etype: number): KeytabEntryLike => {
      const key = randomKey(etype);
      return { principal: { nameType: 1, components: [`krbtgt_${rodcNumber}`], realm }, timestamp: new Date(), kvno: rodcKvno(rodcNumber, 1), key: { keytype: key.etype, keyvalue: key.exportBytes() } };
    };
    const rodcKeys = [entry(ETYPE.AES256_CTS_HMAC_SHA1_96), entry(ETYPE.AES128_CTS_HMAC_SHA1_96)];
    const krbtgt = { kvno: 2, key: randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96) };
    const cifs = { kvno: 3, key: randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96) };
    const kdc = createExchangeKdc({
      realm,
      directory,
      rodcKeys: KeySet.fromKeytab(rodcKeys, `krbtgt_${rodcNumber}`).set,
      krbtgtKeys: [krbtgt],
      serviceKeys: new Map([['cifs/fs1.demo.test', [cifs]]]),
      policy: defaultExchangePolicy(domainSid),
      clock: systemClock,
      random: systemRandom,
      replayCache: new MemoryReplayCache(),
    });
    const users = await probeUsersFromDirectory(directory, defaultProbePolicy(domainSid), new Date());
    const asKeytab = (v: { kvno: number; key: ReturnType<typeof randomKey> }, name: string[]): KeytabEntryLike => ({ principal: { nameType: 2, components: name, realm }, timestamp: new Date(), kvno: v.kvno, key: { keytype: v.key.etype, keyvalue: v.key.exportBytes() } });
    const results: readonly ProbeResult[] = await runSuite({
      realm,
      rodcKeys,
      krbtgtKeys: [asKeytab(krbtgt, ['krbtgt', realm])],
      serviceKeys: [asKeytab(cifs, ['cifs', 'fs1.demo.test'])],
      users,
      cifsSpn: 'cifs/fs1.demo.test',
      cifsAccount: 'FS1$',
      send: async (der) => {
        const reply = await kdc.handle(der, { transport: 'direct', address: '127.0.0.1' });
        // Dropped: silence, as sendToKdc reports a KDC that does not answer.
        if (reply === undefined) throw new TgtbridgeError('ERR_TRANSPORT', 'the embedded exchange dropped the request');
        return reply;
      },
    });
    expect(results.filter((r) => r.status === 'fail').map((r) => `${r.scenario} · ${r.target}: expected ${r.expected}, got ${r.got} ${r.detail ?? ''}`)).toEqual([]);
    const skipped = new Set(results.filter((r) => r.status === 'skip').map((r) => r.scenario));
    expect([...skipped].filter((s) => !s.startsWith('RODC object'))).toEqual([]);
    const rows = EXCHANGE_SUITE.reduce((n, s) => n + (s.targets?.length ?? 2), 0);
    expect(results.filter((r) => r.status === 'pass').length).toBe(rows - results.filter((r) => r.status === 'skip').length);
  }, 30_000);
});
