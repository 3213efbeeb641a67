import { randomFillSync } from 'node:crypto';

/**
 * Ports through which time and randomness enter protocol code (CONVENTIONS.md §5), so every path
 * can be driven deterministically by passing another implementation. No test hooks in here.
 */
export interface Clock {
  now(): Date;
}

export interface RandomSource {
  bytes(length: number): Uint8Array;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * node:crypto's CSPRNG, drawn 4 KiB at a time. Each call into OpenSSL's RAND_bytes costs a few
 * microseconds whatever the size; per-call draws of 16-byte confounders and 32-byte session keys
 * were about a fifth of encrypting a ticket and a visible share of a TGS-REQ under --cpu-prof.
 * Bytes handed out are copies and are wiped from the pool; large requests bypass it.
 */
const POOL_SIZE = 4096;
const POOL_BYPASS = 256;
let pool = new Uint8Array(0);
let poolOffset = 0;

export const systemRandom: RandomSource = {
  bytes(length: number): Uint8Array {
    if (!Number.isInteger(length) || length < 0) throw new RangeError('random length must be a non-negative integer');
    if (length > POOL_BYPASS) return randomFillSync(new Uint8Array(length));
    if (poolOffset + length > pool.length) {
      pool = randomFillSync(new Uint8Array(POOL_SIZE));
      poolOffset = 0;
    }
    const out = pool.slice(poolOffset, poolOffset + length);
    pool.fill(0, poolOffset, poolOffset + length);
    poolOffset += length;
    return out;
  },
};

/** A clock that always answers the given time. */
export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}
