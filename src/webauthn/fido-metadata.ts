import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TgtbridgeError } from '../errors/index.js';

/**
 * Status reports after which an authenticator's attestation proves nothing (FIDO Metadata Service
 * v3.0 §3.1.4 AuthenticatorStatus): its roots are not trusted, whatever a profile says.
 */
const UNTRUSTWORTHY = new Set([
  'ATTESTATION_KEY_COMPROMISE', 'USER_VERIFICATION_BYPASS', 'USER_KEY_REMOTE_COMPROMISE', 'USER_KEY_PHYSICAL_COMPROMISE', 'REVOKED',
]);

export interface FidoMetadata {
  /** AAGUID → metadataStatement.description. */
  readonly names: ReadonlyMap<string, string>;
  /** AAGUID → metadataStatement.attestationRootCertificates, for authenticators in good standing. */
  readonly roots: ReadonlyMap<string, readonly X509Certificate[]>;
}

interface Entry {
  aaguid?: unknown;
  metadataStatement?: { description?: unknown; attestationRootCertificates?: unknown };
  statusReports?: unknown;
}

/**
 * Read a FIDO MDS3 BLOB payload (the decoded JSON of §3.1.6: `{ entries: [...] }`). Verifying the
 * BLOB's JWS signature is the download step's job (operator tooling), not done here.
 */
export function loadFidoMetadata(path: string): FidoMetadata {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new TgtbridgeError('ERR_CONFIG', `${path}: cannot read FIDO metadata (${(e as Error).message})`);
  }
  const entries = (doc as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) throw new TgtbridgeError('ERR_CONFIG', `${path}: no entries[] (expected an MDS3 BLOB payload)`);
  const names = new Map<string, string>();
  const roots = new Map<string, X509Certificate[]>();
  for (const [i, e] of (entries as Entry[]).entries()) {
    if (typeof e.aaguid !== 'string') continue;
    const aaguid = e.aaguid.toLowerCase();
    const st = e.metadataStatement;
    if (typeof st?.description === 'string') names.set(aaguid, st.description);
    const reports = Array.isArray(e.statusReports) ? (e.statusReports as { status?: unknown }[]) : [];
    if (reports.some((r) => typeof r.status === 'string' && UNTRUSTWORTHY.has(r.status))) continue;
    if (!Array.isArray(st?.attestationRootCertificates)) continue;
    try {
      roots.set(aaguid, (st.attestationRootCertificates as unknown[]).map((b64) => new X509Certificate(Buffer.from(String(b64), 'base64'))));
    } catch {
      throw new TgtbridgeError('ERR_CONFIG', `${path}: entries[${i}].metadataStatement.attestationRootCertificates: not a certificate`);
    }
  }
  return { names, roots };
}
