/**
 * Schema migrations, applied in order; `schema_version` records the last one applied. A
 * migration is never edited after release: a change is a new entry.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE credentials (
    id TEXT PRIMARY KEY,
    user_sid TEXT NOT NULL,
    user_handle TEXT NOT NULL,
    public_key BLOB NOT NULL,
    counter INTEGER NOT NULL CHECK (counter >= 0),
    backup_eligible INTEGER NOT NULL CHECK (backup_eligible IN (0, 1)),
    backed_up INTEGER NOT NULL CHECK (backed_up IN (0, 1)),
    aaguid TEXT NOT NULL,
    transports TEXT NOT NULL,
    attestation_format TEXT NOT NULL,
    attestation_trust TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
  );
  CREATE INDEX credentials_user ON credentials (user_sid);

  CREATE TABLE taps (
    id TEXT PRIMARY KEY,
    user_sid TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    uses_left INTEGER NOT NULL CHECK (uses_left >= 0)
  );

  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_sid TEXT NOT NULL,
    method TEXT NOT NULL,
    credential_id TEXT,
    auth_time INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );

  CREATE TABLE one_time_codes (
    hash TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL,
    data TEXT NOT NULL
  );

  CREATE TABLE replay_cache (
    key TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  );

  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    user_sid TEXT,
    credential_id TEXT,
    code TEXT,
    address TEXT,
    detail TEXT
  );
  CREATE INDEX audit_user ON audit (user_sid, seq);
  -- Append-only: the database itself refuses to rewrite history.
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
  `,
];

/**
 * Challenges of the embedded store live in an attached in-memory database: they are single-use
 * and expire within minutes, only the serving process uses them, and losing them on restart only
 * means starting the ceremony again. Keeping them off disk saves two WAL commits per sign-in. A
 * shared (PostgreSQL) store for several nodes keeps them in the shared database instead.
 */
export const VOLATILE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS volatile.challenges (
    id TEXT PRIMARY KEY,
    challenge TEXT NOT NULL,
    purpose TEXT NOT NULL,
    user_sid TEXT,
    expires_at INTEGER NOT NULL
  );
`;
