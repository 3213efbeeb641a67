import { rodcKvno } from '../../src/asn1/index.js';
import { ETYPE, randomKey } from '../../src/crypto/index.js';
import type { KeytabEntryLike } from '../../src/ticket/index.js';
import { fixedClock, type RandomSource } from '../../src/util/index.js';
import type { ProbeUsers, RodcKeyring } from '../../src/harness/index.js';

/** A deterministic byte stream (xorshift32): reproducible keys and confounders in unit tests. */
export function seededRandom(seed = 0x2545f491): RandomSource {
  let x = seed >>> 0 || 1;
  return {
    bytes(n: number): Uint8Array {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        x ^= x << 13;
        x >>>= 0;
        x ^= x >>> 17;
        x ^= x << 5;
        x >>>= 0;
        out[i] = x & 0xff;
      }
      return out;
    },
  };
}

export const REALM = 'SAMBA.TEST';
export const DOMAIN = 'S-1-5-21-1111111111-2222222222-3333333333';
/** N ≥ 0x8000, like the numbers Samba picks: its kvno is a negative signed 32-bit INTEGER on the wire. */
export const RODC_N = 54271;
export const NOW = new Date('2026-11-27T12:00:00Z');
export const clock = fixedClock(NOW);

export const USERS: ProbeUsers = {
  allowed: { name: 'alice', sid: `${DOMAIN}-1103`, groupSids: [`${DOMAIN}-513`] },
  other: { name: 'bob', sid: `${DOMAIN}-1104` },
};

export function rodcKeys(random = seededRandom(7)): { entries: KeytabEntryLike[]; ring: RodcKeyring } {
  const aes256 = randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96, random);
  const aes128 = randomKey(ETYPE.AES128_CTS_HMAC_SHA1_96, random);
  const principal = { nameType: 1, components: [`krbtgt_${RODC_N}`], realm: REALM };
  const entry = (key: typeof aes256, version: number): KeytabEntryLike => ({
    principal,
    timestamp: NOW,
    kvno: rodcKvno(RODC_N, version),
    key: { keytype: key.etype, keyvalue: key.exportBytes() },
  });
  return { entries: [entry(aes256, 1), entry(aes128, 1)], ring: { rodcNumber: RODC_N, keyVersion: 1, aes256, aes128 } };
}
