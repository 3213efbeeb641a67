import { randomFillSync } from 'node:crypto';
import type { RandomSource } from '../util/index.js';

/**
 * The default RandomSource for confounders and keys: node:crypto's CSPRNG, drawn 4 KiB at a time.
 *
 * Each call into OpenSSL's RAND_bytes costs a few microseconds regardless of size, which made a
 * 16-byte confounder the single largest cost of encrypting a ticket (measured with --cpu-prof:
 * about a fifth of encrypt+decrypt of 1 KiB). Node pools randomUUID() for the same reason.
 * Bytes handed out are copies and are wiped from the pool; large requests bypass it.
 */
const POOL_SIZE = 4096;
const LARGE = 256;

let pool = new Uint8Array(0);
let offset = 0;

export const pooledRandom: RandomSource = {
  bytes(length: number): Uint8Array {
    if (!Number.isInteger(length) || length < 0) throw new RangeError('random length must be a non-negative integer');
    if (length > LARGE) return randomFillSync(new Uint8Array(length));
    if (offset + length > pool.length) {
      pool = randomFillSync(new Uint8Array(POOL_SIZE));
      offset = 0;
    }
    const out = pool.slice(offset, offset + length);
    pool.fill(0, offset, offset + length);
    offset += length;
    return out;
  },
};
