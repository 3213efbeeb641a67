import { X509Certificate } from 'node:crypto';

const PEM_RE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function parsePemCertificates(pem: string): X509Certificate[] {
  return [...pem.matchAll(PEM_RE)].map((m) => new X509Certificate(m[0]));
}

const validAt = (c: X509Certificate, now: Date): boolean => new Date(c.validFrom) <= now && now <= new Date(c.validTo);

/**
 * Does the attestation chain x5c (leaf first, WebAuthn §8.2 "packed" attStmt) reach one of the
 * trusted roots? Each certificate must be issued and signed by the next, intermediates must be
 * CAs, everything valid at `now`; the last certificate must be a root or be signed by one. The
 * leaf's signature over authData‖clientDataHash is checked by the library before this runs.
 */
export function chainReachesRoots(x5c: readonly Uint8Array[], roots: readonly X509Certificate[], now: Date): boolean {
  if (x5c.length === 0 || roots.length === 0) return false;
  let chain: X509Certificate[];
  try {
    chain = x5c.map((der) => new X509Certificate(der));
  } catch {
    return false;
  }
  if (!chain.every((c) => validAt(c, now))) return false;
  for (let i = 0; i + 1 < chain.length; i++) {
    const child = chain[i]!;
    const parent = chain[i + 1]!;
    if (!parent.ca || !child.checkIssued(parent) || !child.verify(parent.publicKey)) return false;
  }
  const last = chain[chain.length - 1]!;
  return roots.some(
    (root) =>
      root.ca &&
      validAt(root, now) &&
      (last.fingerprint256 === root.fingerprint256 || (last.checkIssued(root) && last.verify(root.publicKey))),
  );
}
