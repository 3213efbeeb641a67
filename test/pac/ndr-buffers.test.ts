import { describe, expect, it } from 'vitest';
import {
  decodePacDeviceInfo,
  decodeS4uDelegationInfo,
  encodePacDeviceInfo,
  encodeS4uDelegationInfo,
  formatSid,
  parseSid,
  rpcUnicodeString,
  type PacDeviceInfo,
} from '../../src/pac/index.js';
import { fromHex, toHex } from '../../src/util/index.js';

describe('S4U_DELEGATION_INFO (MS-PAC §2.9)', () => {
  // Derived by hand from C706 §14: scalars (target string header, TransitedListSize, pointer), then
  // the deferred target chars, then the conformant array of RPC_UNICODE_STRING headers, then their chars.
  const expected = fromHex(
    '01100800cccccccc' + '40000000' + '00000000' +
      '00000200' + // top-level referent
      '0200' + '0200' + '04000200' + // S4U2proxyTarget: Length, MaximumLength, Buffer referent
      '01000000' + '08000200' + // TransitedListSize, S4UTransitedServices referent
      '01000000' + '00000000' + '01000000' + '6100' + '0000' + // "a" and padding to 4
      '01000000' + // array size
      '0200' + '0200' + '0c000200' + // [0] header
      '01000000' + '00000000' + '01000000' + '6200' + '0000', // [0] chars "b", padding to 8
  );

  it('encodes as C706 lays it out and decodes back', () => {
    const info = { S4U2proxyTarget: rpcUnicodeString('a'), S4UTransitedServices: [rpcUnicodeString('b')] };
    expect(toHex(encodeS4uDelegationInfo(info))).toBe(toHex(expected));
    expect(decodeS4uDelegationInfo(expected)).toEqual(info);
  });

  it('rejects a TransitedListSize that disagrees with the array', () => {
    const bad = Uint8Array.from(expected);
    bad[28] = 2;
    expect(() => decodeS4uDelegationInfo(bad)).toThrow(expect.objectContaining({ code: 'ERR_NDR_DECODE' }));
  });
});

describe('PAC_DEVICE_INFO (MS-PAC §2.12)', () => {
  const device: PacDeviceInfo = {
    UserId: 1500,
    PrimaryGroupId: 515,
    AccountDomainId: parseSid('S-1-5-21-1-2-3'),
    AccountGroupIds: [{ RelativeId: 515, Attributes: 7 }],
    ExtraSids: [{ Sid: parseSid('S-1-18-1'), Attributes: 7 }],
    DomainGroup: [
      { DomainId: parseSid('S-1-5-21-4-5-6'), GroupIds: [{ RelativeId: 1000, Attributes: 0x20000007 }] },
      { DomainId: null, GroupIds: null },
    ],
  };

  it('round-trips with its deferred pointees in field order', () => {
    const bytes = encodePacDeviceInfo(device);
    expect(decodePacDeviceInfo(bytes)).toEqual(device);
    const hex = toHex(bytes);
    // AccountDomainId's SID comes before the group array, which comes before the ExtraSids array.
    const domainAt = hex.indexOf('0104000000000005' + '15000000' + '01000000');
    const groupsAt = hex.indexOf('01000000' + '03020000' + '07000000');
    const extraAt = hex.indexOf('0101000000000012');
    expect(domainAt).toBeGreaterThan(0);
    expect(groupsAt).toBeGreaterThan(domainAt);
    expect(extraAt).toBeGreaterThan(groupsAt);
    expect(bytes.length % 8).toBe(0);
  });

  it('names the SIDs for display', () => {
    const d = decodePacDeviceInfo(encodePacDeviceInfo(device));
    expect(d.DomainGroup?.[0]?.DomainId && formatSid(d.DomainGroup[0].DomainId)).toBe('S-1-5-21-4-5-6');
  });
});
