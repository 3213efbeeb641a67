import { describe, expect, it } from 'vitest';
import { checkRodcObject, rodcKvnoOf, type RodcObject, type RodcWarningCode } from '../../../src/directory/index.js';

const D = 'S-1-5-21-1-2-3';
const group = (sid: string): { dn: string; sid: string; name: string } => ({ dn: `CN=${sid}`, sid, name: sid });

/** The object as create-rodc leaves it (values as read back from Samba 4.17). */
const healthy: RodcObject = {
  domain: { domainDn: 'DC=samba,DC=test', domainSid: D, dnsDomain: 'samba.test' },
  dn: 'CN=TGTBRIDGE,OU=Domain Controllers,DC=samba,DC=test',
  sAMAccountName: 'TGTBRIDGE$',
  userAccountControl: 0x05001000,
  dNSHostName: 'tgtbridge.samba.test',
  supportedEncryptionTypes: 24,
  primaryGroupId: 521,
  krbTgtLink: 'CN=krbtgt_22285,CN=Users,DC=samba,DC=test',
  krbtgt: {
    dn: 'CN=krbtgt_22285,CN=Users,DC=samba,DC=test',
    sAMAccountName: 'krbtgt_22285',
    secondaryKrbTgtNumber: 22285,
    keyVersionNumber: 1,
    userAccountControl: 514,
  },
  revealOnDemand: [group(`${D}-571`)],
  neverReveal: [group(`${D}-572`), group('S-1-5-32-544'), group('S-1-5-32-549'), group('S-1-5-32-551'), group('S-1-5-32-548')],
};

const codes = (o: RodcObject): RodcWarningCode[] => checkRodcObject(o).map((w) => w.code);

describe('checkRodcObject', () => {
  it('finds nothing wrong with the object create-rodc makes', () => {
    expect(checkRodcObject(healthy)).toEqual([]);
  });

  it.each<[string, Partial<RodcObject>, RodcWarningCode[]]>([
    ['no PARTIAL_SECRETS_ACCOUNT', { userAccountControl: 0x01001000 }, ['NO_PARTIAL_SECRETS_ACCOUNT']],
    ['a plain user account', { userAccountControl: 0x04000200 }, ['NOT_WORKSTATION_TRUST_ACCOUNT']],
    ['disabled', { userAccountControl: 0x05001002 }, ['COMPUTER_DISABLED']],
    ['no msDS-KrbTgtLink', { krbTgtLink: undefined, krbtgt: undefined }, ['NO_KRBTGT_LINK']],
    ['a link to nothing', { krbtgt: undefined }, ['KRBTGT_LINK_BROKEN']],
    ['a krbtgt without RODC number', { krbtgt: { ...healthy.krbtgt!, secondaryKrbTgtNumber: undefined } }, ['NO_RODC_NUMBER']],
    ['an empty reveal-on-demand set', { revealOnDemand: [] }, ['REVEAL_ON_DEMAND_EMPTY']],
    ['Domain Admins allowed', { revealOnDemand: [group(`${D}-571`), group(`${D}-512`)] }, ['PRIVILEGED_GROUP_REVEALED']],
    ['BUILTIN\\Administrators allowed', { revealOnDemand: [group('S-1-5-32-544')] }, ['PRIVILEGED_GROUP_REVEALED']],
    ['never-reveal without the Denied group', { neverReveal: healthy.neverReveal.slice(1) }, ['NEVER_REVEAL_INCOMPLETE']],
    ['an empty never-reveal set', { neverReveal: [] }, ['NEVER_REVEAL_INCOMPLETE']],
    ['AES128 only', { supportedEncryptionTypes: 8 }, ['NO_AES256']],
    ['no enctypes attribute', { supportedEncryptionTypes: undefined }, ['NO_AES256']],
  ])('%s', (_, change, expected) => {
    expect(codes({ ...healthy, ...change })).toEqual(expected);
  });

  it('does not take a group of another domain with the same RID for a privileged one', () => {
    expect(codes({ ...healthy, revealOnDemand: [group('S-1-5-21-9-9-9-512')] })).toEqual([]);
  });
});

describe('rodcKvnoOf', () => {
  it('is (N << 16) | v as an unsigned 32-bit number', () => {
    expect(rodcKvnoOf(22285, 1)).toBe(1460469761);
    expect(rodcKvnoOf(54271, 1)).toBe(0xd3ff0001);
    expect(rodcKvnoOf(0xffff, 0xffff)).toBe(0xffffffff);
  });
});
