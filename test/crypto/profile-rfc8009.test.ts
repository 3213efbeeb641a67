import { describe, expect, it } from 'vitest';
import { Key, checksum, decrypt, encrypt, prf, stringToKey, verifyChecksum } from '../../src/crypto/index.js';
import { kdfHmacSha2 } from '../../src/crypto/kdf-rfc8009.js';
import { iterationParams } from '../../src/crypto/s2k-params.js';
import { concatBytes, toHex, utf8 } from '../../src/util/index.js';
import { fixedRandom, flipBit, hex, loadFixture } from './fixtures.js';
import { mitCksums, mitDecrypt, mitDerive, mitPrf } from './vectors.js';

const RFC8009 = [19, 20];

interface Rfc8009Vectors {
  stringToKey: { iterations: number; password: string; saltHex: string; saltSuffix: string; aes128: string; aes256: string };
  keys: Record<'19' | '20', { base: string; usage: number; kc: string; ke: string; ki: string }>;
  encryptions: { etype: number; confounder: string; plaintext: string; ciphertext: string }[];
  checksums: { data: string; usage: number; '19': string; '20': string };
}

const A = loadFixture<Rfc8009Vectors>('rfc8009-appendix-a.json');
const hash = (etype: number): 'sha256' | 'sha384' => (etype === 19 ? 'sha256' : 'sha384');
const usageConst = (usage: number, purpose: number) => {
  const c = new Uint8Array(5);
  new DataView(c.buffer).setUint32(0, usage);
  c[4] = purpose;
  return c;
};

describe('RFC 8009 Appendix A: string-to-key', () => {
  const s = A.stringToKey;
  const salt = concatBytes(hex(s.saltHex), utf8(s.saltSuffix));
  it('etype 19 at 32768 iterations (explicit and default params)', () => {
    expect(toHex(stringToKey(19, s.password, salt, iterationParams(s.iterations)).exportBytes())).toBe(toHex(hex(s.aes128)));
    expect(toHex(stringToKey(19, s.password, salt).exportBytes())).toBe(toHex(hex(s.aes128)));
  });
  it('etype 20 at 32768 iterations', () => {
    expect(toHex(stringToKey(20, s.password, salt).exportBytes())).toBe(toHex(hex(s.aes256)));
  });
});

describe('RFC 8009 Appendix A: Kc, Ke, Ki for usage 2', () => {
  for (const etype of RFC8009) {
    const k = A.keys[String(etype) as '19' | '20'];
    const base = hex(k.base);
    it(`etype ${etype}`, () => {
      const h = hash(etype);
      const macBits = hex(k.kc).length * 8;
      expect(toHex(kdfHmacSha2(h, base, usageConst(k.usage, 0x99), new Uint8Array(0), macBits))).toBe(toHex(hex(k.kc)));
      expect(toHex(kdfHmacSha2(h, base, usageConst(k.usage, 0xaa), new Uint8Array(0), base.length * 8))).toBe(toHex(hex(k.ke)));
      expect(toHex(kdfHmacSha2(h, base, usageConst(k.usage, 0x55), new Uint8Array(0), macBits))).toBe(toHex(hex(k.ki)));
    });
  }
  it('agrees with MIT t_derive.c', () => {
    const vectors = mitDerive.filter((v) => RFC8009.includes(v.etype));
    expect(vectors).toHaveLength(6);
    for (const v of vectors) {
      const derived = hex(v.derived);
      expect(toHex(kdfHmacSha2(hash(v.etype), hex(v.key), hex(v.constant), new Uint8Array(0), derived.length * 8))).toBe(v.derived);
    }
  });
});

describe('RFC 8009 Appendix A: sample encryptions, both ways', () => {
  it('has four per etype', () => expect(A.encryptions).toHaveLength(8));
  for (const v of A.encryptions) {
    const key = Key.fromBytes(v.etype, hex(A.keys[String(v.etype) as '19' | '20'].base));
    const ct = hex(v.ciphertext);
    const label = `etype ${v.etype}, ${hex(v.plaintext).length}-byte plaintext`;
    it(`${label}: encrypt with the given confounder`, () => {
      expect(toHex(encrypt(key, 2, hex(v.plaintext), fixedRandom(hex(v.confounder))))).toBe(toHex(ct));
    });
    it(`${label}: decrypt`, () => expect(toHex(decrypt(key, 2, ct))).toBe(toHex(hex(v.plaintext))));
    it(`${label}: one flipped bit in ciphertext or MAC fails integrity`, () => {
      for (const at of [0, 16, ct.length - 17, ct.length - 16, ct.length - 1]) {
        expect(() => decrypt(key, 2, flipBit(ct, at, 5))).toThrow(expect.objectContaining({ code: 'KRB_AP_ERR_BAD_INTEGRITY' }));
      }
    });
  }
  it('MIT t_decrypt.c rows decrypt', () => {
    const vectors = mitDecrypt.filter((v) => RFC8009.includes(v.etype));
    expect(vectors).toHaveLength(8);
    for (const v of vectors) expect(toHex(decrypt(Key.fromBytes(v.etype, hex(v.key)), v.usage, hex(v.ciphertext)))).toBe(v.plaintext);
  });
});

describe('RFC 8009 Appendix A: checksums 19 and 20', () => {
  const c = A.checksums;
  for (const etype of RFC8009) {
    const key = Key.fromBytes(etype, hex(A.keys[String(etype) as '19' | '20'].base));
    const expected = hex(c[String(etype) as '19' | '20']);
    it(`cksumtype ${etype}`, () => {
      expect(toHex(checksum(etype, key, c.usage, hex(c.data)))).toBe(toHex(expected));
      expect(verifyChecksum(etype, key, c.usage, hex(c.data), expected)).toBe(true);
      expect(verifyChecksum(etype, key, c.usage, hex(c.data), flipBit(expected, expected.length - 1))).toBe(false);
    });
  }
  it('MIT t_cksums.c rows', () => {
    const vectors = mitCksums.filter((v) => v.cksumtype === 19 || v.cksumtype === 20);
    expect(vectors).toHaveLength(2);
    for (const v of vectors) expect(toHex(checksum(v.cksumtype, Key.fromBytes(v.etype, hex(v.key)), v.usage, hex(v.data)))).toBe(v.checksum);
  });
});

describe('RFC 8009 PRF (Appendix A, as in MIT t_prf.c)', () => {
  const vectors = mitPrf.filter((v) => RFC8009.includes(v.etype));
  it('has one per etype', () => expect(vectors).toHaveLength(2));
  for (const v of vectors) {
    it(`etype ${v.etype}`, () => expect(toHex(prf(Key.fromBytes(v.etype, hex(v.key)), hex(v.input)))).toBe(v.output));
  }
});
