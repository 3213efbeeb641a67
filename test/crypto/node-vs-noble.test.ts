import { createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/util/index.js';

/**
 * The profiles run on node:crypto; @noble/hashes is an independent implementation. Agreement on
 * random inputs guards against a wrong algorithm name or truncation in one of them.
 */
const HASHES = [
  ['sha1', sha1],
  ['sha256', sha256],
  ['sha384', sha384],
] as const;

describe('node:crypto and @noble/hashes agree', () => {
  for (const [name, noble] of HASHES) {
    it(`HMAC-${name} on 200 random key/message pairs`, () => {
      for (let i = 0; i < 200; i++) {
        const key = new Uint8Array(randomBytes(1 + (i % 80)));
        const msg = new Uint8Array(randomBytes(i * 7));
        expect(toHex(createHmac(name, key).update(msg).digest())).toBe(toHex(hmac(noble, key, msg)));
      }
    });
    it(`PBKDF2-HMAC-${name} on random passwords and salts`, () => {
      for (let i = 0; i < 10; i++) {
        const pw = new Uint8Array(randomBytes(i * 9));
        const salt = new Uint8Array(randomBytes(1 + i * 5));
        const c = 1 + i * 37;
        const dkLen = i % 2 === 0 ? 16 : 32;
        expect(toHex(pbkdf2Sync(pw, salt, c, dkLen, name))).toBe(toHex(pbkdf2(noble, pw, salt, { c, dkLen })));
      }
    });
  }
});
