import { describe, expect, it } from 'vitest';
import { CKSUMTYPE, ETYPE, Key, checksum, decrypt, encrypt, ntHashKey, prf, stringToKey, verifyChecksum } from '../../src/crypto/index.js';
import { md4 } from '../../src/crypto/md4.js';
import { toHex, utf8 } from '../../src/util/index.js';
import { flipBit, hex, loadFixture } from './fixtures.js';
import { mitCksums, mitDecrypt } from './vectors.js';

interface Md4Vectors {
  md4: { input: string; digest: string }[];
  ntHash: { password: string; key: string }[];
}
const F = loadFixture<Md4Vectors>('rfc1320-md4.json');

describe('MD4 (RFC 1320 A.5)', () => {
  it('has the seven test-suite strings', () => expect(F.md4).toHaveLength(7));
  for (const v of F.md4) it(`MD4("${v.input.slice(0, 20)}")`, () => expect(toHex(md4(utf8(v.input)))).toBe(v.digest));
  it('handles lengths across the 56-byte padding boundary', () => {
    // 55 and 56 bytes pad into one and two blocks; each must differ from its neighbour.
    const digests = [54, 55, 56, 57, 63, 64, 65].map((n) => toHex(md4(new Uint8Array(n).fill(0x61))));
    expect(new Set(digests).size).toBe(digests.length);
  });
});

describe('rc4-hmac string-to-key: the NT hash (RFC 4757 §4)', () => {
  for (const v of F.ntHash) {
    it(`"${v.password}" (MS-NLMP §4.2.2.1.2)`, () => {
      expect(toHex(stringToKey(ETYPE.RC4_HMAC, v.password, 'ignored salt').exportBytes())).toBe(toHex(hex(v.key)));
    });
  }
  it('refuses a password that is not UTF-8', () => {
    expect(() => stringToKey(23, new Uint8Array([0xff, 0xfe]), '')).toThrow(expect.objectContaining({ code: 'ERR_CRYPTO_KEY' }));
  });
});

describe('rc4-hmac decryption (MIT t_decrypt.c)', () => {
  const vectors = mitDecrypt.filter((v) => v.etype === 23);
  it('has five vectors', () => expect(vectors).toHaveLength(5));
  for (const v of vectors) {
    const key = ntHashKey(hex(v.key));
    const ct = hex(v.ciphertext);
    it(`usage ${v.usage}: decrypts`, () => expect(toHex(decrypt(key, v.usage, ct))).toBe(v.plaintext));
    it(`usage ${v.usage}: a flipped bit in MAC or body gives KRB_AP_ERR_BAD_INTEGRITY`, () => {
      for (const at of [0, 15, 16, 23, ct.length - 1]) {
        expect(() => decrypt(key, v.usage, flipBit(ct, at, 3))).toThrow(expect.objectContaining({ code: 'KRB_AP_ERR_BAD_INTEGRITY' }));
      }
    });
  }
  it('a too-short ciphertext fails integrity', () => {
    expect(() => decrypt(ntHashKey(new Uint8Array(16)), 2, new Uint8Array(23))).toThrow(
      expect.objectContaining({ code: 'KRB_AP_ERR_BAD_INTEGRITY' }),
    );
  });
  it('usage 3 is sent as Microsoft usage 8 (RFC 4757 §3): a usage-3 vector opens under 8 too', () => {
    const v = vectors.find((x) => x.usage === 3)!;
    expect(toHex(decrypt(ntHashKey(hex(v.key)), 8, hex(v.ciphertext)))).toBe(v.plaintext);
  });
});

describe('rc4-hmac is decrypt-only', () => {
  it('encrypt and prf refuse with ERR_CRYPTO_ETYPE', () => {
    const key = ntHashKey(new Uint8Array(16));
    expect(() => encrypt(key, 2, utf8('x'))).toThrow(expect.objectContaining({ code: 'ERR_CRYPTO_ETYPE' }));
    expect(() => prf(key, utf8('x'))).toThrow(expect.objectContaining({ code: 'ERR_CRYPTO_ETYPE' }));
  });
  it('ntHashKey checks the length', () => {
    expect(() => ntHashKey(new Uint8Array(15))).toThrow(expect.objectContaining({ code: 'ERR_CRYPTO_KEY' }));
  });
});

describe('hmac-md5 checksum -138 (MIT t_cksums.c)', () => {
  const vectors = mitCksums.filter((v) => v.cksumtype === CKSUMTYPE.HMAC_MD5);
  it('has the vector', () => expect(vectors).toHaveLength(1));
  for (const v of vectors) {
    const key = Key.fromBytes(23, hex(v.key));
    it(`usage ${v.usage}`, () => {
      expect(toHex(checksum(-138, key, v.usage, hex(v.data)))).toBe(v.checksum);
      expect(verifyChecksum(-138, key, v.usage, hex(v.data), hex(v.checksum))).toBe(true);
      expect(verifyChecksum(-138, key, v.usage, hex(v.data), flipBit(hex(v.checksum), 8))).toBe(false);
    });
  }
});
