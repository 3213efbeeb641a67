import type { DirectoryUser } from '../directory/index.js';
import type { CredentialRecord } from '../store/index.js';
import type { AaguidNames } from '../webauthn/index.js';

/** Shape of one passkey as the Security info page and the API show it. */
export function credentialView(c: CredentialRecord, names: AaguidNames) {
  return {
    id: c.id, name: c.name, type: c.backupEligible ? 'synced' : 'deviceBound', backedUp: c.backedUp,
    aaguid: c.aaguid, authenticator: names.get(c.aaguid) ?? null, attestation: c.attestationTrust,
    createdAt: c.createdAt.toISOString(), lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
  };
}

export function userView(u: DirectoryUser) {
  return { sAMAccountName: u.sAMAccountName, userPrincipalName: u.userPrincipalName, displayName: u.displayName };
}
