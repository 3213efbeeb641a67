import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore, hmacSecretHasher, loadServerSecret, type AuditEvent, type CredentialRecord } from '../../src/store/index.js';

const T0 = new Date('2026-11-27T10:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const audit = (kind: AuditEvent['kind'], extra: Partial<AuditEvent> = {}): AuditEvent => ({
  at: T0, kind, userSid: 'S-1-5-21-1-2-3-1104', credentialId: undefined, code: undefined, address: '127.0.0.1', detail: undefined, ...extra,
});
const cred = (id: string, counter = 0): CredentialRecord => ({
  id, userSid: 'S-1-5-21-1-2-3-1104', userHandle: 'aGFuZGxl', publicKey: new Uint8Array([1, 2, 3]), counter,
  backupEligible: false, backedUp: false, aaguid: '00000000-0000-0000-0000-000000000000', transports: ['internal'],
  attestationFormat: 'none', attestationTrust: 'none', name: 'Laptop', createdAt: T0, lastUsedAt: undefined,
});

describe('SqliteStore', () => {
  it('creates the data dir 0700 and migrates to the latest schema once', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tgtb-store-')), 'data');
    const s = SqliteStore.open(dir);
    expect(s.schemaVersion()).toBe(1);
    await s.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const again = SqliteStore.open(dir);
    expect(again.schemaVersion()).toBe(1);
    await again.close();
  });

  it('stores credentials and refuses a duplicate id without a partial write', async () => {
    const s = SqliteStore.open(':memory:');
    await s.addCredential(cred('c1'), audit('registration', { credentialId: 'c1' }));
    expect(await s.getCredential('c1')).toEqual(cred('c1'));
    await expect(s.addCredential(cred('c1'), audit('registration'))).rejects.toMatchObject({ code: 'ERR_STORE_CONFLICT' });
    expect((await s.listAudit({ limit: 10 })).length).toBe(1);
  });

  it('updates the counter only when it is still the one verified against (compare-and-set)', async () => {
    const s = SqliteStore.open(':memory:');
    await s.addCredential(cred('c1', 5), audit('registration'));
    expect(await s.recordSignIn({ id: 'c1', expectedCounter: 5, counter: 6, backedUp: true, at: at(1) }, audit('sign_in'))).toBe(true);
    expect(await s.recordSignIn({ id: 'c1', expectedCounter: 5, counter: 7, backedUp: true, at: at(2) }, audit('sign_in'))).toBe(false);
    expect(await s.getCredential('c1')).toMatchObject({ counter: 6, backedUp: true, lastUsedAt: at(1) });
    expect((await s.listAudit({ limit: 10 })).map((e) => e.kind)).toEqual(['sign_in', 'registration']);
  });

  it('renames and deletes only the owner’s credential', async () => {
    const s = SqliteStore.open(':memory:');
    await s.addCredential(cred('c1'), audit('registration'));
    expect(await s.renameCredential('S-1-5-21-9', 'c1', 'x', audit('credential_renamed'))).toBe(false);
    expect(await s.renameCredential('S-1-5-21-1-2-3-1104', 'c1', 'Key', audit('credential_renamed'))).toBe(true);
    expect((await s.getCredential('c1'))?.name).toBe('Key');
    expect(await s.deleteCredential('S-1-5-21-9', 'c1', audit('credential_deleted'))).toBe(false);
    expect(await s.deleteCredential('S-1-5-21-1-2-3-1104', 'c1', audit('credential_deleted'))).toBe(true);
    expect(await s.listCredentials('S-1-5-21-1-2-3-1104')).toEqual([]);
  });

  it('hands out a challenge once and never after expiry', async () => {
    const s = SqliteStore.open(':memory:');
    const c = { id: 'h1', challenge: 'abc', purpose: 'authentication' as const, userSid: undefined, expiresAt: at(60) };
    await s.putChallenge(c);
    expect(await s.takeChallenge('h1', at(1))).toEqual(c);
    expect(await s.takeChallenge('h1', at(1))).toBeUndefined();
    await s.putChallenge({ ...c, id: 'h2' });
    expect(await s.takeChallenge('h2', at(61))).toBeUndefined();
  });

  it('redeems TAPs: uses counted down atomically, expired and used-up told apart', async () => {
    const s = SqliteStore.open(':memory:');
    await s.addTap({ id: 't1', userSid: 'S-1-5-21-1-2-3-1104', hash: 'H', createdAt: T0, expiresAt: at(3600), usesLeft: 2 }, audit('tap_issued'));
    expect(await s.redeemTap('H', at(1))).toMatchObject({ ok: true, tap: { usesLeft: 1 } });
    expect(await s.redeemTap('H', at(2))).toMatchObject({ ok: true, tap: { usesLeft: 0 } });
    expect(await s.redeemTap('H', at(3))).toEqual({ ok: false, reason: 'used_up' });
    expect(await s.redeemTap('H', at(3600))).toEqual({ ok: false, reason: 'expired' });
    expect(await s.redeemTap('nope', at(1))).toEqual({ ok: false, reason: 'invalid' });
  });

  it('keeps sessions until expiry and deletes them on demand', async () => {
    const s = SqliteStore.open(':memory:');
    const sess = { idHash: 'sh', userSid: 'S', method: 'passkey' as const, credentialId: 'c1', authTime: T0, expiresAt: at(10) };
    await s.putSession(sess);
    expect(await s.getSession('sh', at(5))).toEqual(sess);
    expect(await s.getSession('sh', at(10))).toBeUndefined();
    await s.deleteSession('sh');
    expect(await s.getSession('sh', at(1))).toBeUndefined();
  });

  it('one-time codes are single-use and carry their bound data', async () => {
    const s = SqliteStore.open(':memory:');
    await s.putOneTimeCode({ hash: 'ch', expiresAt: at(60), data: { pkce: 'x', user: 'alice' } });
    expect((await s.takeOneTimeCode('ch', at(1)))?.data).toEqual({ pkce: 'x', user: 'alice' });
    expect(await s.takeOneTimeCode('ch', at(1))).toBeUndefined();
  });

  it('replay cache answers true once per key until the entry expires', async () => {
    const s = SqliteStore.open(':memory:');
    expect(await s.rememberOnce('k', at(10), at(0))).toBe(true);
    expect(await s.rememberOnce('k', at(20), at(5))).toBe(false);
    expect(await s.rememberOnce('k', at(30), at(10))).toBe(true);
  });

  it('audit is append-only at the database level', async () => {
    const s = SqliteStore.open(':memory:');
    await s.appendAudit(audit('refusal', { code: 'passkey.uv_required', detail: { profile: 'p' } }));
    expect((await s.listAudit({ userSid: 'S-1-5-21-1-2-3-1104', limit: 5 }))[0]).toMatchObject({ seq: 1, code: 'passkey.uv_required', detail: { profile: 'p' } });
    const db = (s as unknown as { db: { exec(sql: string): void } }).db;
    expect(() => db.exec('DELETE FROM audit')).toThrow(/append-only/);
    expect(() => db.exec("UPDATE audit SET code = 'x'")).toThrow(/append-only/);
  });

  it('purges expired challenges, sessions, codes and replay entries', async () => {
    const s = SqliteStore.open(':memory:');
    await s.putChallenge({ id: 'h', challenge: 'c', purpose: 'registration', userSid: 'S', expiresAt: at(1) });
    await s.putOneTimeCode({ hash: 'o', expiresAt: at(100), data: null });
    await s.purgeExpired(at(2));
    const db = (s as unknown as { db: { prepare(sql: string): { get(): { n: number } } } }).db;
    expect(db.prepare('SELECT count(*) AS n FROM volatile.challenges').get().n).toBe(0);
    expect(db.prepare('SELECT count(*) AS n FROM one_time_codes').get().n).toBe(1);
  });
});

describe('secret hasher', () => {
  it('creates a 0600 server secret once and binds the purpose into the hash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgtb-secret-'));
    const key = loadServerSecret(dir);
    expect(statSync(join(dir, 'server-secret')).mode & 0o777).toBe(0o600);
    expect(loadServerSecret(dir)).toEqual(key);
    const h = hmacSecretHasher(key);
    expect(h.hash('tap', 'abc')).toBe(h.hash('tap', 'abc'));
    expect(h.hash('tap', 'abc')).not.toBe(h.hash('session', 'abc'));
    expect(hmacSecretHasher(new Uint8Array(32).fill(1)).hash('tap', 'abc')).not.toBe(h.hash('tap', 'abc'));
  });
});
