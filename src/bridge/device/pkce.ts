import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * PKCE, S256 only (RFC 7636). `plain` is refused: it sends the verifier itself through the
 * browser, which is what PKCE exists to avoid (§4.2, §7.2).
 */
export const CODE_CHALLENGE_METHOD = 'S256' as const;

/** §4.2: BASE64URL(SHA256(verifier)), no padding: always 43 characters. */
export const CODE_CHALLENGE_SYNTAX = /^[A-Za-z0-9_-]{43}$/;

/** §4.1: code-verifier = 43*128unreserved; unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~". */
export const CODE_VERIFIER_SYNTAX = /^[A-Za-z0-9._~-]{43,128}$/;

/** §4.2: code_challenge = BASE64URL-ENCODE(SHA256(ASCII(code_verifier))). */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * §4.6: the server recomputes the challenge from the verifier and compares. Constant time, so the
 * comparison leaks nothing of the stored challenge.
 */
export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!CODE_VERIFIER_SYNTAX.test(verifier) || !CODE_CHALLENGE_SYNTAX.test(challenge)) return false;
  return timingSafeEqual(Buffer.from(s256Challenge(verifier), 'ascii'), Buffer.from(challenge, 'ascii'));
}
