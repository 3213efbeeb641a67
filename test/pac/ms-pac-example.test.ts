import { describe, expect, it } from 'vitest';
import {
  decodePac,
  encodePac,
  encodeKerbValidationInfo,
  formatSid,
  pacBuffer,
  sidWithRid,
  USER_FLAGS,
  SE_GROUP,
  type KerbValidationInfo,
} from '../../src/pac/index.js';
import { filetimeToDate, toHex } from '../../src/util/index.js';
import { msPacExample } from './fixtures.js';

/** MS-PAC §3 "Structure Examples", typed in as krb-fixtures/pac/ms-pac-3-example.hex. */
describe('MS-PAC §3 worked example', () => {
  const bytes = msPacExample();
  const pac = decodePac(bytes);
  const logon = pac.Buffers[0]?.value;
  if (logon?.type !== 'LOGON_INFO') throw new Error('first buffer is LOGON_INFO');
  const info: KerbValidationInfo = logon.value;

  it('has four buffers at 0x48, 0x4f8, 0x510, 0x528 (§3)', () => {
    expect(bytes.length).toBe(0x540);
    expect(pac.Version).toBe(0);
    expect(pac.Buffers.map((b) => [b.ulType, b.data.length])).toEqual([
      [1, 0x4b0],
      [10, 0x12],
      [6, 0x14],
      [7, 0x14],
    ]);
    // CLIENT_INFO (0x12 bytes at 0x4f8) is followed by 6 bytes of padding to 0x510.
    expect(pac.Buffers[1]?.padding?.length).toBe(6);
    expect(pac.dataOrder).toBeUndefined();
  });

  it('decodes KERB_VALIDATION_INFO field by field (§3.1)', () => {
    expect(info.LogonTime).toBe(0x01c66a650f6686d1n);
    expect(info.LogoffTime).toBe(0x7fffffffffffffffn);
    expect(info.KickOffTime).toBe(0x7fffffffffffffffn);
    expect(info.PasswordLastSet).toBe(0x01c64a78fe39d417n);
    expect(info.PasswordCanChange).toBe(0x01c64b4228a39417n);
    expect(info.PasswordMustChange).toBe(0x01c6817a97245417n);
    expect(info.EffectiveName).toEqual({ Length: 8, MaximumLength: 8, Buffer: 'lzhu' });
    expect(info.FullName).toEqual({ Length: 0x24, MaximumLength: 0x24, Buffer: 'Liqiang(Larry) Zhu' });
    expect(info.LogonScript).toEqual({ Length: 0x12, MaximumLength: 0x12, Buffer: 'ntds2.bat' });
    // Empty strings have non-NULL pointers (referents 0x00020010, 0x00020014, 0x00020018).
    expect(info.ProfilePath).toEqual({ Length: 0, MaximumLength: 0, Buffer: '' });
    expect(info.HomeDirectory.Buffer).toBe('');
    expect(info.HomeDirectoryDrive.Buffer).toBe('');
    expect(info.LogonCount).toBe(0x1054);
    expect(info.BadPasswordCount).toBe(0);
    expect(info.UserId).toBe(0x2c7997);
    expect(info.PrimaryGroupId).toBe(513);
    expect(info.GroupIds).toHaveLength(26);
    expect(info.GroupIds?.[0]).toEqual({ RelativeId: 0x0033c461, Attributes: 7 });
    expect(info.GroupIds?.[3]).toEqual({ RelativeId: 513, Attributes: 7 });
    expect(info.GroupIds?.[25]).toEqual({ RelativeId: 0x2e0e72, Attributes: 7 });
    expect(info.UserFlags).toBe(USER_FLAGS.EXTRA_SIDS);
    expect(toHex(info.UserSessionKey)).toBe('00'.repeat(16));
    expect(info.LogonServer).toEqual({ Length: 22, MaximumLength: 24, Buffer: 'NTDEV-DC-05' });
    expect(info.LogonDomainName).toEqual({ Length: 10, MaximumLength: 12, Buffer: 'NTDEV' });
    expect(info.LogonDomainId && formatSid(info.LogonDomainId)).toBe('S-1-5-21-397955417-626881126-188441444');
    expect(info.Reserved1).toEqual([0, 0]);
    expect(info.UserAccountControl).toBe(0x10);
    expect(info.ExtraSids).toHaveLength(13);
    expect(info.ExtraSids?.[0]?.Attributes).toBe(7);
    expect(info.ExtraSids?.[0]?.Sid && formatSid(info.ExtraSids[0].Sid)).toBe('S-1-5-21-773533881-1816936887-355810188-513');
    expect(info.ExtraSids?.slice(1).every((s) => s.Attributes === (SE_GROUP.RESOURCE | 7))).toBe(true);
    expect(info.ExtraSids?.[12]?.Sid && formatSid(info.ExtraSids[12].Sid)).toBe('S-1-5-21-397955417-626881126-188441444-3038983');
    expect(info.ResourceGroupDomainSid).toBeNull();
    expect(info.ResourceGroupIds).toBeNull();
  });

  it('names the first group SID as §3.1 does', () => {
    const domain = info.LogonDomainId;
    if (domain === null) throw new Error('LogonDomainId');
    expect(formatSid(sidWithRid(domain, info.GroupIds?.[0]?.RelativeId ?? 0))).toBe('S-1-5-21-397955417-626881126-188441444-3392609');
  });

  it('decodes CLIENT_INFO (§3.2) and the HMAC-MD5 signatures (§3.3)', () => {
    const client = pac.Buffers[1]?.value;
    expect(client?.type === 'CLIENT_INFO' && client.value).toEqual({ ClientId: 0x01c66a650ed94900n, Name: 'lzhu' });
    expect(filetimeToDate(0x01c66a650ed94900n).toISOString()).toBe('2006-04-28T01:42:50.000Z');
    const server = pac.Buffers[2]?.value;
    expect(server?.type === 'SERVER_CHECKSUM' && server.value.SignatureType).toBe(-138);
    expect(server?.type === 'SERVER_CHECKSUM' && toHex(server.value.Signature)).toBe('41edce9a34815d3aef7bc98874805d25');
    const kdc = pac.Buffers[3]?.value;
    if (kdc?.type !== 'PRIVSVR_CHECKSUM') throw new Error('PRIVSVR_CHECKSUM');
    expect(kdc.value.SignatureType).toBe(-138);
    expect(toHex(kdc.value.Signature)).toBe('f7a534dab2c02986efe0fbe5110a4f32');
    expect(kdc.value.RODCIdentifier).toBeUndefined();
  });

  it('re-encodes byte-identically from the raw buffers', () => {
    expect(toHex(encodePac(pac))).toBe(toHex(bytes));
  });

  it('re-encodes byte-identically from the decoded values alone (our NDR writer matches Windows)', () => {
    expect(toHex(encodeKerbValidationInfo(info))).toBe(toHex(pac.Buffers[0]!.data));
    const rebuilt = encodePac({
      Version: 0,
      Buffers: pac.Buffers.map((b) => {
        if (b.value === undefined) throw new Error('all four are known types');
        return pacBuffer(b.value);
      }),
    });
    expect(toHex(rebuilt)).toBe(toHex(bytes));
  });
});
