import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { TgtbridgeError } from '../errors/index.js';
import { MIGRATIONS, VOLATILE_SCHEMA } from './migrations.js';
import type {
  AttestationTrust, AuditEvent, AuditKind, ChallengePurpose, ChallengeRecord, CredentialRecord, OneTimeCodeRecord,
  SessionRecord, SignInUpdate, StoredAuditEvent, Store, TapRecord, TapRedemption,
} from './types.js';

type Row = Record<string, unknown>;
const ms = (d: Date): number => d.getTime();
const date = (v: unknown): Date => new Date(Number(v));
const optDate = (v: unknown): Date | undefined => (v === null || v === undefined ? undefined : date(v));
const optStr = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

function credentialFromRow(r: Row): CredentialRecord {
  return {
    id: String(r['id']),
    userSid: String(r['user_sid']),
    userHandle: String(r['user_handle']),
    publicKey: new Uint8Array(r['public_key'] as Buffer),
    counter: Number(r['counter']),
    backupEligible: r['backup_eligible'] === 1,
    backedUp: r['backed_up'] === 1,
    aaguid: String(r['aaguid']),
    transports: JSON.parse(String(r['transports'])) as string[],
    attestationFormat: String(r['attestation_format']),
    attestationTrust: String(r['attestation_trust']) as AttestationTrust,
    name: String(r['name']),
    createdAt: date(r['created_at']),
    lastUsedAt: optDate(r['last_used_at']),
  };
}

function tapFromRow(r: Row): TapRecord {
  return {
    id: String(r['id']), userSid: String(r['user_sid']), hash: String(r['hash']),
    createdAt: date(r['created_at']), expiresAt: date(r['expires_at']), usesLeft: Number(r['uses_left']),
  };
}

/**
 * The embedded Store: one SQLite file (WAL mode) in the data directory. better-sqlite3 is
 * synchronous, so each method body runs without interleaving; transactions make multi-row
 * changes atomic.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;

  private readonly statements = new Map<string, Database.Statement>();

  private constructor(db: Database.Database) {
    this.db = db;
  }

  /** Prepared once per SQL text: preparing costs more than running these small statements. */
  private sql(text: string): Database.Statement {
    let st = this.statements.get(text);
    if (!st) {
      st = this.db.prepare(text);
      this.statements.set(text, st);
    }
    return st;
  }

  /** Open (creating and migrating) `<dataDir>/tgtbridge.sqlite`; `:memory:` for tests. */
  static open(dataDir: string | ':memory:'): SqliteStore {
    let db: Database.Database;
    if (dataDir === ':memory:') {
      db = new Database(':memory:');
    } else {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      db = new Database(join(dataDir, 'tgtbridge.sqlite'));
      db.pragma('journal_mode = WAL');
      // WAL + NORMAL: a commit is atomic and the file never corrupts; only the last commits
      // before a power loss (not a process crash) may be lost. One fsync per checkpoint instead
      // of per sign-in.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    db.exec(`ATTACH DATABASE ':memory:' AS volatile`);
    db.exec(VOLATILE_SCHEMA);
    return new SqliteStore(db);
  }

  schemaVersion(): number {
    return Number((this.sql('SELECT max(version) AS v FROM schema_version').get() as Row)['v']);
  }

  async listCredentials(userSid: string): Promise<readonly CredentialRecord[]> {
    return (this.sql('SELECT * FROM credentials WHERE user_sid = ? ORDER BY created_at, id').all(userSid) as Row[]).map(credentialFromRow);
  }

  async getCredential(id: string): Promise<CredentialRecord | undefined> {
    const r = this.sql('SELECT * FROM credentials WHERE id = ?').get(id) as Row | undefined;
    return r && credentialFromRow(r);
  }

  async addCredential(c: CredentialRecord, audit: AuditEvent): Promise<void> {
    this.db.transaction(() => {
      if (this.sql('SELECT 1 FROM credentials WHERE id = ?').get(c.id)) {
        throw new TgtbridgeError('ERR_STORE_CONFLICT', 'a credential with this id is already registered');
      }
      this.sql(`INSERT INTO credentials VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`).run(
        c.id, c.userSid, c.userHandle, Buffer.from(c.publicKey), c.counter, c.backupEligible ? 1 : 0, c.backedUp ? 1 : 0,
        c.aaguid, JSON.stringify(c.transports), c.attestationFormat, c.attestationTrust, c.name, ms(c.createdAt),
        c.lastUsedAt ? ms(c.lastUsedAt) : null,
      );
      this.insertAudit(audit);
    })();
  }

  async recordSignIn(u: SignInUpdate, audit: AuditEvent): Promise<boolean> {
    return this.db.transaction(() => {
      const res = this.db
        .prepare('UPDATE credentials SET counter = ?, backed_up = ?, last_used_at = ? WHERE id = ? AND counter = ?')
        .run(u.counter, u.backedUp ? 1 : 0, ms(u.at), u.id, u.expectedCounter);
      if (res.changes !== 1) return false;
      this.insertAudit(audit);
      return true;
    })();
  }

  async renameCredential(userSid: string, id: string, name: string, audit: AuditEvent): Promise<boolean> {
    return this.db.transaction(() => {
      const res = this.sql('UPDATE credentials SET name = ? WHERE id = ? AND user_sid = ?').run(name, id, userSid);
      if (res.changes === 1) this.insertAudit(audit);
      return res.changes === 1;
    })();
  }

  async deleteCredential(userSid: string, id: string, audit: AuditEvent): Promise<boolean> {
    return this.db.transaction(() => {
      const res = this.sql('DELETE FROM credentials WHERE id = ? AND user_sid = ?').run(id, userSid);
      if (res.changes === 1) this.insertAudit(audit);
      return res.changes === 1;
    })();
  }

  async putChallenge(c: ChallengeRecord): Promise<void> {
    this.sql('INSERT INTO volatile.challenges VALUES (?,?,?,?,?)').run(c.id, c.challenge, c.purpose, c.userSid ?? null, ms(c.expiresAt));
  }

  async takeChallenge(id: string, now: Date): Promise<ChallengeRecord | undefined> {
    // DELETE … RETURNING: fetching and consuming are one statement, so no second caller sees it.
    const r = this.sql('DELETE FROM volatile.challenges WHERE id = ? RETURNING *').get(id) as Row | undefined;
    if (!r || Number(r['expires_at']) <= ms(now)) return undefined;
    return {
      id: String(r['id']), challenge: String(r['challenge']), purpose: String(r['purpose']) as ChallengePurpose,
      userSid: optStr(r['user_sid']), expiresAt: date(r['expires_at']),
    };
  }

  async addTap(t: TapRecord, audit: AuditEvent): Promise<void> {
    this.db.transaction(() => {
      this.sql('INSERT INTO taps VALUES (?,?,?,?,?,?)').run(t.id, t.userSid, t.hash, ms(t.createdAt), ms(t.expiresAt), t.usesLeft);
      this.insertAudit(audit);
    })();
  }

  async redeemTap(hash: string, now: Date): Promise<TapRedemption> {
    return this.db.transaction((): TapRedemption => {
      const r = this.sql('SELECT * FROM taps WHERE hash = ?').get(hash) as Row | undefined;
      if (!r) return { ok: false, reason: 'invalid' };
      const tap = tapFromRow(r);
      if (ms(tap.expiresAt) <= ms(now)) return { ok: false, reason: 'expired' };
      if (tap.usesLeft <= 0) return { ok: false, reason: 'used_up' };
      this.sql('UPDATE taps SET uses_left = uses_left - 1 WHERE id = ?').run(tap.id);
      return { ok: true, tap: { ...tap, usesLeft: tap.usesLeft - 1 } };
    })();
  }

  async listTaps(userSid: string): Promise<readonly TapRecord[]> {
    return (this.sql('SELECT * FROM taps WHERE user_sid = ? ORDER BY created_at').all(userSid) as Row[]).map(tapFromRow);
  }

  async putSession(s: SessionRecord): Promise<void> {
    this.sql('INSERT INTO sessions VALUES (?,?,?,?,?,?)').run(s.idHash, s.userSid, s.method, s.credentialId ?? null, ms(s.authTime), ms(s.expiresAt));
  }

  async getSession(idHash: string, now: Date): Promise<SessionRecord | undefined> {
    const r = this.sql('SELECT * FROM sessions WHERE id_hash = ? AND expires_at > ?').get(idHash, ms(now)) as Row | undefined;
    if (!r) return undefined;
    return {
      idHash: String(r['id_hash']), userSid: String(r['user_sid']), method: String(r['method']) as SessionRecord['method'],
      credentialId: optStr(r['credential_id']), authTime: date(r['auth_time']), expiresAt: date(r['expires_at']),
    };
  }

  async deleteSession(idHash: string): Promise<void> {
    this.sql('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  async putOneTimeCode(c: OneTimeCodeRecord): Promise<void> {
    this.sql('INSERT INTO one_time_codes VALUES (?,?,?)').run(c.hash, ms(c.expiresAt), JSON.stringify(c.data));
  }

  async takeOneTimeCode(hash: string, now: Date): Promise<OneTimeCodeRecord | undefined> {
    const r = this.sql('DELETE FROM one_time_codes WHERE hash = ? RETURNING *').get(hash) as Row | undefined;
    if (!r || Number(r['expires_at']) <= ms(now)) return undefined;
    return { hash: String(r['hash']), expiresAt: date(r['expires_at']), data: JSON.parse(String(r['data'])) as unknown };
  }

  async rememberOnce(key: string, expiresAt: Date, now: Date): Promise<boolean> {
    return this.db.transaction(() => {
      this.sql('DELETE FROM replay_cache WHERE key = ? AND expires_at <= ?').run(key, ms(now));
      return this.sql('INSERT OR IGNORE INTO replay_cache VALUES (?,?)').run(key, ms(expiresAt)).changes === 1;
    })();
  }

  async appendAudit(e: AuditEvent): Promise<void> {
    this.insertAudit(e);
  }

  async listAudit(filter: { readonly userSid?: string; readonly limit: number }): Promise<readonly StoredAuditEvent[]> {
    const rows = (filter.userSid === undefined
      ? this.sql('SELECT * FROM audit ORDER BY seq DESC LIMIT ?').all(filter.limit)
      : this.sql('SELECT * FROM audit WHERE user_sid = ? ORDER BY seq DESC LIMIT ?').all(filter.userSid, filter.limit)) as Row[];
    return rows.map((r) => ({
      seq: Number(r['seq']), at: date(r['at']), kind: String(r['kind']) as AuditKind, userSid: optStr(r['user_sid']),
      credentialId: optStr(r['credential_id']), code: optStr(r['code']), address: optStr(r['address']),
      detail: r['detail'] === null ? undefined : (JSON.parse(String(r['detail'])) as Record<string, unknown>),
    }));
  }

  async purgeExpired(now: Date): Promise<void> {
    const t = ms(now);
    this.db.transaction(() => {
      for (const table of ['volatile.challenges', 'sessions', 'one_time_codes', 'replay_cache']) {
        this.sql(`DELETE FROM ${table} WHERE expires_at <= ?`).run(t);
      }
    })();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private insertAudit(e: AuditEvent): void {
    this.sql('INSERT INTO audit (at, kind, user_sid, credential_id, code, address, detail) VALUES (?,?,?,?,?,?,?)').run(
      ms(e.at), e.kind, e.userSid ?? null, e.credentialId ?? null, e.code ?? null, e.address ?? null,
      e.detail === undefined ? null : JSON.stringify(e.detail),
    );
  }
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const current = Number((db.prepare('SELECT coalesce(max(version), 0) AS v FROM schema_version').get() as Row)['v']);
  if (current > MIGRATIONS.length) {
    throw new TgtbridgeError('ERR_STORE', `database schema version ${current} is newer than this tgtbridge (${MIGRATIONS.length})`);
  }
  for (let v = current + 1; v <= MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v - 1]!);
      db.prepare('INSERT INTO schema_version VALUES (?, ?)').run(v, Date.now());
    })();
  }
}
