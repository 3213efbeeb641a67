import { Key, ETYPE } from '../../src/crypto/index.js';
import { buildPac, kerbValidationInfoFor, parseSid, PAC_ATTRIBUTE_FLAGS, sidWithRid, type Pac } from '../../src/pac/index.js';

export const DOMAIN_SID = parseSid('S-1-5-21-4109729462-983708096-1421331175');

/** Fixed test keys per etype (bytes are arbitrary but fixed so failures reproduce). */
export function testKey(etype: number, seed: number): Key {
  const length = etype === ETYPE.AES128_CTS_HMAC_SHA1_96 || etype === ETYPE.AES128_CTS_HMAC_SHA256_128 || etype === ETYPE.RC4_HMAC ? 16 : 32;
  return Key.fromBytes(etype, Uint8Array.from({ length }, (_, i) => (seed * 31 + i * 7) & 0xff));
}

/** A user PAC as a writable DC issues it, with `groupCount` groups. */
export function samplePac(groupCount = 3): Pac {
  const groups = Array.from({ length: groupCount }, (_, i) => ({ rid: 1100 + i }));
  const logonInfo = kerbValidationInfoFor({
    domainSid: DOMAIN_SID,
    userRid: 1166,
    effectiveName: 'alice',
    fullName: 'Alice Example',
    logonServer: 'DC1',
    logonDomainName: 'SAMBA',
    groups,
    extraSids: [{ sid: parseSid('S-1-18-1') }],
    logonTime: new Date('2026-11-27T10:00:00Z'),
  });
  return buildPac({
    logonInfo,
    clientInfo: { authtime: new Date('2026-11-27T10:00:00Z'), name: 'alice' },
    upnDnsInfo: {
      Upn: 'alice@samba.test',
      DnsDomainName: 'SAMBA.TEST',
      Flags: 0,
      SamName: 'alice',
      Sid: sidWithRid(DOMAIN_SID, 1166),
    },
    attributes: PAC_ATTRIBUTE_FLAGS.PAC_WAS_REQUESTED,
    requestorSid: sidWithRid(DOMAIN_SID, 1166),
  });
}
