import { TgtbridgeError } from '../errors/index.js';

/**
 * Iteration count from AES s2kparams (RFC 3962 §4, RFC 8009 §4): a 4-byte big-endian number.
 *
 * Counts below the etype's default are accepted on purpose: the RFC vectors use 1, 2, 5, 50 and
 * 1200, MS-KILE §4.4 uses 1000, and the count a KDC advertises in ETYPE-INFO2 is the KDC's policy
 * (MIT refuses < 4096 unless told otherwise; we do not second-guess the realm). What we do refuse
 * is a count that would hang us: a hostile ETYPE-INFO2 could otherwise ask for billions of rounds.
 * RFC 3962 §4 reads 00 00 00 00 as 2^32, which falls under the same cap.
 */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;

export function pbkdf2Iterations(params: Uint8Array): number {
  if (params.length !== 4) {
    throw new TgtbridgeError('ERR_CRYPTO_KEY', `s2kparams must be 4 bytes, got ${params.length}`);
  }
  const count = new DataView(params.buffer, params.byteOffset, 4).getUint32(0);
  const effective = count === 0 ? 2 ** 32 : count;
  if (effective > MAX_PBKDF2_ITERATIONS) {
    throw new TgtbridgeError('ERR_CRYPTO_KEY', `s2kparams iteration count ${effective} exceeds ${MAX_PBKDF2_ITERATIONS}`);
  }
  return effective;
}

/** s2kparams for an AES iteration count: the count as 4 bytes, big-endian. */
export function iterationParams(count: number): Uint8Array {
  if (!Number.isInteger(count) || count < 0 || count > 0xffffffff) throw new RangeError('iteration count must be a uint32');
  const p = new Uint8Array(4);
  new DataView(p.buffer).setUint32(0, count);
  return p;
}
