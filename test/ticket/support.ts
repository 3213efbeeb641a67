import { createHash } from 'node:crypto';
import { Key } from '../../src/crypto/index.js';
import { fixedClock, type RandomSource } from '../../src/util/index.js';

/** Deterministic bytes: SHA-256 of a seed and a counter, so every run builds the same tickets. */
export function seededRandom(seed = 'tgtbridge'): RandomSource {
  let n = 0;
  return {
    bytes(length) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i += 32) {
        const block = createHash('sha256').update(`${seed}/${n++}`).digest();
        out.set(block.subarray(0, Math.min(32, length - i)), i);
      }
      return out;
    },
  };
}

export const AUTHTIME = new Date('2026-11-27T12:00:00Z');
export const clock = fixedClock(new Date(AUTHTIME.getTime() + 250)); // sub-second part must be dropped

export function aes256(fill: number): Key {
  return Key.fromBytes(18, new Uint8Array(32).fill(fill));
}

export const DOMAIN_SID = 'S-1-5-21-3623811015-3361044348-30300820';
export const ALICE = { samAccountName: 'alice', sid: `${DOMAIN_SID}-1104`, dnsDomain: 'demo.test', netbiosDomain: 'DEMO' } as const;
