import { beforeEach, describe, expect, it } from 'vitest';
import { parseFileDirectory } from '../../src/directory/index.js';
import { hmacSecretHasher } from '../../src/store/index.js';
import { PasskeyService } from '../../src/webauthn/index.js';
import { codeOf, ctx, DIRECTORY_DOC, harness, RP, type Harness } from './fixture.js';
import { FLAGS, assertionResponse, newCredential, registrationResponse, type AssertOptions, type SynthCredential } from './synth.js';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});

async function register(svc: PasskeyService, name: string, cred: SynthCredential = newCredential()): Promise<{ cred: SynthCredential; userHandle: string }> {
  const u = (await svc.directory.findUser(name))!;
  const { handle, options } = await svc.startRegistration(u, ctx);
  await svc.finishRegistration(u, handle, registrationResponse(RP, options.challenge, cred, { userId: options.user.id }), undefined, ctx);
  return { cred, userHandle: options.user.id };
}

async function signIn(svc: PasskeyService, cred: SynthCredential, o: AssertOptions = {}, username?: string): Promise<string> {
  const { handle, options } = await svc.startAuthentication(username, ctx);
  return codeOf(svc.finishAuthentication(handle, assertionResponse(RP, options.challenge, cred, o), ctx));
}

/** The same store and server secret, over a directory where `edit` changed the users. */
async function withDirectory(edit: (users: Record<string, unknown>[]) => Record<string, unknown>[]): Promise<PasskeyService> {
  const doc = { ...DIRECTORY_DOC, users: edit(structuredClone(DIRECTORY_DOC.users) as Record<string, unknown>[]) };
  const directory = parseFileDirectory(doc, 'd.yaml', { realm: 'D.T', dnsDomain: 'd.t', netbiosName: 'D' });
  return PasskeyService.create({ config: h.config, directory, store: h.store, hasher: hmacSecretHasher(new Uint8Array(32).fill(7)), clock: h.clock });
}

describe('account state is told only to the passkey’s holder', () => {
  it('an assertion with a bad signature gets verification_failed whatever the state of the account', async () => {
    const { cred } = await register(h.svc, 'alice');
    const disabled = await withDirectory((users) => users.map((u) => (u['sAMAccountName'] === 'alice' ? { ...u, enabled: false } : u)));
    // Credential ids are handed to anyone who types the name (allowCredentials), so a forged
    // assertion for them must not learn that the account is disabled, locked or expired.
    expect(await signIn(disabled, cred, { counter: 1, badSignature: true }, 'alice')).toBe('passkey.verification_failed');
    expect(await signIn(disabled, cred, { counter: 1 }, 'alice')).toBe('user.disabled');
  });

  it('a credential of a deleted account: verification_failed for a forgery, user.unknown for the holder', async () => {
    const { cred } = await register(h.svc, 'bob');
    const gone = await withDirectory((users) => users.filter((u) => u['sAMAccountName'] !== 'bob'));
    expect(await signIn(gone, cred, { counter: 1, badSignature: true })).toBe('passkey.verification_failed');
    expect(await signIn(gone, cred, { counter: 1 })).toBe('user.unknown');
  });
});

describe('ceremonies run in a cross-origin iframe are refused (the bridge is never framed)', () => {
  // WebAuthn L3 §7.1 step 10 and §7.2 step 13: crossOrigin true passes only where the RP expects
  // to be framed; the bridge's pages send frame-ancestors 'none'. The library checks topOrigin at
  // sign-in only, and accepts crossOrigin:true without topOrigin (Safari) in both ceremonies.
  it.each([
    ['crossOrigin true', { crossOrigin: true }],
    ['crossOrigin true with a topOrigin', { crossOrigin: true, topOrigin: 'https://evil.test' }],
  ])('registration: %s', async (_n, clientData) => {
    const u = (await h.svc.directory.findUser('alice'))!;
    const { handle, options } = await h.svc.startRegistration(u, ctx);
    const resp = registrationResponse(RP, options.challenge, newCredential(), { clientData });
    expect(await codeOf(h.svc.finishRegistration(u, handle, resp, undefined, ctx))).toBe('passkey.verification_failed');
    expect(await h.store.listCredentials(u.objectSid)).toEqual([]);
  });

  it.each([
    ['crossOrigin true', { crossOrigin: true }],
    ['crossOrigin true with a topOrigin', { crossOrigin: true, topOrigin: 'https://evil.test' }],
  ])('sign-in: %s', async (_n, clientData) => {
    const { cred } = await register(h.svc, 'alice');
    expect(await signIn(h.svc, cred, { counter: 1, clientData })).toBe('passkey.verification_failed');
    expect(await signIn(h.svc, cred, { counter: 1 })).toBe('no error');
  });
});

describe('credential ids', () => {
  it('longer than 1023 bytes are refused at registration (WebAuthn L3 §7.1 step 25)', async () => {
    const u = (await h.svc.directory.findUser('alice'))!;
    const long = { ...newCredential(), id: Buffer.alloc(1024, 7) };
    const { handle, options } = await h.svc.startRegistration(u, ctx);
    expect(await codeOf(h.svc.finishRegistration(u, handle, registrationResponse(RP, options.challenge, long), undefined, ctx))).toBe('passkey.verification_failed');
    expect(await h.store.listCredentials(u.objectSid)).toEqual([]);
    const edge = { ...newCredential(), id: Buffer.alloc(1023, 8) };
    await register(h.svc, 'alice', edge);
    expect(await h.store.listCredentials(u.objectSid)).toHaveLength(1);
  });
});

describe('flags (pinned: found sound in the audit)', () => {
  it('BS without BE is refused at registration and at sign-in (WebAuthn L3 §6.1)', async () => {
    const u = (await h.svc.directory.findUser('alice'))!;
    const { handle, options } = await h.svc.startRegistration(u, ctx);
    const bsOnly = registrationResponse(RP, options.challenge, newCredential(), { flags: FLAGS.UP | FLAGS.UV | FLAGS.BS });
    expect(await codeOf(h.svc.finishRegistration(u, handle, bsOnly, undefined, ctx))).toBe('passkey.verification_failed');
    const { cred } = await register(h.svc, 'alice');
    expect(await signIn(h.svc, cred, { counter: 1, flags: FLAGS.UP | FLAGS.UV | FLAGS.BS })).toBe('passkey.verification_failed');
  });

  it('UV without UP is refused in both ceremonies', async () => {
    const u = (await h.svc.directory.findUser('alice'))!;
    const { handle, options } = await h.svc.startRegistration(u, ctx);
    const noUp = registrationResponse(RP, options.challenge, newCredential(), { flags: FLAGS.UV });
    expect(await codeOf(h.svc.finishRegistration(u, handle, noUp, undefined, ctx))).toBe('passkey.verification_failed');
    const { cred } = await register(h.svc, 'alice');
    expect(await signIn(h.svc, cred, { counter: 1, flags: FLAGS.UV })).toBe('passkey.verification_failed');
  });

  it('a device-bound-only profile refuses a passkey that turns synced (BE set later) and one registered synced before a group move', async () => {
    const { cred: deviceBound } = await register(h.svc, 'eve');
    expect(await signIn(h.svc, deviceBound, { counter: 1, flags: FLAGS.UP | FLAGS.UV | FLAGS.BE | FLAGS.BS })).toBe('passkey.be_changed');
    const synced = newCredential();
    const u = (await h.svc.directory.findUser('alice'))!;
    const { handle, options } = await h.svc.startRegistration(u, ctx);
    await h.svc.finishRegistration(u, handle, registrationResponse(RP, options.challenge, synced, { flags: FLAGS.UP | FLAGS.UV | FLAGS.BE, userId: options.user.id }), undefined, ctx);
    const moved = await withDirectory((users) => users.map((x) => (x['sAMAccountName'] === 'alice' ? { ...x, groups: ['Eng'] } : x)));
    expect(await signIn(moved, synced, { counter: 1, flags: FLAGS.UP | FLAGS.UV | FLAGS.BE })).toBe('passkey.synced_not_allowed');
    expect(await signIn(h.svc, synced, { counter: 2, flags: FLAGS.UP | FLAGS.UV | FLAGS.BE })).toBe('no error');
  });
});

describe('challenges (pinned: found sound in the audit)', () => {
  it('a registration challenge does not serve a sign-in, nor a sign-in challenge a registration', async () => {
    const { cred } = await register(h.svc, 'alice');
    const u = (await h.svc.directory.findUser('alice'))!;
    const reg = await h.svc.startRegistration(u, ctx);
    const asAssertion = assertionResponse(RP, reg.options.challenge, cred, { counter: 1 });
    expect(await codeOf(h.svc.finishAuthentication(reg.handle, asAssertion, ctx))).toBe('passkey.challenge_invalid');
    const auth = await h.svc.startAuthentication('alice', ctx);
    const asRegistration = registrationResponse(RP, auth.options.challenge, newCredential());
    expect(await codeOf(h.svc.finishRegistration(u, auth.handle, asRegistration, undefined, ctx))).toBe('passkey.challenge_invalid');
  });

  it('a named sign-in challenge does not serve another user’s passkey, and is spent by the failure', async () => {
    await register(h.svc, 'alice');
    const bob = await register(h.svc, 'bob');
    const { handle, options } = await h.svc.startAuthentication('alice', ctx);
    const resp = assertionResponse(RP, options.challenge, bob.cred, { counter: 1, userHandle: bob.userHandle });
    expect(await codeOf(h.svc.finishAuthentication(handle, resp, ctx))).toBe('passkey.unknown_credential');
    expect(await codeOf(h.svc.finishAuthentication(handle, resp, ctx))).toBe('passkey.challenge_invalid');
  });

  it('a discoverable sign-in without a user handle is refused (WebAuthn L3 §7.2 step 6); a named one may omit it', async () => {
    const alice = await register(h.svc, 'alice');
    expect(await signIn(h.svc, alice.cred, { counter: 1, userHandle: null })).toBe('passkey.verification_failed');
    expect(await signIn(h.svc, alice.cred, { counter: 2, userHandle: '' })).toBe('passkey.verification_failed');
    expect(await signIn(h.svc, alice.cred, { counter: 3, userHandle: null }, 'alice')).toBe('no error');
    expect(await signIn(h.svc, alice.cred, { counter: 4 })).toBe('no error');
  });

  it('a discoverable sign-in whose user handle names another account is refused', async () => {
    const alice = await register(h.svc, 'alice');
    const bob = await register(h.svc, 'bob');
    expect(await signIn(h.svc, alice.cred, { counter: 1, userHandle: bob.userHandle })).toBe('passkey.verification_failed');
    expect(await signIn(h.svc, alice.cred, { counter: 2, userHandle: alice.userHandle })).toBe('no error');
  });
});

describe('one credential id, two accounts at once', () => {
  it('the registration that loses the race is refused as already_registered, not an internal error', async () => {
    // Both ceremonies look the id up before either inserts it — the window a second bridge node
    // sharing the store, or any interleaving of the awaits, opens.
    let waiting: (() => void) | undefined;
    const barrier = new Promise<void>((resolve) => (waiting = resolve));
    let lookups = 0;
    const racing = new Proxy(h.store, {
      get(target, prop, receiver) {
        if (prop === 'getCredential') {
          return async (id: string) => {
            const found = await target.getCredential(id);
            if (++lookups === 2) waiting!();
            await barrier;
            return found;
          };
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const svc = await PasskeyService.create({ config: h.config, directory: h.svc.directory, store: racing, hasher: hmacSecretHasher(new Uint8Array(32).fill(7)), clock: h.clock });
    const cred = newCredential();
    const attempt = async (name: string): Promise<string> => {
      const u = (await svc.directory.findUser(name))!;
      const { handle, options } = await svc.startRegistration(u, ctx);
      return codeOf(svc.finishRegistration(u, handle, registrationResponse(RP, options.challenge, cred), undefined, ctx));
    };
    const outcomes = await Promise.all([attempt('alice'), attempt('bob')]);
    expect(outcomes.sort()).toEqual(['no error', 'passkey.already_registered']);
    expect((await h.store.listAudit({ limit: 1 }))[0]).toMatchObject({ kind: 'refusal', code: 'passkey.already_registered' });
  });
});
