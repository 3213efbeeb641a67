import { randomFillSync } from 'node:crypto';
import type { RandomSource } from '../../util/index.js';

/**
 * A RandomSource over node:crypto's CSPRNG that draws 4 KiB at a time. A KDC asks for randomness
 * several times per request (confounders of three encryptions, the session key); each OpenSSL call
 * costs microseconds whatever the size, so per-call draws were a visible share of a TGS-REQ in
 * --cpu-prof. Bytes handed out are copies and are wiped from the pool.
 */
export function pooledRandomSource(poolSize = 4096): RandomSource {
  let pool = new Uint8Array(0);
  let offset = 0;
  return {
    bytes(length: number): Uint8Array {
      if (length > poolSize / 4) return randomFillSync(new Uint8Array(length));
      if (offset + length > pool.length) {
        pool = randomFillSync(new Uint8Array(poolSize));
        offset = 0;
      }
      const out = pool.slice(offset, offset + length);
      pool.fill(0, offset, offset + length);
      offset += length;
      return out;
    },
  };
}
