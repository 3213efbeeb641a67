import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceMinter, KeySetFile, demoPage, runDemo, type DemoOptions, type DemoRun } from '../../../src/bridge/index.js';
import { loadConfig, type Config } from '../../../src/config/index.js';
import { loadFileDirectory, type Directory } from '../../../src/directory/index.js';
import { keySetPath, loadEmbeddedKeys, startEmbeddedKdc, type EmbeddedKdc } from '../../../src/kdc/index.js';
import { parseMintingSettings } from '../../../src/ticket/index.js';
import { systemClock, systemRandom } from '../../../src/util/index.js';

const CONFIG = join(import.meta.dirname, '..', '..', '..', 'config', 'tgtbridge.yaml');
const DOMAIN = 'S-1-5-21-3623811015-3361044348-30300820';

/**
 * runDemo against the embedded KDC as `tgtbridge serve` starts it (demo config, keys generated
 * into a fresh data directory, a free loopback port), over real UDP.
 */
describe('demo: mint → exchange → service ticket against the embedded KDC', () => {
  let config: Config;
  let directory: Directory;
  let kdc: EmbeddedKdc;
  let options: DemoOptions;
  let alice: DemoRun;
  let signedInAt: Date;

  beforeAll(async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'tgtb-demo-')), 'data');
    config = loadConfig(CONFIG);
    directory = loadFileDirectory(config.directory.path, { realm: config.realm, dnsDomain: config.dnsDomain, netbiosName: config.netbiosDomain });
    kdc = await startEmbeddedKdc({ config, dataDir, directory, port: 0 });
    const minting = parseMintingSettings(config.minting, dataDir);
    const setPath = keySetPath(dataDir, minting.keysDir);
    const keys = new KeySetFile(setPath);
    options = {
      realm: 'DEMO.TEST', directory,
      minterAt: (at) => DeviceMinter.create({ config, directory, settings: minting, keys, clock: { now: () => at }, random: systemRandom }), service: 'cifs/fs1.demo.test', clock: systemClock, random: systemRandom,
      kdc: { host: kdc.listening.host, port: kdc.listening.udpPort },
      keys: () => loadEmbeddedKeys({ dataDir, keySetFile: setPath }, 'DEMO.TEST'),
    };
    signedInAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    alice = await runDemo(options, (await directory.findUser('alice'))!, signedInAt);
  });
  afterAll(async () => {
    await kdc?.listening.close();
  });

  it('runs all three steps for alice', () => {
    expect(alice.failure).toBeUndefined();
    expect(alice.partial?.sname).toBe('krbtgt/DEMO.TEST@DEMO.TEST');
    expect(alice.full?.sname).toBe('krbtgt/DEMO.TEST@DEMO.TEST');
    expect(alice.service?.sname).toBe('cifs/fs1.demo.test@DEMO.TEST');
    for (const t of [alice.partial!, alice.full!, alice.service!]) expect(t.cname).toBe('alice@DEMO.TEST');
  });

  it('partial TGT: krbtgt_N key, identity only, RODC-numbered signatures that verify', () => {
    const p = alice.partial!;
    expect(p.rodcNumber).toBe(kdc.rodcNumber);
    expect(p.keyVersion).toBe(1);
    expect(p.kvno).toBe(((kdc.rodcNumber << 16) | 1) >>> 0);
    expect(p.etype).toBe('aes256-cts-hmac-sha1-96');
    // Minted for the sign-in: its time, not the page view's, in authtime and CLIENT_INFO.
    expect(p.authtime).toEqual(signedInAt);
    expect(p.pac!.clientInfo?.clientId).toBe(signedInAt.toISOString().replace('.000Z', 'Z'));
    const pac = p.pac!;
    expect(pac.logonInfo?.userSid).toBe(`${DOMAIN}-1104`);
    // Only the primary group (Domain Users): the DC rebuilds groups at the exchange.
    expect(pac.logonInfo?.groupSids.map((g) => g.sid)).toEqual([`${DOMAIN}-513`]);
    expect(pac.logonInfo?.extraSids).toEqual([]);
    expect(pac.clientInfo?.name).toBe('alice');
    expect(pac.requestorSid).toBe(`${DOMAIN}-1104`);
    expect(pac.signatures.map((s) => [s.type, s.verified])).toEqual([['SERVER_CHECKSUM', true], ['PRIVSVR_CHECKSUM', true]]);
    expect(pac.signatures.find((s) => s.type === 'PRIVSVR_CHECKSUM')?.rodcId).toBe(kdc.rodcNumber);
  });

  it("full TGT: the realm's krbtgt key, groups from the directory, S-1-18-1, UPN_DNS_INFO", () => {
    const f = alice.full!;
    expect(f.rodcNumber).toBe(0);
    const groups = f.pac!.logonInfo!.groupSids.map((g) => alice.sidNames.get(g.sid));
    expect(groups).toEqual(expect.arrayContaining(['Domain Users', 'Engineering', 'Staff', 'Allowed RODC Password Replication Group']));
    expect(f.pac!.logonInfo!.extraSids.map((s) => s.sid)).toContain('S-1-18-1');
    expect(f.pac!.upnDnsInfo?.upn).toBe('alice@demo.test');
    expect(f.pac!.signatures.every((s) => s.verified === true)).toBe(true);
    expect(f.pac!.signatures.every((s) => s.rodcId === null)).toBe(true);
  });

  it('service ticket: the service key, ticket and full PAC signatures that verify', () => {
    const s = alice.service!;
    const types = s.pac!.signatures.map((x) => [x.type, x.verified]);
    expect(types).toEqual(expect.arrayContaining([['SERVER_CHECKSUM', true], ['PRIVSVR_CHECKSUM', true], ['TICKET_CHECKSUM', true], ['FULL_CHECKSUM', true]]));
  });

  it('stops at the policy for a denied account, with the code', async () => {
    const dave = await runDemo(options, (await directory.findUser('dave'))!, new Date());
    expect(dave.partial).toBeUndefined();
    expect(dave.failure?.step).toBe('mint');
    expect(dave.failure?.code).toBe('KDC_ERR_TGT_REVOKED');
  });

  it('says where it stopped when the KDC does not answer', async () => {
    const down = await runDemo({ ...options, kdc: { host: '127.0.0.1', port: 9 }, timeoutMs: 300 }, (await directory.findUser('alice'))!, new Date());
    expect(down.partial).toBeDefined();
    expect(down.failure?.step).toBe('exchange');
    expect(down.failure?.code).toBe('ERR_TRANSPORT');
  });

  it('renders the page without key material', async () => {
    const html = demoPage({ run: alice, kdc: '127.0.0.1:88', loginLines: ['tgtbridge login alice --bridge http://localhost:8443'] });
    expect(html).toContain('id="partial"');
    expect(html).toContain('id="full"');
    expect(html).toContain('id="service"');
    expect(html).toContain('Engineering');
    expect(html).toContain('S-1-18-1');
    expect(html).toContain('tgtbridge login alice --bridge http://localhost:8443');
    expect(html).toMatch(/id="summary">.*partial TGT carried 1 group \(Domain Users, the primary group\);\nthe full TGT carries 4: Domain Users, .*Engineering.*, plus S-1-18-1\./s);
    const keys = await options.keys();
    const secrets = [
      ...keys.krbtgtKeys.map((k) => k.key),
      ...keys.rodcKeys.entries.map((e) => e.key),
      ...[...keys.serviceKeys.values()].flat().map((k) => k.key),
    ].map((k) => Buffer.from(k.exportBytes()));
    for (const s of secrets) {
      expect(html).not.toContain(s.toString('hex'));
      expect(html).not.toContain(s.toString('base64'));
    }
  });
});
