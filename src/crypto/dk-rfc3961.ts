import { AesCbc } from './aes-cts.js';
import { nFold } from './n-fold.js';

/**
 * RFC 3961 §5.1 key derivation for the AES profiles of RFC 3962:
 *
 *   DR(Key, Constant) = k-truncate(K1 ‖ K2 ‖ …), K1 = E(Key, n-fold(Constant)), Ki+1 = E(Key, Ki)
 *   DK(Key, Constant) = random-to-key(DR(Key, Constant))
 *
 * E is the profile's encryption with a zero IV; on exactly one block AES-CTS is one AES block
 * operation. random-to-key is the identity for AES (RFC 3962 §6), so DK = DR here.
 */
export function deriveKeyRfc3961(baseKey: Uint8Array | AesCbc, constant: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  // A base key deriving several keys (Ke, Ki, Kc of each usage) passes its AES context, made once.
  const aes = baseKey instanceof AesCbc ? baseKey : new AesCbc(baseKey);
  let block = foldedConstant(constant);
  for (let at = 0; at < length; at += 16) {
    block = aes.encryptBlock(block);
    out.set(block.subarray(0, Math.min(16, length - at)), at);
  }
  return out;
}

/**
 * n-fold(constant) to one AES block (RFC 3961 §5.1: a constant already one block long is used as
 * is). The constants are the few usage/purpose and string constants of the profiles, so each is
 * folded once and kept.
 */
const folded = new Map<string, Uint8Array>();

function foldedConstant(constant: Uint8Array): Uint8Array {
  if (constant.length === 16) return constant.slice();
  const id = String.fromCharCode(...constant);
  let f = folded.get(id);
  if (f === undefined) {
    f = nFold(constant, 16);
    if (folded.size >= 4096) folded.clear();
    folded.set(id, f);
  }
  return f.slice();
}

/** The 5-byte constant RFC 3961 §5.3 derives Kc/Ke/Ki from: usage (32-bit big-endian) ‖ purpose. */
export function usageConstant(usage: number, purpose: number): Uint8Array {
  const c = new Uint8Array(5);
  new DataView(c.buffer).setUint32(0, usage >>> 0);
  c[4] = purpose;
  return c;
}

/** RFC 3961 §5.3 purpose bytes. */
export const DERIVE_PURPOSE = { CHECKSUM: 0x99, ENCRYPTION: 0xaa, INTEGRITY: 0x55 } as const;
