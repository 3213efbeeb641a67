import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors/index.js';
import { decodeSid, encodeSid, formatSid, parseSid, sidEquals, sidWithRid, wellKnownSidName } from '../../src/pac/index.js';
import { toHex } from '../../src/util/index.js';

describe('SIDs (MS-DTYP §2.4.2)', () => {
  it('parses and formats the string form', () => {
    const sid = parseSid('S-1-5-21-397955417-626881126-188441444');
    expect(sid).toEqual({ Revision: 1, IdentifierAuthority: 5, SubAuthority: [21, 397955417, 626881126, 188441444] });
    expect(formatSid(sid)).toBe('S-1-5-21-397955417-626881126-188441444');
    expect(formatSid(parseSid('S-1-18-1'))).toBe('S-1-18-1');
    expect(formatSid(parseSid('S-1-0xDEADBEEF0001-7'))).toBe('S-1-0xDEADBEEF0001-7');
    expect(parseSid('S-1-5').SubAuthority).toEqual([]);
  });

  it('rejects malformed strings as programmer errors', () => {
    for (const bad of ['', 'S-1', 'S-2-5-21', 'S-1-5-x', 'S-1-5-4294967296', `S-1-5${'-1'.repeat(16)}`]) {
      expect(() => parseSid(bad)).toThrow(RangeError);
    }
  });

  it('encodes and decodes the binary form (§2.4.2.2): authority big-endian, sub-authorities little-endian', () => {
    const sid = parseSid('S-1-5-21-1-2-3-1166');
    const bytes = encodeSid(sid);
    expect(toHex(bytes)).toBe('0105000000000005' + '15000000' + '01000000' + '02000000' + '03000000' + '8e040000');
    expect(decodeSid(bytes, 'X')).toEqual(sid);
  });

  it('rejects a binary SID whose length disagrees with SubAuthorityCount', () => {
    const bytes = encodeSid(parseSid('S-1-5-21-1'));
    let e: unknown;
    try {
      decodeSid(bytes.slice(0, 11), 'PAC_REQUESTOR.Sid', 100);
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(DecodeError);
    expect(e).toMatchObject({ code: 'ERR_PAC_FORMAT', path: 'PAC_REQUESTOR.Sid', offset: 100 });
  });

  it('names well-known SIDs and domain RIDs for display', () => {
    const domain = parseSid('S-1-5-21-1-2-3');
    const names = [512, 513, 515, 516, 518, 519, 521, 571, 572].map((rid) => wellKnownSidName(sidWithRid(domain, rid)));
    expect(names).toEqual([
      'Domain Admins',
      'Domain Users',
      'Domain Computers',
      'Domain Controllers',
      'Schema Admins',
      'Enterprise Admins',
      'Read-only Domain Controllers',
      'Allowed RODC Password Replication Group',
      'Denied RODC Password Replication Group',
    ]);
    expect(wellKnownSidName(parseSid('S-1-5-32-544'))).toBe('BUILTIN\\Administrators');
    expect(wellKnownSidName(parseSid('S-1-5-32-551'))).toBe('BUILTIN\\Backup Operators');
    expect(wellKnownSidName(parseSid('S-1-18-1'))).toBe('Authentication authority asserted identity');
    expect(wellKnownSidName(parseSid('S-1-18-2'))).toBe('Service asserted identity');
    expect(wellKnownSidName(parseSid('S-1-5-11'))).toBe('Authenticated Users');
    expect(wellKnownSidName(sidWithRid(domain, 1166))).toBeUndefined();
    // A domain RID only names a SID in an S-1-5-21 domain.
    expect(wellKnownSidName(parseSid('S-1-5-32-512'))).toBeUndefined();
  });

  it('compares SIDs', () => {
    expect(sidEquals(parseSid('S-1-5-21-1-2-3'), parseSid('S-1-5-21-1-2-3'))).toBe(true);
    expect(sidEquals(parseSid('S-1-5-21-1-2-3'), parseSid('S-1-5-21-1-2'))).toBe(false);
  });
});
