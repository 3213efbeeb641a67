import { startCpuProfile } from './cpu-profile.js';
import { KDC_OPTIONS, NAME_TYPES, rodcKvno, type PrincipalName } from '../src/asn1/index.js';
import { ETYPE, Key, randomKey } from '../src/crypto/index.js';
import { buildTgsRequest, createExchangeKdc, defaultExchangePolicy, MemoryReplayCache, openTgsReply, type TgtCredential } from '../src/kdc/index.js';
import { KeySet, mintPartialTgt } from '../src/ticket/index.js';
import { systemClock, systemRandom } from '../src/util/index.js';
import { benchDirectory, BENCH_REALM, BENCH_SID, BENCH_SPN } from './kdc-server.js';

/**
 * The embedded exchange in-process, no sockets, for `node --cpu-prof dist/bench/profile-kdc.js [count]`:
 * the same KDC and requests as `npm run bench:kdc` (bench/kdc-server.ts), each request built
 * beforehand with a fresh authenticator (and, for partial → TGT, a freshly minted partial TGT), then only `kdc.handle` is timed. Prints KDC CPU µs per
 * TGS-REQ for TGT → cifs and partial → TGT. With PROFILE=<prefix> set, a CPU profile of the timed
 * loops alone (request building left out) is written to <prefix>.<cifs|tgt>.cpuprofile.
 *
 *   node dist/bench/profile-kdc.js [count] [TGT|partial]      (TGT_CACHE=0: verified-TGT cache off)
 */
const count = Number(process.argv[2] ?? 20000);
const aes256 = () => randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96);
const rodc = aes256();
const rodcNumber = 0xd3ff;
const kdc = createExchangeKdc({
  realm: BENCH_REALM,
  directory: benchDirectory(),
  rodcKeys: KeySet.of([{ realm: BENCH_REALM, rodcNumber, keyVersion: 1, kvno: rodcKvno(rodcNumber, 1), key: rodc, created: new Date() }]),
  krbtgtKeys: [{ kvno: 1, key: aes256() }],
  serviceKeys: new Map([[BENCH_SPN, [{ kvno: 1, key: aes256() }]]]),
  policy: defaultExchangePolicy(BENCH_SID),
  clock: systemClock,
  random: systemRandom,
  replayCache: new MemoryReplayCache(),
  // TGT_CACHE=0: the verified-TGT cache off, for the cost of a TGT presented for the first time.
  ...(process.env['TGT_CACHE'] === '0' ? { verifiedTgtCacheSize: 0 } : {}),
});
const source = { transport: 'udp', address: '127.0.0.1' } as const;
const cname = { nameType: NAME_TYPES['NT-PRINCIPAL'], nameString: ['alice'] };
const krbtgt = { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['krbtgt', BENCH_REALM] };
const cifs = { nameType: NAME_TYPES['NT-SRV-INST'], nameString: BENCH_SPN.split('/') };
const till = () => new Date(Date.now() + 8 * 3600e3);

function request(tgt: TgtCredential, sname: PrincipalName) {
  return buildTgsRequest({ tgt, sname, srealm: BENCH_REALM, kdcOptions: KDC_OPTIONS.forwardable | KDC_OPTIONS.canonicalize, till: till(), clock: systemClock, random: systemRandom });
}

async function main(): Promise<void> {
  const minted = mintPartialTgt({ user: { samAccountName: 'alice', sid: `${BENCH_SID}-1104` }, realm: BENCH_REALM, rodcKey: { key: rodc, rodcNumber, keyVersion: 1 }, clock: systemClock, random: systemRandom });
  const partial: TgtCredential = { ticket: minted.ticket, sessionKey: minted.sessionKey, crealm: BENCH_REALM, cname };
  const first = request(partial, krbtgt);
  const full = openTgsReply((await kdc.handle(first.der, source))!, first, { tgt: partial, sname: krbtgt, srealm: BENCH_REALM, kdcOptions: KDC_OPTIONS.forwardable | KDC_OPTIONS.canonicalize });
  const fullTgt: TgtCredential = { ticket: full.ticket, sessionKey: Key.fromBytes(full.sessionKey.etype, full.sessionKey.exportBytes()), crealm: BENCH_REALM, cname };
  const which = process.argv[3];
  // A device exchanges each partial TGT about once (it then holds the full TGT), so every partial →
  // TGT request brings a newly minted partial TGT: the verified-TGT cache never helps that row. A
  // client asks for many service tickets with one full TGT, so the TGT → cifs row reuses one.
  const freshPartial = (): TgtCredential => {
    const m = mintPartialTgt({ user: { samAccountName: 'alice', sid: `${BENCH_SID}-1104` }, realm: BENCH_REALM, rodcKey: { key: rodc, rodcNumber, keyVersion: 1 }, clock: systemClock, random: systemRandom });
    return { ticket: m.ticket, sessionKey: m.sessionKey, crealm: BENCH_REALM, cname };
  };
  for (const [what, tgtOf, sname] of [['TGT → cifs', () => fullTgt, cifs], ['partial → TGT', freshPartial, krbtgt]] as const) {
    if (which !== undefined && !what.startsWith(which)) continue;
    const reqs = Array.from({ length: count }, () => request(tgtOf(), sname).der);
    for (let i = 0; i < 500; i++) await kdc.handle(reqs[i]!, source); // warm-up
    const profile = process.env['PROFILE'];
    const stopProfile = profile !== undefined ? await startCpuProfile(100) : undefined;
    const c0 = process.cpuUsage();
    let bad = 0;
    for (const r of reqs.slice(500)) if ((await kdc.handle(r, source))?.[0] !== 0x6d) bad++;
    const used = process.cpuUsage(c0);
    const n = reqs.length - 500;
    await stopProfile?.(`${profile}.${what.startsWith('TGT') ? 'cifs' : 'tgt'}.cpuprofile`);
    console.log(`${what}: ${((used.user + used.system) / n).toFixed(1)} µs CPU per TGS-REQ over ${n}${bad > 0 ? `, ${bad} NOT TGS-REP` : ''}`);
  }
}

void main();
