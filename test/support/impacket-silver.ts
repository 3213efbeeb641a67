import { expect } from 'vitest';
import { AD_TYPES, extractPac, NAME_TYPES, pacAuthorizationData, ticketCodec } from '../../src/asn1/index.js';
import { ETYPE, Key } from '../../src/crypto/index.js';
import { decodeCcache } from '../../src/files/index.js';
import { decodePac, encodePac, formatSid, PAC_BUFFER_TYPE, pacBufferOffsets, verifyPac, type KerbValidationInfo } from '../../src/pac/index.js';
import { openTicket } from '../../src/ticket/index.js';
import { dateToFiletime, fromHex } from '../../src/util/index.js';

/**
 * What a python3-impacket 0.10 ticketer.py silver ticket is, checked against our decoders. The
 * facts come from reading Debian's ticketer.py (0.10.0-4):
 *
 * - PAC: exactly LOGON_INFO, CLIENT_INFO, server and KDC signatures, in that order (createBasicPac,
 *   signEncryptTicket); no UPN_DNS_INFO, REQUESTOR, ticket (16) or full (19) signature.
 * - Both signatures are made with the one key given on the command line (-aesKey / -nthash), the
 *   service's key for a silver ticket: the KDC signature (over the server signature bytes) is an
 *   HMAC with the *service* key, because ticketer has no krbtgt key. So the server signature
 *   verifies with the service key, the KDC signature verifies with the service key too, and with
 *   any real krbtgt key it fails — which is how a DC-validated PAC (KERB_VERIFY_PAC) exposes it.
 * - Checksum type follows the key: 16 for a 64-hex-digit AES key, -138 for an NT hash.
 * - LOGON_INFO: LogonDomainName is the DNS domain upper-cased (not a NetBIOS name), LogonServer
 *   empty, LogonCount 500, UserAccountControl NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD (0x210), PasswordLastSet and
 *   LogonTime = authtime, UserFlags 0x20 (EXTRA_SIDS) when -extra-sid is given.
 * - Ticket: sname NT-PRINCIPAL (1) for a silver ticket, kvno 2, transited tr-type 0.
 */
export interface ImpacketSilverExpectation {
  readonly etype: 18 | 23;
  readonly keyHex: string;
  readonly domainSid: string;
  /** DNS domain as given to -domain. */
  readonly domain: string;
  readonly spn: readonly [string, string];
}

/** A key of `etype` that is not the signing key: stands for the domain's real krbtgt key. */
const otherKey = (etype: number): Key =>
  Key.fromBytes(etype, new Uint8Array(etype === ETYPE.RC4_HMAC ? 16 : 32).fill(0x5a));

export function checkImpacketSilverCcache(bytes: Uint8Array, x: ImpacketSilverExpectation): void {
  const realm = x.domain.toUpperCase();
  const cc = decodeCcache(bytes);
  const creds = cc.credentials.filter((c) => !c.isConfigEntry);
  expect(creds).toHaveLength(1);
  const cred = creds[0]!;
  expect(cred.client).toMatchObject({ components: ['alice'], realm });
  expect(cred.server).toMatchObject({ components: [...x.spn], realm });

  const ticket = ticketCodec.decode(cred.ticket);
  expect(ticket.realm).toBe(realm);
  expect(ticket.sname).toEqual({ nameType: NAME_TYPES['NT-PRINCIPAL'], nameString: [...x.spn] });
  expect(ticket.encPart.etype).toBe(x.etype);
  expect(ticket.encPart.kvno).toBe(2);

  const serviceKey = Key.fromBytes(x.etype, fromHex(x.keyHex));
  const { encTicketPart } = openTicket(ticket, serviceKey);
  expect(encTicketPart.crealm).toBe(realm);
  expect(encTicketPart.cname.nameString).toEqual(['alice']);
  expect(encTicketPart.key.keytype).toBe(x.etype);
  expect(encTicketPart.key.keyvalue).toEqual(cred.key.keyvalue);
  expect(encTicketPart.authtime).toEqual(cred.authtime);
  expect(encTicketPart.transited.trType).toBe(0);

  // AD-IF-RELEVANT[ AD-WIN2K-PAC ] as the only element, and our encoding of that wrapper is impacket's.
  const ad = encTicketPart.authorizationData ?? [];
  expect(ad.map((e) => e.adType)).toEqual([AD_TYPES['AD-IF-RELEVANT']]);
  const pac = extractPac(ad);
  if (pac === undefined) throw new Error('impacket ticket carries no PAC');
  expect(pacAuthorizationData(pac)).toEqual(ad[0]);

  // Decoding then encoding gives impacket's bytes back, padding included.
  const decoded = decodePac(pac);
  expect(encodePac(decoded)).toEqual(pac);
  const T = PAC_BUFFER_TYPE;
  expect(decoded.Buffers.map((b) => b.ulType)).toEqual([T.LOGON_INFO, T.CLIENT_INFO, T.SERVER_CHECKSUM, T.PRIVSVR_CHECKSUM]);

  const logon = decoded.Buffers[0]?.value;
  if (logon?.type !== 'LOGON_INFO') throw new Error('first buffer is not LOGON_INFO');
  checkLogonInfo(logon.value, x, encTicketPart.authtime);
  const client = decoded.Buffers[1]?.value;
  if (client?.type !== 'CLIENT_INFO') throw new Error('second buffer is not CLIENT_INFO');
  expect(client.value).toEqual({ ClientId: dateToFiletime(encTicketPart.authtime), Name: 'alice' });

  // The signatures: each made with the service key; the KDC one cannot verify with a krbtgt key.
  const cksumtype = x.etype === 18 ? 16 : -138;
  const bySig = (keys: Parameters<typeof verifyPac>[1]) => verifyPac(pac, keys).signatures.map((s) => [s.type, s.checksumType, s.verified]);
  expect(bySig({ serverKey: serviceKey, kdcKey: serviceKey })).toEqual([
    ['SERVER_CHECKSUM', cksumtype, true],
    ['PRIVSVR_CHECKSUM', cksumtype, true],
  ]);
  expect(bySig({ serverKey: serviceKey, kdcKey: otherKey(x.etype) })).toEqual([
    ['SERVER_CHECKSUM', cksumtype, true],
    ['PRIVSVR_CHECKSUM', cksumtype, false],
  ]);
  // One changed byte in CLIENT_INFO's Name ('alice' → '`lice'): the server signature no longer
  // holds; the KDC signature, which covers only the server signature's bytes, still does.
  const clientInfoAt = pacBufferOffsets(pac).find((b) => b.ulType === T.CLIENT_INFO)?.offset;
  if (clientInfoAt === undefined) throw new Error('no CLIENT_INFO offset');
  const tampered = Uint8Array.from(pac);
  tampered[clientInfoAt + 10] = tampered[clientInfoAt + 10]! ^ 0x01; // FILETIME 8 + NameLength 2, then Name
  const t = verifyPac(tampered, { serverKey: serviceKey, kdcKey: serviceKey });
  expect(t.pac.Buffers[1]?.value).toMatchObject({ value: { Name: '`lice' } });
  expect(t.signatures.map((s) => s.verified)).toEqual([false, true]);
}

function checkLogonInfo(v: KerbValidationInfo, x: ImpacketSilverExpectation, authtime: Date): void {
  expect(v.LogonDomainId === null ? null : formatSid(v.LogonDomainId)).toBe(x.domainSid);
  expect(v.UserId).toBe(1105);
  expect(v.PrimaryGroupId).toBe(513);
  expect(v.GroupIds).toEqual([
    { RelativeId: 513, Attributes: 7 },
    { RelativeId: 512, Attributes: 7 },
  ]);
  expect((v.ExtraSids ?? []).map((s) => [s.Sid === null ? null : formatSid(s.Sid), s.Attributes])).toEqual([['S-1-18-1', 7]]);
  expect(v.UserFlags).toBe(0x20);
  expect(v.EffectiveName.Buffer).toBe('alice');
  expect(v.FullName.Buffer).toBe('');
  expect(v.LogonDomainName.Buffer).toBe(x.domain.toUpperCase());
  expect(v.LogonServer.Buffer).toBe('');
  expect(v.LogonCount).toBe(500);
  expect(v.UserAccountControl).toBe(0x210);
  // ticketer.py (impacket 0.10.0, createBasicValidationInfo) stamps LogonTime with its clock when it
  // builds the PAC and reads the clock again for authtime later; the LogonTime it then derives from
  // authtime is never written back. So LogonTime is authtime's second or the one before it.
  expect(v.LogonTime).toBeLessThanOrEqual(dateToFiletime(authtime));
  expect(v.LogonTime).toBeGreaterThanOrEqual(dateToFiletime(authtime) - 10_000_000n);
  expect(v.ResourceGroupDomainSid).toBeNull();
  expect(v.ResourceGroupIds).toBeNull();
}
