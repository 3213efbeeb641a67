import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { decodeAttestationObject, decodeClientDataJSON, isoBase64URL } from '@simplewebauthn/server/helpers';
import type { X509Certificate } from 'node:crypto';
import type { Config } from '../config/index.js';
import type { Directory, DirectoryUser } from '../directory/index.js';
import { ProblemError, TgtbridgeError, type ProblemCode } from '../errors/index.js';
import type { AttestationTrust, AuditEvent, CredentialRecord, SecretHasher, Store } from '../store/index.js';
import { systemClock, systemRandom, type Clock, type RandomSource } from '../util/index.js';
import { builtInAaguidNames, type AaguidNames } from './aaguid-names.js';
import { assertAccountUsable } from './account-state.js';
import { chainReachesRoots, parsePemCertificates } from './attestation-trust.js';
import { loadFidoMetadata } from './fido-metadata.js';
import { applicableProfiles, evaluateProfiles, resolvePolicy, type ResolvedPolicy } from './profiles.js';
import { cleanPasskeyName } from './passkey-name.js';

/** COSE algorithms offered (RFC 9053): ES256, EdDSA, RS256. */
const ALGORITHMS = [-7, -8, -257];

/** WebAuthn L3 §7.1 step 25. */
const MAX_CREDENTIAL_ID_BYTES = 1023;

export interface PasskeyServiceOptions {
  readonly config: Config;
  readonly directory: Directory;
  readonly store: Store;
  readonly hasher: SecretHasher;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly aaguidNames?: AaguidNames;
}

/** Where a request came from, for the audit log. */
export interface RequestContext {
  readonly address: string | undefined;
}

export interface CeremonyStart<T> {
  /** Opaque handle of the server-side challenge; the browser carries it back (cookie). */
  readonly handle: string;
  readonly options: T;
}

export interface SignedIn {
  readonly user: DirectoryUser;
  readonly credential: CredentialRecord;
  readonly profile: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Registration and sign-in ceremonies (WebAuthn L3 §7.1, §7.2) around @simplewebauthn/server,
 * plus what the library leaves to the relying party: single-use server-side challenges, the BE
 * rule, counters, passkey profiles, account state, and an audit entry for every outcome.
 */
export class PasskeyService {
  readonly aaguidNames: AaguidNames;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly roots: ReadonlyMap<string, readonly X509Certificate[]>;
  private readonly metadataRoots: ReadonlyMap<string, readonly X509Certificate[]>;

  private constructor(
    private readonly opts: PasskeyServiceOptions,
    readonly policy: ResolvedPolicy,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? systemRandom;
    const mdPath = opts.config.passkeys.metadataFile;
    const md = mdPath === undefined ? undefined : loadFidoMetadata(mdPath);
    this.aaguidNames = opts.aaguidNames ?? new Map([...builtInAaguidNames(), ...(md?.names ?? [])]);
    this.metadataRoots = md?.roots ?? new Map();
    this.roots = new Map(opts.config.passkeys.profiles.map((p) => [p.name, p.trustedRoots.flatMap(parsePemCertificates)]));
  }

  static async create(opts: PasskeyServiceOptions): Promise<PasskeyService> {
    return new PasskeyService(opts, await resolvePolicy(opts.config.passkeys, opts.directory));
  }

  get directory(): Directory {
    return this.opts.directory;
  }

  get store(): Store {
    return this.opts.store;
  }

  /** The WebAuthn user handle: a keyed hash of the SID, so it carries no personal data (§14.6.1). */
  userHandle(user: DirectoryUser): string {
    return this.opts.hasher.hash('user-handle', user.objectSid);
  }

  async startRegistration(user: DirectoryUser, ctx: RequestContext): Promise<CeremonyStart<PublicKeyCredentialCreationOptionsJSON>> {
    const now = this.clock.now();
    await this.guardAccount(user, ctx, now);
    const groups = await this.opts.directory.groupSidsOf(user);
    if (evaluateProfiles(this.policy, groups, { backupEligible: false, aaguid: '', userVerified: true }, 'signIn').reasons.some((r) => r.code === 'passkey.excluded')) {
      await this.refuse('passkey.excluded', 'Your account is in a group that may not use passkeys here.', ctx, { userSid: user.objectSid });
    }
    const wantsAttestation = applicableProfiles(this.policy, groups).some((p) => p.profile.attestation === 'required');
    const existing = await this.opts.store.listCredentials(user.objectSid);
    const { bridge } = this.opts.config;
    const options = await generateRegistrationOptions({
      rpName: bridge.rpName,
      rpID: bridge.rpId,
      userName: user.userPrincipalName,
      userDisplayName: user.displayName,
      userID: isoBase64URL.toBuffer(this.userHandle(user)),
      challenge: new Uint8Array(this.random.bytes(32)),
      timeout: bridge.challengeTtl * 1000,
      attestationType: wantsAttestation ? 'direct' : 'none',
      excludeCredentials: existing.map((c) => ({ id: c.id, transports: [...c.transports] })),
      // The server enforces UV per profile on the returned flag; 'preferred' lets the page show
      // the profile's reason instead of a bare browser error.
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      supportedAlgorithmIDs: ALGORITHMS,
    });
    return { handle: await this.saveChallenge(options.challenge, 'registration', user.objectSid, now), options };
  }

  async finishRegistration(user: DirectoryUser, handle: string, response: unknown, name: string | undefined, ctx: RequestContext): Promise<CredentialRecord> {
    const now = this.clock.now();
    const who = { userSid: user.objectSid };
    // Single use: the challenge is gone from the store whatever happens next.
    const ch = await this.opts.store.takeChallenge(handle, now);
    if (!ch || ch.purpose !== 'registration' || ch.userSid !== user.objectSid) {
      return this.refuse('passkey.challenge_invalid', 'This registration request expired or was already used. Start again.', ctx, who);
    }
    await this.guardAccount(user, ctx, now);
    if (!isObject(response) || typeof response['id'] !== 'string') return this.refuse('request.invalid', 'The browser sent no passkey.', ctx, who);
    if (ranInForeignFrame(response)) {
      return this.refuse('passkey.verification_failed', 'The new passkey could not be verified. Try again.', ctx, { ...who, detail: { crossOrigin: true } });
    }
    let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verification = await verifyRegistrationResponse({
        response: response as unknown as RegistrationResponseJSON,
        expectedChallenge: ch.challenge,
        expectedOrigin: this.opts.config.bridge.origin,
        expectedRPID: this.opts.config.bridge.rpId,
        requireUserVerification: false,
        supportedAlgorithmIDs: ALGORITHMS,
      });
    } catch (e) {
      return this.refuse('passkey.verification_failed', 'The new passkey could not be verified. Try again.', ctx, { ...who, detail: { error: (e as Error).message } });
    }
    // A thrown error and verified:false are both failures.
    if (!verification.verified) return this.refuse('passkey.verification_failed', 'The new passkey could not be verified. Try again.', ctx, who);
    const info = verification.registrationInfo;
    // WebAuthn L3 §7.1 step 25: credential ids over 1023 bytes fail the ceremony; otherwise one
    // registration could park up to the body limit in every later allowCredentials list.
    if (isoBase64URL.toBuffer(info.credential.id).length > MAX_CREDENTIAL_ID_BYTES) {
      return this.refuse('passkey.verification_failed', 'The new passkey could not be verified. Try again.', ctx, { ...who, detail: { credentialIdTooLong: true } });
    }
    const trust = this.attestationTrust(info.fmt, info.aaguid, info.attestationObject, now);
    const facts = {
      backupEligible: info.credentialDeviceType === 'multiDevice',
      aaguid: info.aaguid,
      userVerified: info.userVerified,
      attestationFormat: info.fmt,
      trustedByProfiles: trust.trustedBy,
    };
    const decision = evaluateProfiles(this.policy, await this.opts.directory.groupSidsOf(user), facts, 'registration');
    const detail = { profile: decision.profile, aaguid: info.aaguid, backupEligible: facts.backupEligible, fmt: info.fmt, reasons: decision.reasons.map((r) => `${r.profile}:${r.code}`) };
    if (!decision.admitted) {
      const first = decision.reasons[0]!;
      return this.refuse(first.code, first.detail, ctx, { ...who, credentialId: info.credential.id, detail });
    }
    if (await this.opts.store.getCredential(info.credential.id)) {
      return this.refuse('passkey.already_registered', 'This passkey is already registered.', ctx, { ...who, credentialId: info.credential.id });
    }
    const record: CredentialRecord = {
      id: info.credential.id,
      userSid: user.objectSid,
      userHandle: this.userHandle(user),
      publicKey: info.credential.publicKey,
      counter: info.credential.counter,
      backupEligible: facts.backupEligible,
      backedUp: info.credentialBackedUp,
      aaguid: info.aaguid,
      transports: (response as { response?: { transports?: unknown } }).response?.transports instanceof Array
        ? ((response as { response: { transports: unknown[] } }).response.transports.filter((t) => typeof t === 'string') as string[])
        : [],
      attestationFormat: info.fmt,
      attestationTrust: trust.trust,
      name: (name === undefined ? undefined : cleanPasskeyName(name)) ?? this.aaguidNames.get(info.aaguid) ?? 'Passkey',
      createdAt: now,
      lastUsedAt: undefined,
    };
    try {
      await this.opts.store.addCredential(record, this.audit('registration', ctx, { userSid: user.objectSid, credentialId: record.id, detail }));
    } catch (e) {
      // Another ceremony inserted the same id between the lookup above and this insert.
      if (!(e instanceof TgtbridgeError) || e.code !== 'ERR_STORE_CONFLICT') throw e;
      return this.refuse('passkey.already_registered', 'This passkey is already registered.', ctx, { ...who, credentialId: info.credential.id });
    }
    return record;
  }

  /** A named sign-in lists the user's credentials; with no name, the ceremony is discoverable. */
  async startAuthentication(username: string | undefined, ctx: RequestContext): Promise<CeremonyStart<PublicKeyCredentialRequestOptionsJSON>> {
    const now = this.clock.now();
    let userSid: string | undefined;
    let allow: CredentialRecord[] = [];
    if (username !== undefined) {
      const user = await this.opts.directory.findUser(username);
      allow = user ? [...(await this.opts.store.listCredentials(user.objectSid))] : [];
      // An empty allowCredentials would turn this into a discoverable ceremony that another
      // account could answer; unknown users get the same answer, so names cannot be probed.
      if (!user || allow.length === 0) {
        return this.refuse('passkey.no_credentials', 'There is no passkey registered for this account. Use a temporary access pass to add one.', ctx, user ? { userSid: user.objectSid } : {});
      }
      userSid = user.objectSid;
    }
    const options = await generateAuthenticationOptions({
      rpID: this.opts.config.bridge.rpId,
      challenge: new Uint8Array(this.random.bytes(32)),
      timeout: this.opts.config.bridge.challengeTtl * 1000,
      userVerification: 'preferred',
      allowCredentials: allow.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransportFuture[] })),
    });
    return { handle: await this.saveChallenge(options.challenge, 'authentication', userSid, now), options };
  }

  async finishAuthentication(handle: string, response: unknown, ctx: RequestContext): Promise<SignedIn> {
    const now = this.clock.now();
    const failed = 'Your passkey could not be verified. Try again.';
    // Guard: the challenge exists, is unexpired, for sign-in, and is consumed now (single use).
    const ch = await this.opts.store.takeChallenge(handle, now);
    if (!ch || ch.purpose !== 'authentication') {
      return this.refuse('passkey.challenge_invalid', 'This sign-in request expired or was already used. Start again.', ctx, {});
    }
    if (!isObject(response) || typeof response['id'] !== 'string' || !isObject(response['response'])) {
      return this.refuse('request.invalid', 'The browser sent no passkey.', ctx, {});
    }
    // Guard: the credential is registered (and, for a named sign-in, to that user).
    const cred = await this.opts.store.getCredential(response['id']);
    if (!cred || (ch.userSid !== undefined && cred.userSid !== ch.userSid)) {
      return this.refuse('passkey.unknown_credential', 'This passkey is not registered here.', ctx, { userSid: ch.userSid, credentialId: response['id'] });
    }
    const who = { userSid: cred.userSid, credentialId: cred.id };
    // Guard: a returned user handle must be the one bound to the credential at registration. In a
    // discoverable ceremony (no allowCredentials) it must be there at all: WebAuthn L3 §7.2 step 6
    // identifies the user by it, and a discoverable credential always returns it.
    const handleSent = response['response']['userHandle'];
    const sentOne = typeof handleSent === 'string' && handleSent !== '';
    if (sentOne ? handleSent !== cred.userHandle : ch.userSid === undefined) {
      return this.refuse('passkey.verification_failed', failed, ctx, { ...who, detail: { userHandle: sentOne ? 'another account' : 'missing' } });
    }
    // Guard: not run inside another origin's frame.
    if (ranInForeignFrame(response)) return this.refuse('passkey.verification_failed', failed, ctx, { ...who, detail: { crossOrigin: true } });
    let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
    try {
      verification = await verifyAuthenticationResponse({
        response: response as unknown as AuthenticationResponseJSON,
        expectedChallenge: ch.challenge,
        expectedOrigin: this.opts.config.bridge.origin,
        expectedRPID: this.opts.config.bridge.rpId,
        // Counter and UV are checked below so each refusal gets its own code.
        credential: { id: cred.id, publicKey: new Uint8Array(cred.publicKey), counter: 0, transports: cred.transports as AuthenticatorTransportFuture[] },
        requireUserVerification: false,
      });
    } catch (e) {
      return this.refuse('passkey.verification_failed', failed, ctx, { ...who, detail: { error: (e as Error).message } });
    }
    // Guard: verified:false is a failure exactly like a thrown error.
    if (!verification.verified) return this.refuse('passkey.verification_failed', failed, ctx, who);
    // Guard: the account exists and may sign in — checked only now, so that the state of an
    // account (disabled, locked, expired, deleted) is told to the key's holder, never to anyone
    // who sends a forged assertion for a credential id that allowCredentials hands out by name.
    const user = await this.opts.directory.findUser(cred.userSid);
    if (!user) return this.refuse('user.unknown', 'This passkey belongs to an account that no longer exists.', ctx, who);
    await this.guardAccount(user, ctx, now, cred.id);
    const info = verification.authenticationInfo;
    // Guard: BE is fixed at registration; a change means another authenticator answers (§6.1.3).
    if ((info.credentialDeviceType === 'multiDevice') !== cred.backupEligible) {
      return this.refuse('passkey.be_changed', 'This passkey changed from device-bound to synced or back; it is refused. Register it again.', ctx, who);
    }
    // Guard: a non-zero counter must increase (§6.1.1): otherwise the key may have been cloned.
    if ((cred.counter > 0 || info.newCounter > 0) && info.newCounter <= cred.counter) {
      return this.refuse('passkey.counter_regressed', 'This passkey’s use counter went backwards, a sign that it was copied. It is refused; tell your administrator.', ctx, { ...who, detail: { stored: cred.counter, received: info.newCounter } });
    }
    // Guard: the passkey profiles admit this credential now (types, AAGUID, UV on every sign-in).
    const decision = evaluateProfiles(this.policy, await this.opts.directory.groupSidsOf(user), { backupEligible: cred.backupEligible, aaguid: cred.aaguid, userVerified: info.userVerified }, 'signIn');
    if (!decision.admitted) {
      const first = decision.reasons[0]!;
      return this.refuse(first.code, first.detail, ctx, { ...who, detail: { profile: decision.profile, reasons: decision.reasons.map((r) => `${r.profile}:${r.code}`) } });
    }
    // Guard: compare-and-set, so two sign-ins racing on the same counter value cannot both pass.
    const update = { id: cred.id, expectedCounter: cred.counter, counter: info.newCounter, backedUp: info.credentialBackedUp, at: now };
    if (!(await this.opts.store.recordSignIn(update, this.audit('sign_in', ctx, { ...who, detail: { profile: decision.profile } })))) {
      return this.refuse('passkey.counter_regressed', 'This passkey was used twice at the same moment; it is refused.', ctx, who);
    }
    return { user, credential: { ...cred, counter: info.newCounter, backedUp: info.credentialBackedUp, lastUsedAt: now }, profile: decision.profile! };
  }

  /**
   * Do the user's profiles still admit this registered credential (exclusion, types, AAGUID)?
   * Sessions ask on every use, so a group move or a stricter profile reaches sessions already
   * signed in, not only the next sign-in. UV is taken as it was at that sign-in: it is not kept.
   */
  async stillAdmits(user: DirectoryUser, cred: CredentialRecord): Promise<boolean> {
    const facts = { backupEligible: cred.backupEligible, aaguid: cred.aaguid, userVerified: true };
    return evaluateProfiles(this.policy, await this.opts.directory.groupSidsOf(user), facts, 'signIn').admitted;
  }

  /** Append a refusal to the audit log, then throw it. */
  async refuse(code: ProblemCode, detail: string, ctx: RequestContext, at: Partial<Pick<AuditEvent, 'userSid' | 'credentialId' | 'detail'>>): Promise<never> {
    await this.opts.store.appendAudit(this.audit('refusal', ctx, { ...at, code }));
    throw new ProblemError(code, detail);
  }

  audit(kind: AuditEvent['kind'], ctx: RequestContext, at: Partial<Omit<AuditEvent, 'at' | 'kind' | 'address'>>): AuditEvent {
    return {
      at: this.clock.now(), kind, userSid: at.userSid, credentialId: at.credentialId, code: at.code, address: ctx.address, detail: at.detail,
    };
  }

  private async guardAccount(user: DirectoryUser, ctx: RequestContext, now: Date, credentialId?: string): Promise<void> {
    try {
      assertAccountUsable(user, now);
    } catch (e) {
      if (e instanceof ProblemError) await this.refuse(e.code, e.detail, ctx, { userSid: user.objectSid, credentialId });
      throw e;
    }
  }

  private async saveChallenge(challenge: string, purpose: 'registration' | 'authentication', userSid: string | undefined, now: Date): Promise<string> {
    const handle = isoBase64URL.fromBuffer(new Uint8Array(this.random.bytes(16)));
    const expiresAt = new Date(now.getTime() + this.opts.config.bridge.challengeTtl * 1000);
    await this.opts.store.putChallenge({ id: handle, challenge, purpose, userSid, expiresAt });
    return handle;
  }

  /**
   * none: no statement; self: packed without x5c; trusted/untrusted: x5c against each profile's
   * roots, plus (for profiles with trustMetadata) the FIDO metadata roots of the claimed AAGUID.
   */
  private attestationTrust(fmt: string, aaguid: string, attestationObject: Uint8Array, now: Date): { trust: AttestationTrust; trustedBy: ReadonlySet<string> } {
    if (fmt === 'none') return { trust: 'none', trustedBy: new Set() };
    const x5c = decodeAttestationObject(new Uint8Array(attestationObject)).get('attStmt').get('x5c');
    if (!x5c || x5c.length === 0) return { trust: 'self', trustedBy: new Set() };
    const fromMetadata = this.metadataRoots.get(aaguid.toLowerCase()) ?? [];
    const trustedBy = new Set<string>();
    for (const p of this.opts.config.passkeys.profiles) {
      const roots = [...(this.roots.get(p.name) ?? []), ...(p.trustMetadata ? fromMetadata : [])];
      if (chainReachesRoots(x5c, roots, now)) trustedBy.add(p.name);
    }
    const trusted = trustedBy.size > 0 || chainReachesRoots(x5c, fromMetadata, now);
    return { trust: trusted ? 'trusted' : 'untrusted', trustedBy };
  }
}

/**
 * WebAuthn L3 §7.1 step 10 and §7.2 step 13: `crossOrigin` true (or a `topOrigin`) in the client
 * data means the ceremony ran in an iframe under another origin, which passes only where the RP
 * expects to be framed. The bridge never is (its pages send frame-ancestors 'none'). The library
 * checks topOrigin at sign-in only, and accepts crossOrigin without topOrigin (as Safari sends it)
 * in both ceremonies.
 */
function ranInForeignFrame(response: Record<string, unknown>): boolean {
  const inner = response['response'];
  const clientDataJSON = isObject(inner) ? inner['clientDataJSON'] : undefined;
  // Not a string, or not JSON: the library refuses the response itself.
  if (typeof clientDataJSON !== 'string') return false;
  let clientData: unknown;
  try {
    clientData = decodeClientDataJSON(clientDataJSON);
  } catch {
    return false;
  }
  return isObject(clientData) && (clientData['crossOrigin'] === true || clientData['topOrigin'] !== undefined);
}

type AuthenticatorTransportFuture = 'ble' | 'cable' | 'hybrid' | 'internal' | 'nfc' | 'smart-card' | 'usb';
