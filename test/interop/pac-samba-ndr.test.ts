import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ETYPE } from '../../src/crypto/index.js';
import { buildPac, decodePac, kerbValidationInfoFor, parseSid, sidWithRid, signPac } from '../../src/pac/index.js';
import { toHex } from '../../src/util/index.js';
import { asSambaJson } from '../pac/samba-json.js';
import { testKey } from '../pac/pac-test-data.js';
import { describeWithPeers } from '../support/peers.js';

/**
 * A PAC we build and sign (every LOGON_INFO feature, UPN_DNS_INFO S form, attributes, requestor,
 * RODC-numbered KDC/ticket/full signatures) is read by Samba's own NDR (python3-samba,
 * `krb5pac.PAC_DATA`, via scripts/lab/samba-pac-dump.py --json) and must come out field for field
 * as we meant it.
 */
const ROOT = join(import.meta.dirname, '..', '..');

describeWithPeers('Samba NDR reads our PACs', ['/usr/bin/python3'], () => {
  it('decodes a built, signed PAC to the same fields', () => {
    const domain = parseSid('S-1-5-21-1882948272-2805576772-1729273947');
    const logonInfo = kerbValidationInfoFor({
      domainSid: domain,
      userRid: 1103,
      effectiveName: 'alice',
      fullName: 'Alice Ünïcode',
      logonServer: 'DC1',
      logonDomainName: 'SAMBA',
      groups: Array.from({ length: 50 }, (_, i) => ({ rid: 1100 + i })),
      extraSids: [{ sid: parseSid('S-1-18-1') }, { sid: parseSid('S-1-5-21-1-2-3-1000'), attributes: 0x20000007 }],
      resourceGroupDomainSid: parseSid('S-1-5-21-9-8-7'),
      resourceGroups: [{ rid: 4000 }, { rid: 4001 }],
      logonTime: new Date('2026-11-27T21:53:16Z'),
    });
    const pac = buildPac({
      logonInfo,
      clientInfo: { authtime: new Date('2026-11-27T21:53:16Z'), name: 'alice' },
      upnDnsInfo: { Upn: 'alice@samba.test', DnsDomainName: 'SAMBA.TEST', Flags: 0, SamName: 'alice', Sid: sidWithRid(domain, 1103) },
      attributes: 1,
      requestorSid: sidWithRid(domain, 1103),
    });
    const signed = signPac({
      pac,
      serverKey: testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 1),
      kdcKey: testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 2),
      rodcId: 54271,
      ticketChecksumInput: new Uint8Array([0x30, 0x00]),
      includeFullChecksum: true,
    });
    const out = execFileSync('/usr/bin/python3', [join(ROOT, 'scripts', 'lab', 'samba-pac-dump.py'), '--json'], { input: toHex(signed) });
    const samba = JSON.parse(out.toString('utf8')) as Record<string, unknown>;
    const ours = asSambaJson(decodePac(signed));
    // Samba's PAC_SIGNATURE_DATA keeps everything after the type as "signature": for the
    // krbtgt-keyed ones that is our 12-byte checksum followed by the RODC number 54271 (0xd3ff LE).
    ours.Signatures = (ours.Signatures as { ulType: number; Signature: string }[]).map((s) => (s.ulType === 6 ? s : { ...s, Signature: `${s.Signature}ffd3` }));
    for (const key of Object.keys(ours)) expect({ [key]: samba[key] }).toEqual({ [key]: ours[key] });
  });
});
