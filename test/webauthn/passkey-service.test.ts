import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { explainProfiles } from '../../src/webauthn/index.js';
import { AG_OTHER, AG_VIRTUAL, codeOf, configDoc, ctx, harness, RP, type Harness } from './fixture.js';
import { FLAGS, assertionResponse, issueCert, newCredential, registrationResponse, testAttestationCa, type RegOptions, type SynthCredential } from './synth.js';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});

const user = async (name: string) => (await h.svc.directory.findUser(name))!;

async function register(name: string, o: RegOptions = {}, cred: SynthCredential = newCredential()) {
  const u = await user(name);
  const { handle, options } = await h.svc.startRegistration(u, ctx);
  const rec = await h.svc.finishRegistration(u, handle, registrationResponse(RP, options.challenge, cred, { userId: options.user.id, ...o }), undefined, ctx);
  return { rec, cred };
}

async function signIn(cred: SynthCredential, o: Parameters<typeof assertionResponse>[3] = {}, username?: string) {
  const { handle, options } = await h.svc.startAuthentication(username, ctx);
  return h.svc.finishAuthentication(handle, assertionResponse(RP, options.challenge, cred, o), ctx);
}

describe('registration', () => {
  it('registers a device-bound passkey with none attestation and audits it', async () => {
    const { rec } = await register('alice', { aaguid: AG_VIRTUAL });
    expect(rec).toMatchObject({ backupEligible: false, aaguid: AG_VIRTUAL, attestationFormat: 'none', attestationTrust: 'none', name: 'Chromium virtual authenticator' });
    expect((await h.store.listAudit({ limit: 5 }))[0]).toMatchObject({ kind: 'registration', credentialId: rec.id });
  });

  it('asks for residentKey, preferred UV, and excludes the user’s registered credentials', async () => {
    const { rec } = await register('alice');
    const { options } = await h.svc.startRegistration(await user('alice'), ctx);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'preferred' });
    expect(options.excludeCredentials?.map((c) => c.id)).toEqual([rec.id]);
    expect(options.attestation).toBe('none');
  });

  it.each([
    ['eve', { flags: FLAGS.UP | FLAGS.UV | FLAGS.BE }, 'passkey.synced_not_allowed'],
    ['alice', { flags: FLAGS.UP }, 'passkey.uv_required'],
    ['kim', { aaguid: AG_VIRTUAL }, 'passkey.aaguid_not_allowed'],
    ['nov', { aaguid: AG_VIRTUAL }, 'passkey.aaguid_blocked'],
    ['alice', { origin: 'http://evil.test' }, 'passkey.verification_failed'],
    ['alice', { type: 'webauthn.get' }, 'passkey.verification_failed'],
  ] as const)('refuses %s with %j: %s, storing nothing', async (name, o, code) => {
    expect(await codeOf(register(name, o))).toBe(code);
    expect(await h.store.listCredentials((await user(name)).objectSid)).toEqual([]);
    expect((await h.store.listAudit({ limit: 1 }))[0]).toMatchObject({ kind: 'refusal', code });
  });

  it('admits other AAGUIDs where the lists allow them', async () => {
    expect((await register('kim', { aaguid: AG_OTHER })).rec.aaguid).toBe(AG_OTHER);
    expect((await register('nov', { aaguid: AG_OTHER })).rec.name).toBe('YubiKey 5 NFC');
  });

  it('refuses excluded users before the ceremony and disabled users', async () => {
    expect(await codeOf(h.svc.startRegistration(await user('tim'), ctx))).toBe('passkey.excluded');
    expect(await codeOf(h.svc.startRegistration(await user('carol'), ctx))).toBe('user.disabled');
  });

  it('uses a challenge once, only for its user, and not after expiry', async () => {
    const u = await user('alice');
    const cred = newCredential();
    const { handle, options } = await h.svc.startRegistration(u, ctx);
    const resp = registrationResponse(RP, options.challenge, cred);
    expect(await codeOf(h.svc.finishRegistration(await user('bob'), handle, resp, undefined, ctx))).toBe('passkey.challenge_invalid');
    expect(await codeOf(h.svc.finishRegistration(u, handle, resp, undefined, ctx))).toBe('passkey.challenge_invalid');
    const second = await h.svc.startRegistration(u, ctx);
    h.clock.t += 61_000;
    expect(await codeOf(h.svc.finishRegistration(u, second.handle, registrationResponse(RP, second.options.challenge, cred), undefined, ctx))).toBe('passkey.challenge_invalid');
  });
});

describe('attestation against a test CA (pkijs)', () => {
  async function attested() {
    const ca = await testAttestationCa(AG_OTHER);
    const dir = mkdtempSync(join(tmpdir(), 'tgtb-att-'));
    writeFileSync(join(dir, 'root.pem'), ca.root.pem);
    const { parseConfig } = await import('../../src/config/index.js');
    h = await harness(() => parseConfig(configDoc(ca.root.pem), join(dir, 't.yaml')));
    return ca;
  }

  it('accepts packed attestation chained to a configured root, and asks for direct attestation', async () => {
    const ca = await attested();
    expect((await h.svc.startRegistration(await user('ann'), ctx)).options.attestation).toBe('direct');
    const { rec } = await register('ann', { aaguid: AG_OTHER, attestation: ca.attestation });
    expect(rec).toMatchObject({ attestationFormat: 'packed', attestationTrust: 'trusted' });
  });

  it('accepts a chain through an intermediate CA', async () => {
    const ca = await attested();
    const mid = await issueCert([['C', 'DE'], ['O', 'tgtbridge test CA'], ['CN', 'Intermediate']], true, ca.root);
    const leaf = await issueCert([['C', 'DE'], ['O', 'x'], ['OU', 'Authenticator Attestation'], ['CN', 'Key']], false, mid, AG_OTHER);
    const { rec } = await register('ann', { aaguid: AG_OTHER, attestation: { key: leaf.nodeKey, x5c: [leaf.der, mid.der] } });
    expect(rec.attestationTrust).toBe('trusted');
  });

  it.each([
    ['none attestation', async () => ({}), 'passkey.attestation_required'],
    ['self attestation', async () => ({ attestation: 'self' as const }), 'passkey.attestation_untrusted'],
    ['a chain to another CA', async () => ({ attestation: (await testAttestationCa(AG_OTHER)).attestation }), 'passkey.attestation_untrusted'],
  ])('refuses %s', async (_n, make, code) => {
    await attested();
    expect(await codeOf(register('ann', { aaguid: AG_OTHER, ...(await make()) }))).toBe(code);
  });

  it('does not apply attestation at sign-in, and records untrusted chains for others', async () => {
    const ca = await attested();
    const other = await testAttestationCa(AG_OTHER);
    const { rec, cred } = await register('alice', { aaguid: AG_OTHER, attestation: other.attestation });
    expect(rec.attestationTrust).toBe('untrusted');
    expect((await signIn(cred, { counter: 1 })).user.sAMAccountName).toBe('alice');
    const ann = await register('ann', { aaguid: AG_OTHER, attestation: ca.attestation });
    expect((await signIn(ann.cred)).profile).toBe('attested');
  });
});

describe('FIDO metadata (MDS3 payload)', () => {
  async function withMetadata(status: string) {
    const ca = await testAttestationCa(AG_OTHER);
    const dir = mkdtempSync(join(tmpdir(), 'tgtb-mds-'));
    const rootB64 = Buffer.from(ca.root.der).toString('base64');
    writeFileSync(join(dir, 'mds.json'), JSON.stringify({
      entries: [{ aaguid: AG_OTHER, metadataStatement: { description: 'Test Key 9000', attestationRootCertificates: [rootB64] }, statusReports: [{ status }] }],
    }));
    const { parseConfig } = await import('../../src/config/index.js');
    h = await harness((d) => {
      const doc = structuredClone(d) as { passkeys: { metadataFile?: string; profiles: Record<string, unknown>[] } };
      doc.passkeys.metadataFile = 'mds.json';
      doc.passkeys.profiles.push({ name: 'mds', groups: ['Attested'], attestation: 'required', trustMetadata: true });
      return parseConfig(doc, join(dir, 't.yaml'));
    });
    return ca;
  }

  it('trusts attestation roots listed for the AAGUID and names the authenticator', async () => {
    const ca = await withMetadata('FIDO_CERTIFIED_L1');
    const { rec } = await register('ann', { aaguid: AG_OTHER, attestation: ca.attestation });
    expect(rec).toMatchObject({ attestationTrust: 'trusted', name: 'Test Key 9000' });
  });

  it('does not trust roots of an authenticator reported compromised', async () => {
    const ca = await withMetadata('ATTESTATION_KEY_COMPROMISE');
    expect(await codeOf(register('ann', { aaguid: AG_OTHER, attestation: ca.attestation }))).toBe('passkey.attestation_untrusted');
  });
});

describe('sign-in', () => {
  it('signs in discoverably and by name, updating counter, BS and last use', async () => {
    const { rec, cred } = await register('alice', { counter: 0 });
    const first = await signIn(cred, { counter: 3, flags: FLAGS.UP | FLAGS.UV });
    expect(first).toMatchObject({ user: { sAMAccountName: 'alice' }, profile: 'all' });
    const named = await signIn(cred, { counter: 4, userHandle: rec.userHandle }, 'alice');
    expect(named.credential.counter).toBe(4);
    expect(await h.store.getCredential(rec.id)).toMatchObject({ counter: 4, lastUsedAt: h.clock.now() });
  });

  it('lists only the named user’s credentials and refuses a name with none', async () => {
    const { rec } = await register('alice');
    const { options } = await h.svc.startAuthentication('ALICE', ctx);
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([rec.id]);
    expect(await codeOf(h.svc.startAuthentication('bob', ctx))).toBe('passkey.no_credentials');
    expect(await codeOf(h.svc.startAuthentication('nobody', ctx))).toBe('passkey.no_credentials');
  });

  it('refuses another user’s credential in a named sign-in', async () => {
    await register('bob');
    const alice = await register('alice');
    const { handle, options } = await h.svc.startAuthentication('bob', ctx);
    expect(await codeOf(h.svc.finishAuthentication(handle, assertionResponse(RP, options.challenge, alice.cred), ctx))).toBe('passkey.unknown_credential');
  });

  it.each([
    ['a bad signature', { badSignature: true }, 'passkey.verification_failed'],
    ['another origin', { origin: 'http://localhost:9999' }, 'passkey.verification_failed'],
    ['missing UV', { flags: FLAGS.UP, counter: 6 }, 'passkey.uv_required'],
    ['BE turned on', { flags: FLAGS.UP | FLAGS.UV | FLAGS.BE }, 'passkey.be_changed'],
    ['a lower counter', { counter: 4 }, 'passkey.counter_regressed'],
    ['an equal counter', { counter: 5 }, 'passkey.counter_regressed'],
    ['a foreign user handle', { userHandle: 'AAAA' }, 'passkey.verification_failed'],
  ] as const)('refuses %s and changes no stored credential', async (_n, o, code) => {
    const { rec, cred } = await register('alice', { counter: 5 });
    const before = await h.store.getCredential(rec.id);
    expect(await codeOf(signIn(cred, o))).toBe(code);
    expect(await h.store.getCredential(rec.id)).toEqual(before);
  });

  it('allows counter 0 forever (synced passkeys) but never a replayed challenge', async () => {
    const { cred } = await register('rex', { flags: FLAGS.UP | FLAGS.UV | FLAGS.BE });
    const { handle, options } = await h.svc.startAuthentication(undefined, ctx);
    const resp = assertionResponse(RP, options.challenge, cred, { flags: FLAGS.UP | FLAGS.BE });
    expect((await h.svc.finishAuthentication(handle, resp, ctx)).profile).toBe('relaxed');
    expect(await codeOf(h.svc.finishAuthentication(handle, resp, ctx))).toBe('passkey.challenge_invalid');
  });

  it('refuses an unknown credential', async () => {
    expect(await codeOf(signIn(newCredential()))).toBe('passkey.unknown_credential');
  });

  it('applies type rules at every sign-in: a profile change locks out synced passkeys', async () => {
    const { cred } = await register('alice', { flags: FLAGS.UP | FLAGS.UV | FLAGS.BE });
    const engOnly = await harness((d) => {
      const doc = structuredClone(d) as { passkeys: { profiles: { name: string; types?: string[] }[] } };
      doc.passkeys.profiles[0]!.types = ['deviceBound'];
      return loadConfigFromDoc(doc);
    });
    const svc2 = (await import('../../src/webauthn/index.js')).PasskeyService;
    const moved = await svc2.create({ config: engOnly.config, directory: h.svc.directory, store: h.store, hasher: (await import('../../src/store/index.js')).hmacSecretHasher(new Uint8Array(32).fill(7)), clock: h.clock });
    const { handle, options } = await moved.startAuthentication(undefined, ctx);
    expect(await codeOf(moved.finishAuthentication(handle, assertionResponse(RP, options.challenge, cred, { flags: FLAGS.UP | FLAGS.UV | FLAGS.BE }), ctx))).toBe('passkey.synced_not_allowed');
  });
});

function loadConfigFromDoc(doc: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'tgtb-cfg-'));
  writeFileSync(join(dir, 't.yaml'), JSON.stringify(doc));
  return loadConfig(join(dir, 't.yaml'));
}

describe('temporary access passes', () => {
  it('issues a pass stored only as a hash, redeemable for its own user until used up', async () => {
    const alice = await user('alice');
    const tap = await h.taps.issue(alice, 3600, 2, 'admin');
    expect(tap.code).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    const stored = await h.store.listTaps(alice.objectSid);
    expect(JSON.stringify(stored)).not.toContain(tap.code.replace(/-/g, ''));
    expect(await codeOf(h.taps.redeem('bob', tap.code, ctx))).toBe('tap.invalid');
    expect((await h.taps.redeem('alice', tap.code.toLowerCase().replace(/-/g, ' '), ctx)).sAMAccountName).toBe('alice');
    await h.taps.redeem('alice', tap.code, ctx);
    expect(await codeOf(h.taps.redeem('alice', tap.code, ctx))).toBe('tap.used_up');
  });

  it('refuses expired passes, unknown users and disabled users', async () => {
    const tap = await h.taps.issue(await user('alice'), 60, 1, 'admin');
    h.clock.t += 60_000;
    expect(await codeOf(h.taps.redeem('alice', tap.code, ctx))).toBe('tap.expired');
    expect(await codeOf(h.taps.redeem('ghost', tap.code, ctx))).toBe('tap.invalid');
    const carol = await h.taps.issue(await user('carol'), 60, 1, 'admin');
    expect(await codeOf(h.taps.redeem('carol', carol.code, ctx))).toBe('user.disabled');
  });

  it('refuses lifetimes beyond tap.maxTtl', async () => {
    await expect(h.taps.issue(await user('alice'), 8 * 86400, 1, 'admin')).rejects.toThrow(RangeError);
  });
});

describe('profiles explain', () => {
  it('says which profile admits each credential and why another is refused', async () => {
    const { rec } = await register('alice', { flags: FLAGS.UP | FLAGS.UV | FLAGS.BE });
    const ok = await explainProfiles(h.svc, await user('alice'));
    expect(ok).toMatchObject({ excluded: false, applicable: ['all'] });
    expect(ok.credentials[0]).toMatchObject({ credential: { id: rec.id }, decision: { admitted: true, profile: 'all' } });
    const tim = await explainProfiles(h.svc, await user('tim'));
    expect(tim).toMatchObject({ excluded: true, applicable: [] });
  });
});
