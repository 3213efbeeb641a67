import { describe, expect, it } from 'vitest';
import { decodePac, describePac, encodePac, formatSid, pacBuffer, UPN_DNS_FLAGS } from '../../src/pac/index.js';
import { toHex } from '../../src/util/index.js';
import { sambaPac } from './fixtures.js';

/**
 * A PAC issued by a Samba AD DC (samba source4/librpc/tests/krb5pac_upn_dns_info_ex.b64.txt).
 * Expected values are those of Samba's own `ndrdump krb5pac PAC_DATA` output for it
 * (krb5pac_upn_dns_info_ex.txt in the same directory).
 */
describe('Samba-issued PAC', () => {
  const bytes = sambaPac();
  const pac = decodePac(bytes);

  it('lists the six buffers with ndrdump’s sizes', () => {
    expect(bytes.length).toBe(824);
    expect(pac.Buffers.map((b) => [b.ulType, b.data.length])).toEqual([
      [1, 0x1d0],
      [10, 0x1c],
      [12, 0xa8],
      [6, 0x14],
      [7, 0x10],
      [16, 0x10],
    ]);
  });

  it('decodes LOGON_INFO as ndrdump does', () => {
    const v = pac.Buffers[0]?.value;
    if (v?.type !== 'LOGON_INFO') throw new Error('LOGON_INFO');
    const i = v.value;
    expect(i.LogonTime).toBe(0n);
    expect(i.EffectiveName).toEqual({ Length: 18, MaximumLength: 18, Buffer: 'tsttktusr' });
    expect(i.FullName).toEqual({ Length: 0, MaximumLength: 0, Buffer: '' });
    expect(i.UserId).toBe(1166);
    expect(i.PrimaryGroupId).toBe(513);
    expect(i.GroupIds).toEqual([{ RelativeId: 513, Attributes: 7 }]);
    expect(i.UserFlags).toBe(0x20);
    expect(i.LogonServer).toEqual({ Length: 14, MaximumLength: 16, Buffer: 'LOCALDC' });
    expect(i.LogonDomainName).toEqual({ Length: 22, MaximumLength: 24, Buffer: 'SAMBADOMAIN' });
    expect(i.LogonDomainId && formatSid(i.LogonDomainId)).toBe('S-1-5-21-4109729462-983708096-1421331175');
    expect(i.UserAccountControl).toBe(0x10);
    expect(i.ExtraSids?.map((s) => [s.Sid && formatSid(s.Sid), s.Attributes])).toEqual([['S-1-18-1', 7]]);
    expect(i.ResourceGroupDomainSid).toBeNull();
    expect(i.ResourceGroupIds).toBeNull();
  });

  it('decodes CLIENT_INFO and the extended UPN_DNS_INFO', () => {
    const c = pac.Buffers[1]?.value;
    expect(c?.type === 'CLIENT_INFO' && c.value.Name).toBe('tsttktusr');
    const u = pac.Buffers[2]?.value;
    if (u?.type !== 'UPN_DNS_INFO') throw new Error('UPN_DNS_INFO');
    expect(u.value.Upn).toBe('tsttktusr@samba.example.com');
    expect(u.value.DnsDomainName).toBe('SAMBA.EXAMPLE.COM');
    expect(u.value.Flags).toBe(UPN_DNS_FLAGS.U | UPN_DNS_FLAGS.S);
    expect(u.value.SamName).toBe('tsttktusr');
    expect(u.value.Sid && formatSid(u.value.Sid)).toBe('S-1-5-21-4109729462-983708096-1421331175-1166');
  });

  it('decodes the server (HMAC-MD5), KDC and ticket (AES256) signatures', () => {
    const sigs = pac.Buffers.slice(3).map((b) => {
      const v = b.value;
      if (v === undefined || !('Signature' in v.value)) throw new Error('signature');
      return [v.type, v.value.SignatureType, toHex(v.value.Signature)];
    });
    expect(sigs).toEqual([
      ['SERVER_CHECKSUM', -138, '2b396a8c7629da8d63c0955719106ece'],
      ['PRIVSVR_CHECKSUM', 16, '5ad478fd1bf0f6dcb7456556'],
      ['TICKET_CHECKSUM', 16, '78482f8818aa0b3fed34df4a'],
    ]);
  });

  it('re-encodes byte-identically, from raw buffers and from decoded values', () => {
    expect(toHex(encodePac(pac))).toBe(toHex(bytes));
    const rebuilt = encodePac({ ...pac, Buffers: pac.Buffers.map((b) => ({ ...pacBuffer(b.value!), ...(b.padding ? { padding: b.padding } : {}) })) });
    expect(toHex(rebuilt)).toBe(toHex(bytes));
  });

  it('describes it for inspect, signatures not checked without keys', () => {
    const view = describePac(bytes);
    expect(view.buffers.map((b) => b.name)).toEqual(['LOGON_INFO', 'CLIENT_INFO', 'UPN_DNS_INFO', 'SERVER_CHECKSUM', 'PRIVSVR_CHECKSUM', 'TICKET_CHECKSUM']);
    expect(view.logonInfo?.userSid).toBe('S-1-5-21-4109729462-983708096-1421331175-1166');
    expect(view.logonInfo?.groupSids).toEqual([{ sid: 'S-1-5-21-4109729462-983708096-1421331175-513', attributes: 7, name: 'Domain Users' }]);
    expect(view.logonInfo?.extraSids).toEqual([{ sid: 'S-1-18-1', attributes: 7, name: 'Authentication authority asserted identity' }]);
    expect(view.clientInfo?.name).toBe('tsttktusr');
    expect(view.upnDnsInfo?.samName).toBe('tsttktusr');
    expect(view.signatures.map((s) => [s.type, s.checksumType, s.rodcId, s.verified])).toEqual([
      ['SERVER_CHECKSUM', -138, null, 'not-checked'],
      ['PRIVSVR_CHECKSUM', 16, null, 'not-checked'],
      ['TICKET_CHECKSUM', 16, null, 'not-checked'],
    ]);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});
