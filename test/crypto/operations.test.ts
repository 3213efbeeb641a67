import { describe, expect, it } from 'vitest';
import {
  ETYPE,
  KEY_USAGE,
  Key,
  MAX_PBKDF2_ITERATIONS,
  checksum,
  decrypt,
  defaultS2kParams,
  encrypt,
  randomKey,
  randomToKey,
  stringToKey,
  verifyChecksum,
} from '../../src/crypto/index.js';
import { iterationParams } from '../../src/crypto/s2k-params.js';
import { toHex, utf8 } from '../../src/util/index.js';
import { fixedRandom } from './fixtures.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('string-to-key parameters (s2kparams)', () => {
  it('accepts counts below the default (RFC vectors, KDC policy)', () => {
    expect(stringToKey(18, 'pw', 'salt', iterationParams(1)).etype).toBe(18);
  });
  it('uses the default count when no params are given', () => {
    const dflt = stringToKey(17, 'pw', 'EXAMPLE.COMuser');
    expect(toHex(dflt.exportBytes())).toBe(toHex(stringToKey(17, 'pw', 'EXAMPLE.COMuser', iterationParams(4096)).exportBytes()));
  });
  it('refuses 00 00 00 00 (2^32 per RFC 3962 §4) and counts above the cap', () => {
    expect(() => stringToKey(18, 'pw', 'salt', iterationParams(0))).toThrow(code('ERR_CRYPTO_KEY'));
    expect(() => stringToKey(20, 'pw', 'salt', iterationParams(MAX_PBKDF2_ITERATIONS + 1))).toThrow(code('ERR_CRYPTO_KEY'));
    expect(() => stringToKey(17, 'pw', 'salt', iterationParams(0xffffffff))).toThrow(code('ERR_CRYPTO_KEY'));
  });
  it('refuses params that are not 4 bytes', () => {
    expect(() => stringToKey(18, 'pw', 'salt', new Uint8Array(3))).toThrow(code('ERR_CRYPTO_KEY'));
    expect(() => stringToKey(19, 'pw', 'salt', new Uint8Array(5))).toThrow(code('ERR_CRYPTO_KEY'));
  });
  it('publishes the default params per etype', () => {
    expect(toHex(defaultS2kParams(17)!)).toBe('00001000');
    expect(toHex(defaultS2kParams(18)!)).toBe('00001000');
    expect(toHex(defaultS2kParams(19)!)).toBe('00008000');
    expect(toHex(defaultS2kParams(20)!)).toBe('00008000');
    expect(defaultS2kParams(23)).toBeUndefined();
  });
  it('refuses an unsupported etype', () => {
    expect(() => stringToKey(16, 'pw', 'salt')).toThrow(code('ERR_CRYPTO_ETYPE'));
  });
  it('takes string and byte salts alike', () => {
    const a = stringToKey(17, 'pw', 'REALMuser', iterationParams(2));
    const b = stringToKey(17, utf8('pw'), utf8('REALMuser'), iterationParams(2));
    expect(toHex(a.exportBytes())).toBe(toHex(b.exportBytes()));
  });
});

describe('random keys', () => {
  it('randomKey draws keyLength bytes from the RandomSource', () => {
    const seed = new Uint8Array(32).map((_, i) => i);
    const key = randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96, fixedRandom(seed));
    expect(toHex(key.exportBytes())).toBe(toHex(seed));
    expect(randomKey(17).exportBytes()).toHaveLength(16);
    expect(randomKey(20).exportBytes()).toHaveLength(32);
  });
  it('randomToKey checks the seed length', () => {
    expect(() => randomToKey(18, new Uint8Array(16))).toThrow(code('ERR_CRYPTO_KEY'));
    expect(randomToKey(19, new Uint8Array(16)).etype).toBe(19);
  });
});

describe('operation guards', () => {
  const key = Key.fromBytes(18, new Uint8Array(32));
  it('a usage that is not a uint32 is a programmer error', () => {
    for (const usage of [-1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => encrypt(key, usage, utf8('x'))).toThrow(RangeError);
      expect(() => decrypt(key, usage, new Uint8Array(40))).toThrow(RangeError);
    }
  });
  it('unsupported checksum types are ERR_CRYPTO_ETYPE', () => {
    expect(() => checksum(1, key, 17, utf8('x'))).toThrow(code('ERR_CRYPTO_ETYPE'));
    expect(() => verifyChecksum(7, key, 17, utf8('x'), new Uint8Array(16))).toThrow(code('ERR_CRYPTO_ETYPE'));
  });
  it('a checksum key of the wrong etype is ERR_CRYPTO_KEY', () => {
    expect(() => verifyChecksum(-138, key, 17, utf8('x'), new Uint8Array(16))).toThrow(code('ERR_CRYPTO_KEY'));
  });
  it('the same confounder and key give the same ciphertext; another usage another one', () => {
    const conf = fixedRandom(new Uint8Array(16).fill(9));
    const a = encrypt(key, KEY_USAGE.KDC_REP_TICKET, utf8('EncTicketPart'), conf);
    expect(toHex(encrypt(key, KEY_USAGE.KDC_REP_TICKET, utf8('EncTicketPart'), conf))).toBe(toHex(a));
    expect(toHex(encrypt(key, KEY_USAGE.AS_REP_ENC_PART, utf8('EncTicketPart'), conf))).not.toBe(toHex(a));
  });
  it('encrypt and decrypt return plain Uint8Arrays (not Buffers), for every AES etype', () => {
    for (const etype of [17, 18, 19, 20]) {
      const k = Key.fromBytes(etype, new Uint8Array(etype === 17 || etype === 19 ? 16 : 32));
      const ct = encrypt(k, 2, new Uint8Array(1024));
      expect(ct.constructor).toBe(Uint8Array);
      expect(decrypt(k, 2, ct).constructor).toBe(Uint8Array);
    }
  });
  it('a wrong key fails integrity for every AES etype', () => {
    for (const etype of [17, 18, 19, 20]) {
      const len = etype === 17 || etype === 19 ? 16 : 32;
      const ct = encrypt(Key.fromBytes(etype, new Uint8Array(len).fill(1)), 2, utf8('ticket'));
      expect(() => decrypt(Key.fromBytes(etype, new Uint8Array(len).fill(2)), 2, ct)).toThrow(code('KRB_AP_ERR_BAD_INTEGRITY'));
    }
  });
  it('every integrity failure carries the same message (no oracle)', () => {
    const messages = new Set<string>();
    for (const ct of [new Uint8Array(0), new Uint8Array(28), new Uint8Array(100)]) {
      try {
        decrypt(key, 2, ct);
      } catch (e) {
        messages.add((e as Error).message);
      }
    }
    expect(messages.size).toBe(1);
  });
});
