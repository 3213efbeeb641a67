import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmac, macKey, type HashName } from '../../src/crypto/mac.js';
import { SHA1_IV, sha1Compress, sha1FinishOneBlock } from '../../src/crypto/sha1-block.js';

/** Deterministic bytes (no RNG in tests): a simple LCG. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('prepared HMAC keys against node:crypto createHmac', () => {
  const hashes: HashName[] = ['sha1', 'sha256', 'sha384', 'md5'];
  // 0 and 1 byte, a block boundary, kilobyte messages and one past the 4 KiB scratch (it grows).
  const lengths = [0, 1, 55, 56, 63, 64, 65, 1000, 1449, 5000];
  for (const hash of hashes) {
    it(`${hash}: every message length, keys shorter and longer than a block, several parts`, () => {
      for (const keyLength of [16, 32, 200]) {
        const keyBytes = bytes(keyLength, keyLength);
        const prepared = macKey(hash, keyBytes);
        for (const n of lengths) {
          const m = bytes(n, n + 7);
          const want = createHmac(hash, keyBytes).update(m).digest();
          expect(Buffer.from(hmac(hash, prepared, m))).toStrictEqual(want);
          expect(Buffer.from(hmac(hash, prepared, m.subarray(0, n >> 1), m.subarray(n >> 1)))).toStrictEqual(want);
        }
      }
    });
  }

  it('a key prepared for one hash refuses another', () => {
    expect(() => hmac('sha256', macKey('sha1', bytes(16, 1)), bytes(4, 2))).toThrow(RangeError);
  });
});

describe('sha1FinishOneBlock (the outer hash of HMAC-SHA1)', () => {
  it('equals SHA-1 of a 64-byte block and a tail of 0–55 bytes', () => {
    const first = bytes(64, 99);
    const state = Int32Array.from(SHA1_IV);
    sha1Compress(state, first);
    for (const n of [0, 1, 20, 55]) {
      const tail = bytes(n, n);
      const want = createHash('sha1').update(first).update(tail).digest();
      expect(Buffer.from(sha1FinishOneBlock(state, tail))).toStrictEqual(want);
    }
    expect(() => sha1FinishOneBlock(state, new Uint8Array(56))).toThrow(RangeError);
  });
});
