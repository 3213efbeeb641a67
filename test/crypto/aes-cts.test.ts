import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AesCbc, aesCtsDecrypt, aesCtsEncrypt, ctsNextIv } from '../../src/crypto/aes-cts.js';
import { toHex } from '../../src/util/index.js';
import { hex, loadFixture } from './fixtures.js';

interface CtsVectors {
  cts: { key: string; iv: string; vectors: { input: string; output: string; nextIv: string }[] };
}

describe('AES-CBC-CTS (RFC 3962 §5, Appendix B)', () => {
  const { cts } = loadFixture<CtsVectors>('rfc3962-appendix-b.json');
  const key = new AesCbc(hex(cts.key));
  const iv = hex(cts.iv);

  it('has the six Appendix B vectors', () => expect(cts.vectors).toHaveLength(6));

  for (const v of cts.vectors) {
    const input = hex(v.input);
    it(`${input.length}-byte input encrypts to the RFC output and next IV`, () => {
      const output = aesCtsEncrypt(key, input, iv);
      expect(toHex(output)).toBe(toHex(hex(v.output)));
      expect(toHex(ctsNextIv(output))).toBe(toHex(hex(v.nextIv)));
    });
    it(`${input.length}-byte RFC output decrypts back`, () => {
      expect(toHex(aesCtsDecrypt(key, hex(v.output), iv))).toBe(toHex(input));
    });
  }

  it('round-trips every length from 16 to 80 bytes with a 256-bit key', () => {
    const k = new AesCbc(new Uint8Array(randomBytes(32)));
    for (let n = 16; n <= 80; n++) {
      const p = new Uint8Array(randomBytes(n));
      const c = aesCtsEncrypt(k, p);
      expect(c.length).toBe(n);
      expect(toHex(aesCtsDecrypt(k, c))).toBe(toHex(p));
    }
  });

  it('refuses to decrypt less than one block', () => {
    expect(() => aesCtsDecrypt(key, new Uint8Array(15))).toThrow(RangeError);
  });

  it('one long-lived AesCbc gives what a fresh CBC context gives, call after call, any IV', () => {
    // AesCbc reuses one OpenSSL context per direction and corrects the first block for the
    // chaining state; interleave calls with random IVs and lengths and compare with fresh contexts.
    for (const keyLength of [16, 32]) {
      const k = new Uint8Array(randomBytes(keyLength));
      const name = keyLength === 16 ? 'aes-128-cbc' : 'aes-256-cbc';
      const cbc = new AesCbc(k);
      for (let i = 0; i < 50; i++) {
        const iv = i % 3 === 0 ? new Uint8Array(16) : new Uint8Array(randomBytes(16));
        const p = new Uint8Array(randomBytes(16 * (1 + (i % 7))));
        const fresh = createCipheriv(name, k, iv).setAutoPadding(false).update(p);
        expect(toHex(cbc.encryptInPlace(Uint8Array.from(p), iv))).toBe(toHex(fresh));
        const back = createDecipheriv(name, k, iv).setAutoPadding(false).update(fresh);
        expect(toHex(cbc.decrypt(fresh, iv))).toBe(toHex(back));
      }
    }
  });

  it('AesCbc refuses partial blocks and bad key sizes', () => {
    expect(() => new AesCbc(new Uint8Array(24))).toThrow(RangeError);
    expect(() => key.encryptInPlace(new Uint8Array(17), iv)).toThrow(RangeError);
    expect(() => key.decrypt(new Uint8Array(0), iv)).toThrow(RangeError);
  });
});
