import { describe, expect, it } from 'vitest';
import type { EncTicketPart } from '../../../src/asn1/index.js';
import { ETYPE } from '../../../src/crypto/index.js';
import { VerifiedTgtCache, type VerifiedTgt } from '../../../src/kdc/service/tgt-cache.js';
import type { PacView } from '../../../src/kdc/service/pac-view.js';
import { code, exchange, fixedKey, KRBTGT, CIFS, makeLab, mint, TARGETS } from './support.js';

const verified = (tag: string): VerifiedTgt => ({
  enc: { crealm: tag } as unknown as EncTicketPart,
  sessionKey: fixedKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 7),
  pacBytes: new Uint8Array(8),
  pac: {} as PacView,
});

describe('VerifiedTgtCache', () => {
  const key = fixedKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 1);
  const cipher = Uint8Array.from({ length: 100 }, (_, i) => i);

  it('finds what it remembered, for the same key object and the same bytes only', () => {
    const c = new VerifiedTgtCache();
    c.remember(key, cipher, verified('a'));
    expect(c.find(key, Uint8Array.from(cipher))?.enc.crealm).toBe('a');
    // Same bytes, another key object (a rotated or re-imported key): a miss.
    expect(c.find(fixedKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 1), cipher)).toBeUndefined();
    // Same length and integrity tag (the lookup id), other bytes before it: a miss.
    const forged = Uint8Array.from(cipher);
    forged[3] = forged[3]! ^ 1;
    expect(c.find(key, forged)).toBeUndefined();
    expect(c.find(key, cipher.subarray(1))).toBeUndefined();
  });

  it('keeps at most its bound, oldest out first; size 0 keeps nothing', () => {
    const c = new VerifiedTgtCache(2);
    const ciphers = [1, 2, 3].map((n) => Uint8Array.from({ length: 40 }, () => n));
    ciphers.forEach((x, i) => c.remember(key, x, verified(String(i))));
    expect(c.size).toBe(2);
    expect(c.find(key, ciphers[0]!)).toBeUndefined();
    expect(c.find(key, ciphers[2]!)?.enc.crealm).toBe('2');
    const off = new VerifiedTgtCache(0);
    off.remember(key, cipher, verified('x'));
    expect(off.find(key, cipher)).toBeUndefined();
  });
});

describe.each(TARGETS)('a TGT presented again (served from the cache) → %s', (_name, sname) => {
  it('is still checked against the clock: usable now, expired 11 hours later → 32', async () => {
    const lab = makeLab();
    const tgt = mint(lab);
    expect(code(await exchange(lab, tgt, sname))).toBe(0);
    expect(code(await exchange(lab, tgt, sname, { nonce: 2 }))).toBe(0);
    lab.clock.advance(11 * 3600);
    expect(code(await exchange(lab, tgt, sname, { nonce: 3 }))).toBe(32);
  });

  it('a refused TGT is refused again, as with the cache off', async () => {
    for (const size of [2048, 0]) {
      const lab = makeLab({}, { verifiedTgtCacheSize: size });
      const badSig = mint(lab, { signKey: fixedKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 98) });
      expect(code(await exchange(lab, badSig, sname))).toBe(31);
      expect(code(await exchange(lab, badSig, sname, { nonce: 2 }))).toBe(31);
      const good = mint(lab);
      expect(code(await exchange(lab, good, sname, { cksum: 'wrong-value' }))).toBe(41);
      expect(code(await exchange(lab, good, sname, { nonce: 3 }))).toBe(0);
      expect(code(await exchange(lab, good, sname, { nonce: 4, cksum: 'wrong-value' }))).toBe(41);
    }
  });
});

describe('a cached full TGT with a changed outer Ticket', () => {
  it('tkt-vno other than 5 → 39 KRB_AP_ERR_BADVERSION, as on its first presentation', async () => {
    for (const size of [2048, 0]) {
      const lab = makeLab({}, { verifiedTgtCacheSize: size });
      const full = await exchange(lab, mint(lab), KRBTGT);
      if (full.kind !== 'rep') throw new Error('no full TGT');
      expect(code(await exchange(lab, full.tgt, CIFS, { nonce: 20 }))).toBe(0);
      const wrongVersion = { ...full.tgt, ticket: { ...full.tgt.ticket, tktVno: 4 } };
      expect(code(await exchange(lab, wrongVersion, CIFS, { nonce: 21 }))).toBe(39);
    }
  });
});

describe('a full TGT from the exchange, presented for several service tickets', () => {
  it('gives the same service ticket contents with the cache on and off', async () => {
    const results = [];
    for (const size of [2048, 0]) {
      const lab = makeLab({}, { verifiedTgtCacheSize: size });
      const full = await exchange(lab, mint(lab), KRBTGT);
      if (full.kind !== 'rep') throw new Error('no full TGT');
      const tgt = full.tgt;
      const a = await exchange(lab, tgt, CIFS, { nonce: 10 });
      const b = await exchange(lab, tgt, CIFS, { nonce: 11 });
      if (a.kind !== 'rep' || b.kind !== 'rep') throw new Error(`refused: ${code(a)} ${code(b)}`);
      results.push([a.encPart.sname, b.encPart.flags, b.encPart.endtime.getTime() - b.encPart.authtime.getTime()]);
    }
    expect(results[0]).toEqual(results[1]);
  });
});
