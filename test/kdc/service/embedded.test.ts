import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NAME_TYPES } from '../../../src/asn1/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { loadFileDirectory } from '../../../src/directory/index.js';
import { decodeKeytab } from '../../../src/files/index.js';
import { parseKdcSettings, requestTgs, sendToKdc, startEmbeddedKdc } from '../../../src/kdc/index.js';
import { mintPartialTgt } from '../../../src/ticket/index.js';
import { systemClock, systemRandom } from '../../../src/util/index.js';

const REPO = join(import.meta.dirname, '..', '..', '..');

/** The demo config in a temp dir, its key set under that dir (never in the repository). */
function demoSetup(): { dir: string; configPath: string; dataDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tgtbridge-embedded-kdc-'));
  copyFileSync(join(REPO, 'config', 'directory.yaml'), join(dir, 'directory.yaml'));
  const text = readFileSync(join(REPO, 'config', 'tgtbridge.yaml'), 'utf8');
  writeFileSync(join(dir, 'tgtbridge.yaml'), text);
  return { dir, configPath: join(dir, 'tgtbridge.yaml'), dataDir: join(dir, 'data') };
}

describe('startEmbeddedKdc: the embedded default', () => {
  const { dir, configPath, dataDir } = demoSetup();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates keys once (0600), then reuses them; a partial TGT minted with the key set is exchanged for alice', async () => {
    const config = loadConfig(configPath);
    const directory = loadFileDirectory(config.directory.path, { realm: config.realm, dnsDomain: config.dnsDomain, netbiosName: config.netbiosDomain });
    const first = await startEmbeddedKdc({ config, dataDir, directory, port: 0 });
    await first.listening.close();
    // The key set goes where minting reads it (minting.keys, or <data>/keys): always under the temp dir here.
    expect(first.created.map((f) => f.startsWith(dir))).toEqual([true, true, true]);
    expect(first.created.map((f) => f.split('/').slice(-2).join('/'))).toEqual(['keys/krbtgt.keytab', 'keys/krbtgt-rodc.keytab', 'keytabs/fs1.keytab']);
    const keySetFile = first.created[1]!;
    for (const f of first.created) expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(first.rodcNumber).toBeGreaterThanOrEqual(1);
    expect(first.rodcNumber).toBeLessThanOrEqual(0xffff);
    const krbtgt = decodeKeytab(readFileSync(join(dataDir, 'keys', 'krbtgt.keytab'))).entries;
    expect(krbtgt.map((e) => [e.principal.components.join('/'), e.key.keytype, e.kvno])).toEqual([['krbtgt/DEMO.TEST', 18, 1], ['krbtgt/DEMO.TEST', 17, 1]]);

    const again = await startEmbeddedKdc({ config, dataDir, directory, port: 0 });
    try {
      expect(again.created).toEqual([]);
      expect(again.rodcNumber).toBe(first.rodcNumber);
      const rodc = decodeKeytab(readFileSync(keySetFile)).entries[0]!;
      const { Key } = await import('../../../src/crypto/index.js');
      const partial = mintPartialTgt({
        user: { samAccountName: 'alice', sid: 'S-1-5-21-3623811015-3361044348-30300820-1104' },
        realm: 'DEMO.TEST',
        rodcKey: { key: Key.fromBytes(rodc.key.keytype, rodc.key.keyvalue), rodcNumber: rodc.kvno >>> 16, keyVersion: rodc.kvno & 0xffff },
        clock: systemClock,
        random: systemRandom,
      });
      const full = await requestTgs({
        tgt: { ticket: partial.ticket, sessionKey: partial.sessionKey, crealm: 'DEMO.TEST', cname: { nameType: NAME_TYPES['NT-PRINCIPAL'], nameString: ['alice'] } },
        sname: { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['cifs', 'fs1.demo.test'] },
        srealm: 'DEMO.TEST',
        kdcOptions: 0,
        till: new Date(Date.now() + 3600e3),
        clock: systemClock,
        random: systemRandom,
        send: (der) => sendToKdc([{ host: '127.0.0.1', port: again.listening.udpPort }], der),
      });
      expect(full.ticket.encPart.kvno).toBe(1);
    } finally {
      await again.listening.close();
    }
  });

  it('will not start on a krbtgt keytab or key set other accounts can read (ERR_KEY_FILE_MODE)', async () => {
    const config = loadConfig(configPath);
    const directory = loadFileDirectory(config.directory.path, { realm: config.realm, dnsDomain: config.dnsDomain, netbiosName: config.netbiosDomain });
    for (const file of ['krbtgt.keytab', 'krbtgt-rodc.keytab']) {
      const path = join(dataDir, 'keys', file);
      chmodSync(path, 0o644);
      try {
        await expect(startEmbeddedKdc({ config, dataDir, directory, port: 0 })).rejects.toMatchObject({ code: 'ERR_KEY_FILE_MODE', message: expect.stringContaining(path) });
      } finally {
        chmodSync(path, 0o600);
      }
    }
  });
});

describe('parseKdcSettings', () => {
  it('defaults: loopback, port 88, AD lifetimes, 5 min skew', () => {
    const s = parseKdcSettings({}, '/cfg');
    expect([s.listen, s.port, s.maxLifetimeSec, s.maxRenewSec, s.clockSkewSec, s.tcpReuse]).toEqual(['127.0.0.1', 88, 36000, 604800, 300, false]);
    expect(parseKdcSettings({ tcpReuse: true }, '/cfg').tcpReuse).toBe(true);
  });
  it('unknown keys and bad values are ERR_CONFIG', () => {
    expect(() => parseKdcSettings({ prot: 88 }, '/cfg')).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
    expect(() => parseKdcSettings({ port: 70000 }, '/cfg')).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
    expect(() => parseKdcSettings({ maxLifetime: 'ten hours' }, '/cfg')).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
    expect(() => parseKdcSettings({ tcpReuse: 'yes' }, '/cfg')).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', message: expect.stringContaining('kdc.tcpReuse') }));
  });
  it('keytab paths are relative to the config file', () => {
    expect(parseKdcSettings({ serviceKeytabs: ['k/a.keytab'] }, '/cfg').serviceKeytabs).toEqual(['/cfg/k/a.keytab']);
  });
});
