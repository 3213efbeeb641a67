/**
 * What the passkey service keeps. Times are Date; ids and challenges base64url strings; secrets
 * (TAPs, session ids, one-time codes) are stored only as keyed hashes (see secret-hasher.ts).
 */

export const ATTESTATION_TRUST = ['none', 'self', 'trusted', 'untrusted'] as const;
export type AttestationTrust = (typeof ATTESTATION_TRUST)[number];

export interface CredentialRecord {
  /** base64url credential ID. */
  readonly id: string;
  /** objectSid of the owner: stable across renames of the account. */
  readonly userSid: string;
  /** base64url WebAuthn user handle (user.id) given at registration. */
  readonly userHandle: string;
  /** COSE_Key bytes. */
  readonly publicKey: Uint8Array;
  readonly counter: number;
  /** Backup eligibility at registration: synced (true) or device-bound (false). Must never change. */
  readonly backupEligible: boolean;
  readonly backedUp: boolean;
  readonly aaguid: string;
  readonly transports: readonly string[];
  readonly attestationFormat: string;
  readonly attestationTrust: AttestationTrust;
  readonly name: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | undefined;
}

export const CHALLENGE_PURPOSES = ['registration', 'authentication'] as const;
export type ChallengePurpose = (typeof CHALLENGE_PURPOSES)[number];

export interface ChallengeRecord {
  /** Opaque handle the browser carries back (in a cookie); the challenge itself is not the key. */
  readonly id: string;
  readonly challenge: string;
  readonly purpose: ChallengePurpose;
  /** Set for a named sign-in or a registration. */
  readonly userSid: string | undefined;
  readonly expiresAt: Date;
}

export interface TapRecord {
  readonly id: string;
  readonly userSid: string;
  readonly hash: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly usesLeft: number;
}

export type TapRedemption =
  | { readonly ok: true; readonly tap: TapRecord }
  | { readonly ok: false; readonly reason: 'invalid' | 'expired' | 'used_up' };

export interface SessionRecord {
  readonly idHash: string;
  readonly userSid: string;
  readonly method: 'passkey' | 'tap';
  readonly credentialId: string | undefined;
  readonly authTime: Date;
  readonly expiresAt: Date;
}

export interface OneTimeCodeRecord {
  readonly hash: string;
  readonly expiresAt: Date;
  /** JSON-serialisable data bound to the code (e.g. PKCE challenge, redirect URI, user). */
  readonly data: unknown;
}

export const AUDIT_KINDS = [
  'registration', 'sign_in', 'refusal', 'tap_issued', 'tap_redeemed',
  'credential_renamed', 'credential_deleted', 'sign_out', 'code_issued', 'code_redeemed', 'ticket_minted',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditEvent {
  readonly at: Date;
  readonly kind: AuditKind;
  readonly userSid: string | undefined;
  readonly credentialId: string | undefined;
  /** A stable reason code for refusals (e.g. passkey.synced_not_allowed). */
  readonly code: string | undefined;
  readonly address: string | undefined;
  readonly detail: Readonly<Record<string, unknown>> | undefined;
}

export interface StoredAuditEvent extends AuditEvent {
  readonly seq: number;
}

export interface SignInUpdate {
  readonly id: string;
  /** The counter the verification was made against: the update happens only if it is unchanged. */
  readonly expectedCounter: number;
  readonly counter: number;
  readonly backedUp: boolean;
  readonly at: Date;
}

/**
 * Narrow, async persistence port. Each method is one atomic unit, so a failed ceremony (which
 * writes nothing until every check passed) changes no stored credential, and a second node sharing
 * a PostgreSQL implementation sees the same single-use semantics.
 */
export interface Store {
  listCredentials(userSid: string): Promise<readonly CredentialRecord[]>;
  getCredential(id: string): Promise<CredentialRecord | undefined>;
  /** Insert and audit in one transaction; throws ERR_STORE_CONFLICT for a known id. */
  addCredential(credential: CredentialRecord, audit: AuditEvent): Promise<void>;
  /** Compare-and-set on the counter, plus audit, in one transaction; false if it lost a race. */
  recordSignIn(update: SignInUpdate, audit: AuditEvent): Promise<boolean>;
  renameCredential(userSid: string, id: string, name: string, audit: AuditEvent): Promise<boolean>;
  deleteCredential(userSid: string, id: string, audit: AuditEvent): Promise<boolean>;

  putChallenge(challenge: ChallengeRecord): Promise<void>;
  /** Remove and return; undefined when unknown or expired. A challenge is never returned twice. */
  takeChallenge(id: string, now: Date): Promise<ChallengeRecord | undefined>;

  addTap(tap: TapRecord, audit: AuditEvent): Promise<void>;
  /** Spend one use of the TAP with this hash, atomically. */
  redeemTap(hash: string, now: Date): Promise<TapRedemption>;
  listTaps(userSid: string): Promise<readonly TapRecord[]>;

  putSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string, now: Date): Promise<SessionRecord | undefined>;
  deleteSession(idHash: string): Promise<void>;

  putOneTimeCode(code: OneTimeCodeRecord): Promise<void>;
  /** Single-use: remove and return; undefined when unknown or expired. */
  takeOneTimeCode(hash: string, now: Date): Promise<OneTimeCodeRecord | undefined>;

  /** Remember `key` until `expiresAt`; true the first time, false for a replay. */
  rememberOnce(key: string, expiresAt: Date, now: Date): Promise<boolean>;

  appendAudit(event: AuditEvent): Promise<void>;
  listAudit(filter: { readonly userSid?: string; readonly limit: number }): Promise<readonly StoredAuditEvent[]>;

  purgeExpired(now: Date): Promise<void>;
  close(): Promise<void>;
}
