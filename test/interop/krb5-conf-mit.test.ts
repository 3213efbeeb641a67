/**
 * The device agent finds a realm's KDCs in the krb5.conf MIT tools read (src/kdc/krb5-conf.ts):
 * the KRB5_CONFIG list, include and includedir. Here MIT's own kinit is pointed at the same files
 * and its trace says which KDC addresses it tried, in order; every KDC is a closed loopback UDP
 * port, so each attempt fails at once and kinit moves to the next.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { FILE_INCLUDES, krb5ConfPaths, loadKrb5Conf } from '../../src/kdc/index.js';
import { describeWithPeers } from '../support/peers.js';

const realm = (name: string, port: number): string => `[realms]\n ${name} = {\n  kdc = 127.0.0.1:${port}\n }\n`;

/** The ports kinit sent its first AS-REQ to, in order, from KRB5_TRACE. */
function kinitPorts(krb5Config: string, realmName: string, trace: string): number[] {
  // A trace file: MIT does not write its trace to /dev/stderr when that is a pipe.
  spawnSync('kinit', [`nobody@${realmName}`], { input: '', timeout: 20_000, env: { ...process.env, KRB5_CONFIG: krb5Config, KRB5_TRACE: trace } });
  const ports = [...readFileSync(trace, 'utf8').matchAll(/Sending initial UDP request to dgram 127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
  return [...new Set(ports)];
}

describeWithPeers('krb5.conf as MIT kinit reads it', ['kinit'], () => {
  const dir = mkdtempSync(join(tmpdir(), 'tgtbridge-krb5conf-mit-'));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const inc = file('inc.conf', realm('R.TEST', 9));
  mkdirSync(join(dir, 'd'));
  writeFileSync(join(dir, 'd', 'b.conf'), realm('R.TEST', 12));
  writeFileSync(join(dir, 'd', 'a_name-1'), realm('R.TEST', 11));
  writeFileSync(join(dir, 'd', '.hidden.conf'), realm('R.TEST', 13));
  writeFileSync(join(dir, 'd', 'backup~'), realm('R.TEST', 14));
  const cases: Record<string, string> = {
    'include after the realm': file('after.conf', `${realm('R.TEST', 10)}include ${inc}\n`),
    'include before it': file('before.conf', `include ${inc}\n${realm('R.TEST', 10)}`),
    'include inside a { } block': file('block.conf', `[realms]\n R.TEST = {\ninclude ${inc}\n  kdc = 127.0.0.1:10\n }\n`),
    includedir: file('dir.conf', `${realm('R.TEST', 10)}includedir ${join(dir, 'd')}\n`),
    'a KRB5_CONFIG list with a missing file': `${join(dir, 'none.conf')}:${file('one.conf', realm('R.TEST', 10))}:${inc}`,
  };

  for (const [name, krb5Config] of Object.entries(cases)) {
    it(`${name}: the same KDCs in the same order`, () => {
      const mit = kinitPorts(krb5Config, 'R.TEST', join(dir, `${name.replace(/\W+/g, '-')}.trace`));
      const ours = loadKrb5Conf(krb5ConfPaths({ KRB5_CONFIG: krb5Config }), FILE_INCLUDES).kdcsFor('R.TEST').map((k) => k.port);
      expect(mit.length).toBeGreaterThan(0);
      expect(ours).toEqual(mit);
    });
  }
});
