import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { parseFileDirectory } from '../../src/directory/index.js';
import { evaluateProfiles, resolvePolicy, type CredentialFacts } from '../../src/webauthn/index.js';

const AG_OK = '01020304-0506-0708-0102-030405060708';
const AG_BAD = 'ee882879-721c-4913-9775-3dfcce97072a';
const DOM = 'S-1-5-21-1-2-3';

const directory = parseFileDirectory(
  {
    domain: { sid: DOM },
    groups: [
      { name: 'Eng', rid: 2000 }, { name: 'Ops', rid: 2001 }, { name: 'Temps', rid: 2002 },
      { name: 'Locked', rid: 2003 }, { name: 'Attested', rid: 2004 }, { name: 'Interns', rid: 2005 },
    ],
    users: [],
  },
  'd.yaml',
  { realm: 'D.T', dnsDomain: 'd.t', netbiosName: 'D' },
);

const config = parseConfig(
  {
    realm: 'D.T',
    passkeys: {
      default: 'base',
      excludeGroups: ['Temps'],
      profiles: [
        { name: 'base', userVerification: 'preferred' },
        { name: 'eng', groups: ['Eng'], excludeGroups: ['Interns'], types: ['deviceBound'] },
        { name: 'ops', groups: ['Ops'], types: ['synced'], aaguids: { block: [AG_BAD] } },
        { name: 'locked', groups: ['Locked'], aaguids: { allow: [AG_OK] } },
      ],
    },
  },
  '/x/t.yaml',
);
const policy = await resolvePolicy(config.passkeys, directory);
const attested = {
  ...policy,
  profiles: [
    ...policy.profiles,
    {
      profile: { ...config.passkeys.profiles[0]!, name: 'att', attestation: 'required' as const, userVerification: 'required' as const },
      groupSids: new Set([`${DOM}-2004`]), excludeSids: new Set<string>(), isDefault: false,
    },
  ],
};

const g = (...rids: number[]) => [`${DOM}-513`, ...rids.map((r) => `${DOM}-${r}`)];
const device: CredentialFacts = { backupEligible: false, aaguid: AG_OK, userVerified: true };
const synced: CredentialFacts = { ...device, backupEligible: true };

describe('evaluateProfiles', () => {
  it.each([
    // groups, facts, phase, admitted, profile, codes
    ['no group → default', g(), synced, 'signIn', true, 'base', []],
    ['default allows no UV (preferred)', g(), { ...device, userVerified: false }, 'signIn', true, 'base', []],
    ['eng: synced refused', g(2000), synced, 'signIn', false, 'eng', ['passkey.synced_not_allowed']],
    ['eng: device-bound admitted', g(2000), device, 'signIn', true, 'eng', []],
    ['eng: UV required by default', g(2000), { ...device, userVerified: false }, 'signIn', false, 'eng', ['passkey.uv_required']],
    ['eng + ops: one satisfied profile suffices (synced via ops)', g(2000, 2001), synced, 'signIn', true, 'ops', []],
    ['eng + ops: device-bound via eng', g(2000, 2001), device, 'signIn', true, 'eng', []],
    ['ops: device-bound refused', g(2001), device, 'signIn', false, 'ops', ['passkey.device_bound_not_allowed']],
    ['ops: blocked AAGUID', g(2001), { ...synced, aaguid: AG_BAD }, 'signIn', false, 'ops', ['passkey.aaguid_blocked']],
    ['locked: AAGUID on the allow list', g(2003), device, 'signIn', true, 'locked', []],
    ['locked: AAGUID not on the allow list', g(2003), { ...device, aaguid: AG_BAD }, 'registration', false, 'locked', ['passkey.aaguid_not_allowed']],
    ['excluded from the method beats every profile', g(2000, 2002), device, 'signIn', false, undefined, ['passkey.excluded']],
    ['profile exclusion: interns fall back to default', g(2000, 2005), synced, 'signIn', true, 'base', []],
    ['eng with two failures lists both', g(2000), { ...synced, userVerified: false }, 'signIn', false, 'eng', ['passkey.synced_not_allowed', 'passkey.uv_required']],
  ] as const)('%s', (_name, groups, facts, phase, admitted, profile, codes) => {
    const d = evaluateProfiles(policy, groups, facts, phase);
    expect(d.admitted).toBe(admitted);
    expect(d.profile).toBe(profile);
    expect(d.reasons.map((r) => r.code)).toEqual(codes);
  });

  it('attestation is a registration rule only', () => {
    const noAtt = { ...device, attestationFormat: 'none' };
    expect(evaluateProfiles(attested, g(2004), noAtt, 'registration').reasons.map((r) => r.code)).toEqual(['passkey.attestation_required']);
    expect(evaluateProfiles(attested, g(2004), device, 'signIn').admitted).toBe(true);
    const untrusted = { ...device, attestationFormat: 'packed', trustedByProfiles: new Set(['other']) };
    expect(evaluateProfiles(attested, g(2004), untrusted, 'registration').reasons.map((r) => r.code)).toEqual(['passkey.attestation_untrusted']);
    const trusted = { ...device, attestationFormat: 'packed', trustedByProfiles: new Set(['att']) };
    expect(evaluateProfiles(attested, g(2004), trusted, 'registration')).toMatchObject({ admitted: true, profile: 'att' });
  });

  it('names the applicable profiles', () => {
    expect(evaluateProfiles(policy, g(2000, 2001, 2003), device, 'signIn').applicable).toEqual(['eng', 'ops', 'locked']);
  });

  it('refuses a policy naming a group the directory lacks', async () => {
    const bad = parseConfig({ realm: 'D.T', passkeys: { profiles: [{ name: 'x', groups: ['Ghosts'] }] } }, '/x/t.yaml');
    await expect(resolvePolicy(bad.passkeys, directory)).rejects.toMatchObject({ code: 'ERR_CONFIG' });
  });
});
