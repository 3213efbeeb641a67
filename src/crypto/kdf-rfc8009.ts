import { hmac } from './mac.js';

/**
 * KDF-HMAC-SHA2, RFC 8009 §3 (NIST SP 800-108 counter mode, one iteration):
 *
 *   KDF-HMAC-SHA2(key, label, [context,] k) = k-truncate(K1)
 *   K1 = HMAC-SHA-256|384(key, 00 00 00 01 ‖ label ‖ 00 ‖ [context ‖] k)
 *
 * with k, the output length in bits, as a 4-byte big-endian number. RFC 8009 never asks for more
 * bits than one HMAC gives (at most 256 from SHA-256 and 384 from SHA-384), so one block suffices.
 */
export type Rfc8009Hash = 'sha256' | 'sha384';

const HASH_BITS: Readonly<Record<Rfc8009Hash, number>> = { sha256: 256, sha384: 384 };
const COUNTER_ONE = new Uint8Array([0, 0, 0, 1]);
const SEPARATOR = new Uint8Array([0]);

export function kdfHmacSha2(
  hash: Rfc8009Hash,
  key: Uint8Array,
  label: Uint8Array,
  context: Uint8Array,
  bits: number,
): Uint8Array {
  if (bits % 8 !== 0 || bits <= 0 || bits > HASH_BITS[hash]) throw new RangeError('kdfHmacSha2: bad output length');
  const k = new Uint8Array(4);
  new DataView(k.buffer).setUint32(0, bits);
  const k1 = hmac(hash, key, COUNTER_ONE, label, SEPARATOR, context, k);
  return new Uint8Array(k1.subarray(0, bits / 8));
}
