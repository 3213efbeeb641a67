import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CKSUMTYPE,
  ETYPE,
  KEY_USAGE,
  Key,
  checksum,
  decrypt,
  encrypt,
  prf,
  stringToKey,
  verifyChecksum,
} from '../../src/crypto/index.js';
import { AesCbc, aesCtsDecrypt } from '../../src/crypto/aes-cts.js';
import { deriveKeyRfc3961, usageConstant } from '../../src/crypto/dk-rfc3961.js';
import { iterationParams } from '../../src/crypto/s2k-params.js';
import { toHex, utf8 } from '../../src/util/index.js';
import { fixedRandom, flipBit, hex, loadFixture } from './fixtures.js';
import { mitCksums, mitDecrypt, mitDerive, mitPrf } from './vectors.js';

const RFC3962 = [ETYPE.AES128_CTS_HMAC_SHA1_96, ETYPE.AES256_CTS_HMAC_SHA1_96] as number[];

interface S2kVector {
  iterations: number;
  password?: string;
  passwordHex?: string;
  salt?: string;
  saltHex?: string;
  aes128: string;
  aes256: string;
}

describe('RFC 3962 string-to-key (Appendix B)', () => {
  const { stringToKey: vectors } = loadFixture<{ stringToKey: S2kVector[] }>('rfc3962-appendix-b.json');
  it('has the seven Appendix B cases', () => expect(vectors).toHaveLength(7));
  for (const v of vectors) {
    const password = v.passwordHex !== undefined ? hex(v.passwordHex) : utf8(v.password!);
    const salt = v.saltHex !== undefined ? hex(v.saltHex) : v.salt!;
    const params = iterationParams(v.iterations);
    it(`${v.iterations} iterations, salt ${v.salt ?? v.saltHex}`, () => {
      expect(toHex(stringToKey(17, password, salt, params).exportBytes())).toBe(toHex(hex(v.aes128)));
      expect(toHex(stringToKey(18, password, salt, params).exportBytes())).toBe(toHex(hex(v.aes256)));
    });
  }

  it('reads a string password as UTF-8 (g-clef, U+1D11E)', () => {
    const v = vectors.find((x) => x.passwordHex === 'f09d849e')!;
    expect(toHex(stringToKey(18, '\u{1D11E}', v.salt!, iterationParams(50)).exportBytes())).toBe(toHex(hex(v.aes256)));
  });
});

describe('MS-KILE §4.4 AES 128 key creation (machine password as UTF-8)', () => {
  const v = loadFixture<{ passwordUtf16Unit: string; passwordUnits: number; salt: string; iterations: number; pbkdf2: string; key: string }>(
    'ms-kile-4.4-aes128.json',
  );
  // A JS string is UTF-16: each U+FFFF unit becomes ef bf bf when string-to-key encodes UTF-8.
  const password = String.fromCharCode(parseInt(v.passwordUtf16Unit, 16)).repeat(v.passwordUnits);
  it('gives the documented PBKDF2 output and key', () => {
    expect(pbkdf2Sync(utf8(password), v.salt, v.iterations, 16, 'sha1').toString('hex')).toBe(v.pbkdf2);
    expect(toHex(stringToKey(17, password, v.salt, iterationParams(v.iterations)).exportBytes())).toBe(v.key);
  });
});

describe('RFC 3961 DK for AES (MIT t_derive.c)', () => {
  const vectors = mitDerive.filter((v) => RFC3962.includes(v.etype));
  it('has Kc, Ke, Ki for both key sizes', () => expect(vectors).toHaveLength(6));
  for (const v of vectors) {
    it(`etype ${v.etype} constant ${v.constant}`, () => {
      expect(toHex(deriveKeyRfc3961(hex(v.key), hex(v.constant), hex(v.key).length))).toBe(v.derived);
    });
  }
});

describe('RFC 3962 encrypt/decrypt known answers (MIT t_decrypt.c)', () => {
  const vectors = mitDecrypt.filter((v) => RFC3962.includes(v.etype));
  it('has five vectors per etype', () => expect(vectors).toHaveLength(10));
  for (const v of vectors) {
    const key = Key.fromBytes(v.etype, hex(v.key));
    const ct = hex(v.ciphertext);
    it(`etype ${v.etype} usage ${v.usage}, ${v.plaintext.length / 2}-byte plaintext: decrypts`, () => {
      expect(toHex(decrypt(key, v.usage, ct))).toBe(v.plaintext);
    });
    it(`etype ${v.etype} usage ${v.usage}: encrypting with the recovered confounder gives the ciphertext`, () => {
      // The confounder is not published; CTS-decrypting the first block under Ke recovers it.
      const confounder = confounderOf(key, v.usage, ct, 16, 12);
      expect(toHex(encrypt(key, v.usage, hex(v.plaintext), fixedRandom(confounder)))).toBe(v.ciphertext);
    });
    it(`etype ${v.etype} usage ${v.usage}: a flipped bit anywhere gives KRB_AP_ERR_BAD_INTEGRITY`, () => {
      for (const at of [0, 15, 16, ct.length - 13, ct.length - 12, ct.length - 1]) {
        expect(() => decrypt(key, v.usage, flipBit(ct, at, at % 8))).toThrow(
          expect.objectContaining({ code: 'KRB_AP_ERR_BAD_INTEGRITY' }),
        );
      }
    });
    it(`etype ${v.etype} usage ${v.usage}: the wrong usage fails integrity`, () => {
      expect(() => decrypt(key, v.usage + 1, ct)).toThrow(expect.objectContaining({ code: 'KRB_AP_ERR_BAD_INTEGRITY' }));
    });
  }

  it('short and truncated ciphertexts fail with the same error', () => {
    const key = Key.fromBytes(18, new Uint8Array(32));
    const ct = encrypt(key, 2, utf8('ticket'));
    for (const len of [0, 1, 27, ct.length - 1]) {
      expect(() => decrypt(key, 2, ct.subarray(0, len))).toThrow(expect.objectContaining({ code: 'KRB_AP_ERR_BAD_INTEGRITY' }));
    }
  });

  it('round-trips plaintexts of every length 0..70 with random confounders', () => {
    for (const etype of RFC3962) {
      const key = Key.fromBytes(etype, new Uint8Array(etype === 17 ? 16 : 32).fill(7));
      for (let n = 0; n <= 70; n++) {
        const pt = new Uint8Array(n).fill(n);
        const ct = encrypt(key, KEY_USAGE.KDC_REP_TICKET, pt);
        expect(ct.length).toBe(16 + n + 12);
        expect(toHex(decrypt(key, KEY_USAGE.KDC_REP_TICKET, ct))).toBe(toHex(pt));
      }
    }
  });
});

/** The confounder of a known ciphertext: the CTS plaintext under Ke starts with it (RFC 3961 §5.3). */
function confounderOf(key: Key, usage: number, ct: Uint8Array, conf: number, mac: number): Uint8Array {
  const base = key.exportBytes();
  const ke = deriveKeyRfc3961(base, usageConstant(usage, 0xaa), base.length);
  return aesCtsDecrypt(new AesCbc(ke), ct.subarray(0, ct.length - mac)).subarray(0, conf);
}

describe('RFC 3962 checksums 15 and 16 (MIT t_cksums.c)', () => {
  const vectors = mitCksums.filter((v) => v.cksumtype === 15 || v.cksumtype === 16);
  it('has one vector each', () => expect(vectors).toHaveLength(2));
  for (const v of vectors) {
    const key = Key.fromBytes(v.etype, hex(v.key));
    it(`cksumtype ${v.cksumtype}`, () => {
      expect(toHex(checksum(v.cksumtype, key, v.usage, hex(v.data)))).toBe(v.checksum);
      expect(verifyChecksum(v.cksumtype, key, v.usage, hex(v.data), hex(v.checksum))).toBe(true);
      expect(verifyChecksum(v.cksumtype, key, v.usage, hex(v.data), flipBit(hex(v.checksum), 11, 7))).toBe(false);
      expect(verifyChecksum(v.cksumtype, key, v.usage, flipBit(hex(v.data), 0), hex(v.checksum))).toBe(false);
      expect(verifyChecksum(v.cksumtype, key, v.usage, hex(v.data), hex(v.checksum).subarray(0, 11))).toBe(false);
    });
  }

  it('refuses a key of the wrong etype', () => {
    const key = Key.fromBytes(17, new Uint8Array(16));
    expect(() => checksum(CKSUMTYPE.HMAC_SHA1_96_AES256, key, 17, new Uint8Array(4))).toThrow(
      expect.objectContaining({ code: 'ERR_CRYPTO_KEY' }),
    );
  });
});

describe('RFC 3962 PRF (MIT t_prf.c)', () => {
  const vectors = mitPrf.filter((v) => RFC3962.includes(v.etype));
  it('has the AES vectors', () => expect(vectors).toHaveLength(6));
  for (const v of vectors) {
    it(`etype ${v.etype} input ${v.input}`, () => {
      expect(toHex(prf(Key.fromBytes(v.etype, hex(v.key)), hex(v.input)))).toBe(v.output);
    });
  }
});
