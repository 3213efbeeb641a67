import { describe, expect, it } from 'vitest';
import { sidFromBytes } from '../../../src/directory/index.js';

describe('sidFromBytes (MS-DTYP §2.4.2.2)', () => {
  it('decodes a domain objectSid as Samba 4.17 returned it over LDAP', () => {
    const bytes = Buffer.from('010400000000000515000000' + '85a830d2' + 'ec5e1397' + 'fc463c16', 'hex');
    expect(sidFromBytes(bytes)).toBe('S-1-5-21-3526404229-2534629100-373049084');
  });

  it('decodes BUILTIN\\Administrators and S-1-1-0', () => {
    expect(sidFromBytes(Buffer.from('01020000000000052000000020020000', 'hex'))).toBe('S-1-5-32-544');
    expect(sidFromBytes(Buffer.from('010100000000000100000000', 'hex'))).toBe('S-1-1-0');
  });

  it('refuses a wrong revision, a count beyond 15 and a length that does not match', () => {
    for (const hex of ['02010000000000010000000', '0101000000000001000000', '010100000000000100000000ff', '0110' + '00'.repeat(6) + '00'.repeat(64), '']) {
      expect(() => sidFromBytes(Buffer.from(hex, 'hex')), hex).toThrow(expect.objectContaining({ code: 'ERR_DIRECTORY' }));
    }
  });
});
