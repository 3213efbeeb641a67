import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ETYPE, Key, etypeName, cksumtypeName, isSupportedEtype, mandatoryChecksumType } from '../../src/crypto/index.js';
import { toHex } from '../../src/util/index.js';

const SECRET = new Uint8Array(32).fill(0xab);

describe('Key', () => {
  const key = Key.fromBytes(ETYPE.AES256_CTS_HMAC_SHA1_96, SECRET);

  it('never shows its bytes in toString, JSON, inspect or template strings', () => {
    const needle = 'abab';
    for (const text of [String(key), `${key}`, JSON.stringify({ key }), inspect(key), inspect({ nested: [key] })]) {
      expect(text.toLowerCase()).not.toContain(needle);
      expect(text).toMatch(/aes256-cts-hmac-sha1-96|"etype":18/);
    }
    expect(Object.keys(key)).toEqual(['etype']);
  });

  it('exports a copy, and copies what it was given', () => {
    const given = Uint8Array.from(SECRET);
    const k = Key.fromBytes(18, given);
    given.fill(0);
    const out = k.exportBytes();
    out.fill(1);
    expect(toHex(k.exportBytes())).toBe(toHex(SECRET));
  });

  it('rejects an unsupported etype with ERR_CRYPTO_ETYPE', () => {
    expect(() => Key.fromBytes(16, new Uint8Array(24))).toThrow(expect.objectContaining({ code: 'ERR_CRYPTO_ETYPE' }));
  });

  it('rejects a wrong length with ERR_CRYPTO_KEY', () => {
    expect(() => Key.fromBytes(18, new Uint8Array(16))).toThrow(expect.objectContaining({ code: 'ERR_CRYPTO_KEY' }));
    expect(() => Key.fromBytes(17, new Uint8Array(32))).toThrow(expect.objectContaining({ code: 'ERR_CRYPTO_KEY' }));
  });
});

describe('enctype names and table', () => {
  it('uses MIT names, etype-<n> for unknown', () => {
    expect(etypeName(18)).toBe('aes256-cts-hmac-sha1-96');
    expect(etypeName(23)).toBe('arcfour-hmac');
    expect(etypeName(99)).toBe('etype-99');
    expect(cksumtypeName(16)).toBe('hmac-sha1-96-aes256');
    expect(cksumtypeName(-138)).toBe('hmac-md5-arcfour');
    expect(cksumtypeName(5)).toBe('cksumtype-5');
  });

  it('knows the supported etypes', () => {
    expect([1, 3, 16, 17, 18, 19, 20, 23, 24].filter(isSupportedEtype)).toEqual([17, 18, 19, 20, 23]);
  });

  it('maps each etype to its mandatory checksum (RFC 3961 §4)', () => {
    expect(mandatoryChecksumType(17)).toBe(15);
    expect(mandatoryChecksumType(18)).toBe(16);
    expect(mandatoryChecksumType(19)).toBe(19);
    expect(mandatoryChecksumType(20)).toBe(20);
    expect(mandatoryChecksumType(23)).toBe(-138);
    expect(() => mandatoryChecksumType(1)).toThrow(expect.objectContaining({ code: 'ERR_CRYPTO_ETYPE' }));
  });
});
