import { createHash, randomBytes } from 'node:crypto';

/**
 * The agent's half of PKCE (RFC 7636 §4.1, §4.2): a verifier of 32 random octets, base64url
 * (43 characters — the RFC's recommended construction), and its S256 challenge. The bridge
 * implements the check separately (src/bridge/device/pkce.ts); tests hold both to the RFC's
 * Appendix B vector.
 */
export interface Pkce {
  readonly verifier: string;
  readonly challenge: string;
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function newPkce(random: (n: number) => Uint8Array = (n) => randomBytes(n)): Pkce {
  const verifier = Buffer.from(random(32)).toString('base64url');
  return { verifier, challenge: s256(verifier) };
}

/** `state` (RFC 6749 §10.12): 128 random bits the redirect must bring back unchanged. */
export function newState(random: (n: number) => Uint8Array = (n) => randomBytes(n)): string {
  return Buffer.from(random(16)).toString('base64url');
}
