import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesCtsDecrypt, aesCtsEncrypt } from '../../src/crypto/aes-cts.js';
import { toHex } from '../../src/util/index.js';
import { hex, loadFixture } from './fixtures.js';

interface CtsVectors {
  cts: { key: string; iv: string; vectors: { input: string; output: string; nextIv: string }[] };
}

describe('AES-CBC-CTS (RFC 3962 §5, Appendix B)', () => {
  const { cts } = loadFixture<CtsVectors>('rfc3962-appendix-b.json');
  const key = hex(cts.key);
  const iv = hex(cts.iv);

  it('has the six Appendix B vectors', () => expect(cts.vectors).toHaveLength(6));

  for (const v of cts.vectors) {
    const input = hex(v.input);
    it(`${input.length}-byte input encrypts to the RFC output and next IV`, () => {
      const r = aesCtsEncrypt(key, input, iv);
      expect(toHex(r.output)).toBe(toHex(hex(v.output)));
      expect(toHex(r.nextIv)).toBe(toHex(hex(v.nextIv)));
    });
    it(`${input.length}-byte RFC output decrypts back, same next IV`, () => {
      const r = aesCtsDecrypt(key, hex(v.output), iv);
      expect(toHex(r.output)).toBe(toHex(input));
      expect(toHex(r.nextIv)).toBe(toHex(hex(v.nextIv)));
    });
  }

  it('round-trips every length from 16 to 80 bytes with a 256-bit key', () => {
    const k = new Uint8Array(randomBytes(32));
    for (let n = 16; n <= 80; n++) {
      const p = new Uint8Array(randomBytes(n));
      const c = aesCtsEncrypt(k, p).output;
      expect(c.length).toBe(n);
      expect(toHex(aesCtsDecrypt(k, c).output)).toBe(toHex(p));
    }
  });

  it('refuses to decrypt less than one block', () => {
    expect(() => aesCtsDecrypt(key, new Uint8Array(15))).toThrow(RangeError);
  });
});
