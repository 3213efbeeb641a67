export { SqliteStore } from './sqlite-store.js';
export { hmacSecretHasher, loadServerSecret, type SecretHasher } from './secret-hasher.js';
export { MIGRATIONS } from './migrations.js';
export {
  ATTESTATION_TRUST,
  AUDIT_KINDS,
  CHALLENGE_PURPOSES,
  type AttestationTrust,
  type AuditEvent,
  type AuditKind,
  type ChallengePurpose,
  type ChallengeRecord,
  type CredentialRecord,
  type OneTimeCodeRecord,
  type SessionRecord,
  type SignInUpdate,
  type StoredAuditEvent,
  type Store,
  type TapRecord,
  type TapRedemption,
} from './types.js';
