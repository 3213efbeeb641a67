import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/index.js';
import type { Directory, DirectoryUser } from '../directory/index.js';
import { ProblemError } from '../errors/index.js';
import type { CredentialRecord, SecretHasher, SessionRecord, Store } from '../store/index.js';
import type { Clock } from '../util/index.js';
import { browserUsesHttps, clearCookie, readCookie, setCookie } from './cookies.js';

export interface ActiveSession {
  readonly record: SessionRecord;
  readonly user: DirectoryUser;
}

/**
 * Browser sessions: a random 256-bit id in an HttpOnly cookie; the store keeps only its keyed
 * hash, so a database copy cannot be replayed as cookies.
 */
export class Sessions {
  constructor(
    private readonly config: Config,
    private readonly store: Store,
    private readonly directory: Directory,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
    /** Do the user's passkey profiles still admit the credential a passkey session signed in with? */
    private readonly admits: (user: DirectoryUser, credential: CredentialRecord) => Promise<boolean> = async () => true,
  ) {}

  private get secure(): boolean {
    return browserUsesHttps(this.config);
  }

  /** A new id at every sign-in (the previous session, if any, is ended: no session fixation). */
  async start(req: Request, res: Response, user: DirectoryUser, method: SessionRecord['method'], credentialId: string | undefined): Promise<void> {
    const previous = readCookie(req, this.config.sessions.cookieName, this.secure);
    if (previous) await this.store.deleteSession(this.hasher.hash('session', previous));
    const id = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    // A TAP session exists only to register a first passkey: it lasts the registration window.
    const ttl = method === 'tap' ? this.config.sessions.registrationWindow : this.config.sessions.ttl;
    await this.store.putSession({ idHash: this.hasher.hash('session', id), userSid: user.objectSid, method, credentialId, authTime: now, expiresAt: new Date(now.getTime() + ttl * 1000) });
    setCookie(res, this.config.sessions.cookieName, id, { secure: this.secure, maxAgeSeconds: ttl });
  }

  async current(req: Request): Promise<ActiveSession | undefined> {
    const id = readCookie(req, this.config.sessions.cookieName, this.secure);
    if (!id) return undefined;
    const record = await this.store.getSession(this.hasher.hash('session', id), this.clock.now());
    if (!record) return undefined;
    const user = await this.directory.findUser(record.userSid);
    if (!user || !user.enabled) return undefined;
    // A passkey session lasts only as long as its passkey: revoking a stolen one (`passkeys
    // revoke`, or Delete on the Security info page) must also end what it already signed in,
    // which could otherwise mint tickets or enrol a passkey of its own until the session expires.
    // Likewise when the user's profiles no longer admit that passkey (moved to a stricter group).
    if (record.method === 'passkey') {
      const cred = record.credentialId === undefined ? undefined : await this.store.getCredential(record.credentialId);
      if (cred === undefined || cred.userSid !== record.userSid || !(await this.admits(user, cred))) {
        await this.store.deleteSession(record.idHash);
        return undefined;
      }
    }
    return { record, user };
  }

  async require(req: Request): Promise<ActiveSession> {
    const s = await this.current(req);
    if (!s) throw new ProblemError('session.required', 'You are not signed in (or your session ended). Sign in again.');
    return s;
  }

  /** Registering a passkey needs a TAP session or a passkey sign-in within the registration window. */
  async requireForRegistration(req: Request): Promise<ActiveSession> {
    const s = await this.require(req);
    const age = (this.clock.now().getTime() - s.record.authTime.getTime()) / 1000;
    if (s.record.method === 'passkey' && age > this.config.sessions.registrationWindow) {
      throw new ProblemError('session.stale', 'To add a passkey, sign in again first (your sign-in must be recent).');
    }
    return s;
  }

  async end(req: Request, res: Response): Promise<void> {
    const id = readCookie(req, this.config.sessions.cookieName, this.secure);
    if (id) await this.store.deleteSession(this.hasher.hash('session', id));
    clearCookie(res, this.config.sessions.cookieName, { secure: this.secure });
  }
}
