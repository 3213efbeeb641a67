import { type KeyObject, createHash, createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';

export type HashName = 'md5' | 'sha1' | 'sha256' | 'sha384';

export function hmac(hash: HashName, key: Uint8Array | KeyObject, ...parts: readonly Uint8Array[]): Buffer {
  const h = createHmac(hash, key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** A derived MAC key as a KeyObject: imported once, then cheaper per HMAC than raw bytes. */
export function macKey(bytes: Uint8Array): KeyObject {
  return createSecretKey(bytes);
}

export function digest(hash: HashName, ...parts: readonly Uint8Array[]): Buffer {
  const h = createHash(hash);
  for (const p of parts) h.update(p);
  return h.digest();
}

/**
 * Constant-time comparison of a received MAC with the expected one, after both are truncated to
 * the profile's length (RFC 3961 §5.3 "H1[1..h]"). A length mismatch is a plain false: the length
 * is public.
 */
export function macEqual(expected: Uint8Array, received: Uint8Array): boolean {
  if (expected.length !== received.length) return false;
  return timingSafeEqual(expected, received);
}
