import { readFileSync } from 'node:fs';
import { startCpuProfile } from './cpu-profile.js';
import { pathToFileURL } from 'node:url';
import { rodcKvno } from '../src/asn1/index.js';
import { ETYPE, Key } from '../src/crypto/index.js';
import { parseFileDirectory } from '../src/directory/index.js';
import { createExchangeKdc, defaultExchangePolicy, listenExchangeKdc, MemoryReplayCache } from '../src/kdc/index.js';
import { KeySet } from '../src/ticket/index.js';
import { fromHex, systemClock, systemRandom } from '../src/util/index.js';

/**
 * The embedded exchange as its own process for `npm run bench:kdc` (so it can be pinned to one
 * core, like krb5kdc): `node dist/bench/kdc-server.js <keys.json>`; prints `PORT <n>` when listening.
 * keys.json (written 0600 by bench/kdc.ts, throwaway random keys): { rodcNumber, rodc, krbtgt, cifs } hex.
 * With KDC_SERVER_PROFILE=<file> set (inherited from `node dist/bench/kdc.js`), the server's CPU
 * profile over the whole run, sockets included, is written to <file>.<pid>.cpuprofile on SIGTERM.
 * With KDC_SERVER_LISTEN=<listen.js> it serves through that module's listenExchangeKdc (another
 * build of src/kdc/service/listen.ts), to compare listeners with the real KDC behind them.
 */
export const BENCH_REALM = 'DEMO.TEST';
export const BENCH_SID = 'S-1-5-21-3623811015-3361044348-30300820';
export const BENCH_SPN = 'cifs/fs1.demo.test';

export function benchDirectory() {
  return parseFileDirectory(
    {
      domain: { sid: BENCH_SID },
      groups: [
        { name: 'Staff', rid: 1200, members: ['Engineering'] },
        { name: 'Engineering', rid: 1201 },
        { name: 'Allowed RODC Password Replication Group', members: ['Staff'] },
      ],
      users: [
        { sAMAccountName: 'alice', rid: 1104, displayName: 'Alice Adams', groups: ['Engineering'] },
        { sAMAccountName: 'FS1$', rid: 1109, spns: [BENCH_SPN] },
      ],
    },
    'bench-directory',
    { realm: BENCH_REALM, dnsDomain: 'demo.test', netbiosName: 'DEMO' },
  );
}

async function main(): Promise<void> {
  const k = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { rodcNumber: number; rodc: string; krbtgt: string; cifs: string };
  const aes256 = (hex: string) => Key.fromBytes(ETYPE.AES256_CTS_HMAC_SHA1_96, fromHex(hex));
  const kdc = createExchangeKdc({
    realm: BENCH_REALM,
    directory: benchDirectory(),
    rodcKeys: KeySet.of([{ realm: BENCH_REALM, rodcNumber: k.rodcNumber, keyVersion: 1, kvno: rodcKvno(k.rodcNumber, 1), key: aes256(k.rodc), created: new Date() }]),
    krbtgtKeys: [{ kvno: 1, key: aes256(k.krbtgt) }],
    serviceKeys: new Map([[BENCH_SPN, [{ kvno: 1, key: aes256(k.cifs) }]]]),
    policy: defaultExchangePolicy(BENCH_SID),
    clock: systemClock,
    random: systemRandom,
    replayCache: new MemoryReplayCache(),
  });
  const profile = process.env['KDC_SERVER_PROFILE'];
  const stopProfile = profile !== undefined ? await startCpuProfile() : undefined;
  const listenOptions = { port: 0, rateLimit: { perSecond: 1e9, burst: 1e9 }, maxConnections: 4096 };
  const other = process.env['KDC_SERVER_LISTEN'];
  const l = other === undefined ? await kdc.listen(listenOptions) : await ((await import(pathToFileURL(other).href)) as { listenExchangeKdc: typeof listenExchangeKdc }).listenExchangeKdc(kdc, listenOptions);
  process.stdout.write(`PORT ${l.udpPort}\n`);
  process.once('SIGTERM', () =>
    void (async () => {
      await l.close();
      await stopProfile?.(`${profile}.${process.pid}.cpuprofile`);
      process.exit(0);
    })(),
  );
}

if (process.argv[1]?.endsWith('kdc-server.js')) void main();
