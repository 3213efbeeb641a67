import { describe, expect, it } from 'vitest';
import { ETYPE } from '../../src/crypto/index.js';
import {
  buildPac,
  decodePac,
  describePac,
  encodePac,
  formatSid,
  kerbValidationInfoFor,
  parseSid,
  sidWithRid,
  signPac,
  USER_FLAGS,
} from '../../src/pac/index.js';
import { DOMAIN_SID, samplePac, testKey } from './pac-test-data.js';

describe('kerbValidationInfoFor (MS-KILE §3.3.5.6.4.1)', () => {
  const base = { domainSid: DOMAIN_SID, userRid: 1166, effectiveName: 'alice', logonServer: 'DC1', logonDomainName: 'SAMBA' };

  it('fills the fields as a DC does', () => {
    const v = kerbValidationInfoFor(base);
    expect(v.GroupIds).toEqual([{ RelativeId: 513, Attributes: 7 }]);
    expect(v.PrimaryGroupId).toBe(513);
    expect(v.UserFlags).toBe(0);
    expect(v.ExtraSids).toBeNull();
    expect(v.ResourceGroupDomainSid).toBeNull();
    expect(v.LogoffTime).toBe(0x7fffffffffffffffn);
    expect(v.KickOffTime).toBe(0x7fffffffffffffffn);
    expect(v.PasswordMustChange).toBe(0x7fffffffffffffffn);
    expect(v.UserSessionKey).toEqual(new Uint8Array(16));
    expect(v.LogonServer).toEqual({ Length: 6, MaximumLength: 8, Buffer: 'DC1' });
    expect(v.FullName).toEqual({ Length: 0, MaximumLength: 0, Buffer: '' });
    expect(v.UserAccountControl).toBe(0x10);
  });

  it('sets D with ExtraSids and H with resource groups (MS-PAC §2.5)', () => {
    const v = kerbValidationInfoFor({
      ...base,
      groups: [{ rid: 512 }, { rid: 513 }],
      extraSids: [{ sid: parseSid('S-1-18-1') }],
      resourceGroupDomainSid: parseSid('S-1-5-21-9-9-9'),
      resourceGroups: [{ rid: 2000 }],
    });
    expect(v.UserFlags).toBe(USER_FLAGS.EXTRA_SIDS | USER_FLAGS.RESOURCE_GROUPS);
    expect(v.GroupIds?.map((g) => g.RelativeId)).toEqual([512, 513]);
    expect(v.ExtraSids).toEqual([{ Sid: parseSid('S-1-18-1'), Attributes: 7 }]);
    expect(v.ResourceGroupIds).toEqual([{ RelativeId: 2000, Attributes: 0x20000007 }]);
    expect(() => kerbValidationInfoFor({ ...base, resourceGroups: [{ rid: 1 }] })).toThrow(RangeError);
  });
});

describe('buildPac', () => {
  it('orders buffers as Windows does and signs them after', () => {
    const pac = samplePac(50);
    expect(pac.Buffers.map((b) => b.ulType)).toEqual([1, 10, 12, 17, 18]);
    const signed = signPac({ pac, serverKey: testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 1), kdcKey: testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 2) });
    const decoded = decodePac(signed);
    expect(decoded.Buffers.map((b) => b.ulType)).toEqual([1, 10, 12, 17, 18, 6, 7]);
    expect(encodePac(decoded)).toEqual(signed);
    // Every buffer starts on an 8-byte boundary (MS-PAC §2.3).
    expect(signed.length % 8).toBe(0);
  });

  it('writes CLIENT_INFO.ClientId as the authtime in whole seconds', () => {
    const logonInfo = kerbValidationInfoFor({ domainSid: DOMAIN_SID, userRid: 1, effectiveName: 'u', logonServer: 'D', logonDomainName: 'N' });
    const pac = buildPac({ logonInfo, clientInfo: { authtime: new Date('2026-01-01T00:00:00.900Z'), name: 'u' } });
    const c = decodePac(encodePac(pac)).Buffers[1]?.value;
    expect(c?.type === 'CLIENT_INFO' && c.value.ClientId).toBe(134116992000000000n);
  });

  it('describes a built and signed PAC with the issue’s JSON names', () => {
    const serverKey = testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 1);
    const kdcKey = testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 2);
    const signed = signPac({ pac: samplePac(2), serverKey, kdcKey, rodcId: 54271 });
    const view = describePac(signed, { serverKey, kdcKey });
    expect(view.buffers.map((b) => [b.type, b.name])).toEqual([
      [1, 'LOGON_INFO'],
      [10, 'CLIENT_INFO'],
      [12, 'UPN_DNS_INFO'],
      [17, 'ATTRIBUTES_INFO'],
      [18, 'REQUESTOR'],
      [6, 'SERVER_CHECKSUM'],
      [7, 'PRIVSVR_CHECKSUM'],
    ]);
    expect(view.logonInfo?.userSid).toBe(formatSid(sidWithRid(DOMAIN_SID, 1166)));
    expect(view.logonInfo?.groupSids.map((g) => g.name ?? g.sid)).toEqual(['Domain Users', `${formatSid(DOMAIN_SID)}-1100`, `${formatSid(DOMAIN_SID)}-1101`]);
    expect(view.logonInfo?.extraSids).toEqual([{ sid: 'S-1-18-1', attributes: 7, name: 'Authentication authority asserted identity' }]);
    expect(view.clientInfo).toEqual({ name: 'alice', clientId: '2026-11-27T10:00:00Z' });
    expect(view.upnDnsInfo).toEqual({ upn: 'alice@samba.test', dnsDomainName: 'SAMBA.TEST', flags: 2, samName: 'alice', sid: formatSid(sidWithRid(DOMAIN_SID, 1166)) });
    expect(view.requestorSid).toBe(formatSid(sidWithRid(DOMAIN_SID, 1166)));
    expect(view.attributes).toMatchObject({ pacWasRequested: true, pacWasGivenImplicitly: false });
    expect(view.signatures).toEqual([
      { type: 'SERVER_CHECKSUM', checksumType: 16, rodcId: null, verified: true },
      { type: 'PRIVSVR_CHECKSUM', checksumType: 16, rodcId: 54271, verified: true },
    ]);
  });
});
