import { describe, expect, it } from 'vitest';
import {
  computerAdd,
  enableComputer,
  escapeFilterValue,
  escapeRdnValue,
  krbtgtAdd,
  linkKrbtgt,
  sidDn,
  dnsNameOfDomainDn,
  firstRdnValue,
  sameDn,
} from '../../../src/directory/index.js';

const names = {
  domainDn: 'DC=samba,DC=test',
  domainSid: 'S-1-5-21-3526404229-2534629100-373049084',
  name: 'TGTBRIDGE',
  dnsHostName: 'tgtbridge.samba.test',
};

describe('computerAdd (the RODC-style computer object)', () => {
  const req = computerAdd(names);

  it('goes into OU=Domain Controllers with sAMAccountName NAME$ and no control', () => {
    expect(req.dn).toBe('CN=TGTBRIDGE,OU=Domain Controllers,DC=samba,DC=test');
    expect(req.attributes['sAMAccountName']).toEqual(['TGTBRIDGE$']);
    expect(req.attributes['objectClass']).toEqual(['computer']);
    expect(req.attributes['dNSHostName']).toEqual(['tgtbridge.samba.test']);
    expect(req.controls).toEqual([]);
  });

  it('is added disabled: 0x05001000 | ACCOUNTDISABLE', () => {
    expect(req.attributes['userAccountControl']).toEqual([String(0x05001002)]);
  });

  it('supports AES128 and AES256 only (24)', () => {
    expect(req.attributes['msDS-SupportedEncryptionTypes']).toEqual(['24']);
  });

  it('names the PRP groups by SID string DN', () => {
    expect(req.attributes['msDS-RevealOnDemandGroup']).toEqual([`<SID=${names.domainSid}-571>`]);
    expect(req.attributes['msDS-NeverRevealGroup']).toEqual([
      `<SID=${names.domainSid}-572>`,
      '<SID=S-1-5-32-544>',
      '<SID=S-1-5-32-549>',
      '<SID=S-1-5-32-551>',
      '<SID=S-1-5-32-548>',
    ]);
  });

  it('refuses names that are no NetBIOS computer names', () => {
    for (const bad of ['', 'A'.repeat(16), 'TGT BRIDGE', 'X$', 'a,b', 'a=b', '.lead']) {
      expect(() => computerAdd({ ...names, name: bad }), bad).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
    }
  });
});

describe('krbtgtAdd (the RODC krbtgt account)', () => {
  const req = krbtgtAdd(names);

  it('is a disabled user (514) under CN=Users with a provisional name', () => {
    expect(req.dn).toBe('CN=krbtgt_TGTBRIDGE,CN=Users,DC=samba,DC=test');
    expect(req.attributes['objectClass']).toEqual(['user']);
    expect(req.attributes['userAccountControl']).toEqual(['514']);
    expect(req.attributes['sAMAccountName']).toBeUndefined();
  });

  it('carries the RODC-join control 1.2.840.113556.1.4.1341, critical', () => {
    expect(req.controls).toEqual([{ oid: '1.2.840.113556.1.4.1341', critical: true }]);
  });
});

describe('modifications', () => {
  it('links the krbtgt account and then enables the computer with exactly 0x05001000', () => {
    const c = 'CN=TGTBRIDGE,OU=Domain Controllers,DC=samba,DC=test';
    expect(linkKrbtgt(c, 'CN=krbtgt_7,CN=Users,DC=samba,DC=test')).toEqual({
      dn: c,
      changes: [{ operation: 'replace', type: 'msDS-KrbTgtLink', values: ['CN=krbtgt_7,CN=Users,DC=samba,DC=test'] }],
    });
    expect(enableComputer(c).changes).toEqual([{ operation: 'replace', type: 'userAccountControl', values: [String(0x05001000)] }]);
  });
});

describe('DN and filter helpers', () => {
  it('sidDn accepts SIDs only', () => {
    expect(sidDn('S-1-5-32-544')).toBe('<SID=S-1-5-32-544>');
    expect(() => sidDn('S-1-5-x')).toThrow(expect.objectContaining({ code: 'ERR_DIRECTORY' }));
    expect(() => sidDn('CN=x')).toThrow(expect.objectContaining({ code: 'ERR_DIRECTORY' }));
  });

  it('escapes RDN values (RFC 4514 §2.4) and filter values (RFC 4515 §3)', () => {
    expect(escapeRdnValue('a,b+c"d\\e<f>g;h=i')).toBe('a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h\\=i');
    expect(escapeRdnValue('#x ')).toBe('\\#x\\ ');
    expect(escapeFilterValue('a*(b)\\c')).toBe('a\\2a\\28b\\29\\5cc');
  });

  it('reads DNs', () => {
    expect(dnsNameOfDomainDn('DC=Samba,DC=test')).toBe('samba.test');
    expect(() => dnsNameOfDomainDn('CN=Users,DC=samba,DC=test')).toThrow(expect.objectContaining({ code: 'ERR_DIRECTORY' }));
    expect(firstRdnValue('CN=a\\,b,CN=Users,DC=x')).toBe('a,b');
    expect(sameDn('CN=krbtgt_5, CN=Users,DC=X', 'cn=KRBTGT_5,cn=users,dc=x')).toBe(true);
    expect(sameDn('CN=krbtgt_5,CN=Users,DC=x', 'CN=krbtgt_6,CN=Users,DC=x')).toBe(false);
  });
});
