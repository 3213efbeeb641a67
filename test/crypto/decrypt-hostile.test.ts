import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Key, decrypt, encrypt, ntHashKey } from '../../src/crypto/index.js';
import { IntegrityError } from '../../src/errors/index.js';
import { toHex } from '../../src/util/index.js';

/** Ciphertext comes off the wire: whatever it is, decrypt either returns or throws IntegrityError. */
const KEYS = [
  Key.fromBytes(17, new Uint8Array(randomBytes(16))),
  Key.fromBytes(18, new Uint8Array(randomBytes(32))),
  Key.fromBytes(19, new Uint8Array(randomBytes(16))),
  Key.fromBytes(20, new Uint8Array(randomBytes(32))),
  ntHashKey(new Uint8Array(randomBytes(16))),
];

describe('decrypt on hostile input', () => {
  for (const key of KEYS) {
    it(`${key}: random bytes of every length 0..100 only ever give IntegrityError`, () => {
      for (let len = 0; len <= 100; len++) {
        const ct = new Uint8Array(randomBytes(len));
        let thrown: unknown;
        try {
          decrypt(key, 2, ct);
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(IntegrityError);
      }
    });
  }

  it('leaves the ciphertext it was given untouched', () => {
    for (const key of KEYS.slice(0, 4)) {
      for (const len of [0, 5, 16, 1024]) {
        const ct = encrypt(key, 11, new Uint8Array(len).fill(3));
        const before = toHex(ct);
        decrypt(key, 11, ct);
        expect(toHex(ct)).toBe(before);
      }
    }
  });

  it('keeps working on the same key after failures (no state left behind)', () => {
    for (const key of KEYS.slice(0, 4)) {
      const pt = new Uint8Array(randomBytes(45));
      const ct = encrypt(key, 3, pt);
      for (let i = 0; i < 5; i++) expect(() => decrypt(key, 3, new Uint8Array(randomBytes(61)))).toThrow(IntegrityError);
      expect(toHex(decrypt(key, 3, ct))).toBe(toHex(pt));
    }
  });
});
