import { ETYPE, Key } from '../src/crypto/index.js';
import { buildPac, decodePac, kerbValidationInfoFor, parseSid, sidWithRid, signPac, verifyPac } from '../src/pac/index.js';
import { measure, type BenchResult } from './result.js';

/**
 * Issue 4's benchmark: PAC decode, build + sign (server and KDC signatures) and verify per second,
 * for a user in 50 groups with an AES256 service key and an AES256 krbtgt key — the shape of a PAC
 * in a service ticket from a writable DC.
 */
const domain = parseSid('S-1-5-21-4109729462-983708096-1421331175');
const serverKey = Key.fromBytes(ETYPE.AES256_CTS_HMAC_SHA1_96, new Uint8Array(32).fill(0x11));
const kdcKey = Key.fromBytes(ETYPE.AES256_CTS_HMAC_SHA1_96, new Uint8Array(32).fill(0x22));
const authtime = new Date('2026-11-27T10:00:00Z');

function buildAndSign(): Uint8Array {
  const logonInfo = kerbValidationInfoFor({
    domainSid: domain,
    userRid: 1166,
    effectiveName: 'alice',
    fullName: 'Alice Example',
    logonServer: 'DC1',
    logonDomainName: 'CORP',
    groups: Array.from({ length: 50 }, (_, i) => ({ rid: 1100 + i })),
    extraSids: [{ sid: parseSid('S-1-18-1') }],
    logonTime: authtime,
  });
  const pac = buildPac({
    logonInfo,
    clientInfo: { authtime, name: 'alice' },
    upnDnsInfo: { Upn: 'alice@corp.example', DnsDomainName: 'CORP.EXAMPLE', Flags: 0, SamName: 'alice', Sid: sidWithRid(domain, 1166) },
    attributes: 1,
    requestorSid: sidWithRid(domain, 1166),
  });
  return signPac({ pac, serverKey, kdcKey });
}

export async function benchPac(): Promise<BenchResult[]> {
  const signed = buildAndSign();
  let sink = 0;
  const decode = measure(() => {
    sink ^= decodePac(signed).Buffers.length;
  });
  const sign = measure(() => {
    sink ^= buildAndSign().length;
  });
  const verify = measure(() => {
    const { signatures } = verifyPac(signed, { serverKey, kdcKey });
    if (!signatures.every((s) => s.verified === true)) throw new Error('PAC did not verify');
    sink ^= signatures.length;
  });
  if (sink === -1) console.log(sink);
  const size = `${signed.length} B, 50 groups`;
  return [
    { name: `PAC decode (${size})`, opsPerSec: decode, note: 'layout + every buffer, strict NDR' },
    { name: 'PAC build + sign (server + KDC)', opsPerSec: sign, note: 'kerbValidationInfoFor, buildPac, signPac; AES256 keys' },
    { name: 'PAC verify (server + KDC)', opsPerSec: verify, note: 'decode + 2 HMAC-SHA1-96-AES256 checks' },
  ];
}
