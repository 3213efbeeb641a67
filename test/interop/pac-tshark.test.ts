import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import {
  apReqCodec,
  authenticatorCodec,
  extractPac,
  NAME_TYPES,
  pacAuthorizationData,
  type EncTicketPart,
  type PrincipalName,
  type Ticket,
} from '../../src/asn1/index.js';
import { ETYPE, KEY_USAGE, Key, encrypt } from '../../src/crypto/index.js';
import { encodeKeytab, type KeytabEntry } from '../../src/files/index.js';
import { buildPac, encodePac, kerbValidationInfoFor, parseSid, sidWithRid, UPN_DNS_FLAGS, verifyPac, type Pac } from '../../src/pac/index.js';
import { mintPartialTgt, sealTicket, signTicketPac, ticketChecksumInput } from '../../src/ticket/index.js';
import { fixedClock, fromHex, systemRandom } from '../../src/util/index.js';
import { describeWithPeers } from '../support/peers.js';
import { kerberosUdpPcap, tsharkFields, tsharkVerbose } from '../support/tshark.js';

/**
 * Issue 4, "Proven against real peers": a PAC we build and sign, in a ticket we encrypt, wrapped
 * in an AP-REQ, is dissected by tshark (Debian 12: 4.0.17 on MIT krb5 1.20) without malformed-packet
 * or error/warning expert items, shows our values, and tshark's own checksum code prints
 * "Verified Server checksum" / "Verified KDC checksum" / "Verified Ticket checksum" naming the
 * keytab principal whose key verified it — so a KDC signature made with the service key, or a
 * server signature made with the krbtgt key, would not pass. A failed check is a Warning expert
 * item ("Missing KDC checksum …"), which every positive case refuses.
 *
 * RODC numbers: tshark 4.0 verifies KDC and ticket signatures that carry the 2-byte RODCIdentifier
 * (it shows those bytes as the signature's tail, 4242 → "…9210"), in the partial TGT and in an
 * RODC-signed service ticket alike.
 *
 * What tshark 4.0 does not check: the full-PAC signature (19) is listed as "Unknown (19)" and never
 * verified (that came with MIT 1.21 / later Wireshark), so 19 is checked here by verifyPac only.
 *
 * etype 23: src/crypto is decrypt-only for RC4 (RFC 8429), so no RC4-encrypted ticket is made. The
 * RC4 case keeps the AES256-encrypted ticket and signs the PAC with the service's and krbtgt's RC4
 * (NT-hash) keys, checksum type -138 (HMAC-MD5, MS-PAC §2.8): what tshark must verify is the PAC's
 * -138 signatures, which is our code; a real RC4-encrypted ticket is read in pac-impacket.test.ts.
 */
const REALM = 'EXAMPLE.TEST';
const DOMAIN_SID = 'S-1-5-21-1004336348-1177238915-682003330';
const domain = parseSid(DOMAIN_SID);
const authtime = new Date('2026-11-27T21:00:00Z');
const cname: PrincipalName = { nameType: NAME_TYPES['NT-PRINCIPAL'], nameString: ['alice'] };
const cifs: PrincipalName = { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['cifs', 'fs.example.test'] };
const krbtgt: PrincipalName = { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['krbtgt', REALM] };

// Fixed keys, so a failure can be replayed byte for byte with the same keytab.
const key = (etype: number, hex: string): Key => Key.fromBytes(etype, fromHex(hex));
const KEYS = {
  cifsAes256: key(ETYPE.AES256_CTS_HMAC_SHA1_96, '6a1f3c5e7d9b2f4a8c0e1d3b5a7f9e2c4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a'),
  cifsAes128: key(ETYPE.AES128_CTS_HMAC_SHA1_96, '2b7e151628aed2a6abf7158809cf4f3c'),
  cifsRc4: key(ETYPE.RC4_HMAC, '8846f7eaee8fb117ad06bdd830b7586c'),
  krbtgtAes256: key(ETYPE.AES256_CTS_HMAC_SHA1_96, 'c0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc'),
  krbtgtRc4: key(ETYPE.RC4_HMAC, '31d6cfe0d16ae931b73c59d7e0c089c0'),
  krbtgt4242: key(ETYPE.AES256_CTS_HMAC_SHA1_96, '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0'),
  stranger: key(ETYPE.AES256_CTS_HMAC_SHA1_96, 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef'),
} as const;

/** alice, RID 1105: Domain Users (primary), Domain Admins, one more group; S-1-18-1; UPN (S form); requestor. */
function alicePac(): Pac {
  return buildPac({
    logonInfo: kerbValidationInfoFor({
      domainSid: domain,
      userRid: 1105,
      effectiveName: 'alice',
      fullName: 'Alice Example',
      logonServer: 'DC1',
      logonDomainName: 'EXAMPLE',
      groups: [{ rid: 513 }, { rid: 512 }, { rid: 1108 }],
      extraSids: [{ sid: parseSid('S-1-18-1') }],
      logonTime: authtime,
    }),
    clientInfo: { authtime, name: 'alice' },
    upnDnsInfo: { Upn: 'alice@example.test', DnsDomainName: REALM, Flags: UPN_DNS_FLAGS.S, SamName: 'alice', Sid: sidWithRid(domain, 1105) },
    requestorSid: sidWithRid(domain, 1105),
  });
}

const sessionKey = key(ETYPE.AES256_CTS_HMAC_SHA1_96, '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');

/** AP-REQ (RFC 4120 §5.5.1) for `ticket`: the authenticator under the session key, key usage 11. */
function apReq(ticket: Ticket, session: Key): Uint8Array {
  const authenticator = authenticatorCodec.encode({ crealm: REALM, cname, cusec: 0, ctime: new Date(authtime.getTime() + 60_000) });
  return apReqCodec.encode({
    apOptions: 0,
    ticket,
    authenticator: { etype: session.etype, cipher: encrypt(session, KEY_USAGE.AP_REQ_AUTH, authenticator, systemRandom) },
  });
}

interface ServiceTicket {
  readonly der: Uint8Array;
  readonly encTicketPart: EncTicketPart;
}

/** A cifs/fs.example.test ticket: PAC signed with server, KDC, ticket and full signatures, sealed with `ticketKey`. */
function serviceTicket(serverKey: Key, kdcKey: Key, ticketKey: Key, rodcId?: number): ServiceTicket {
  const unsigned: EncTicketPart = {
    flags: 0x40a10000,
    key: { keytype: sessionKey.etype, keyvalue: sessionKey.exportBytes() },
    crealm: REALM,
    cname,
    transited: { trType: 1, contents: new Uint8Array(0) },
    authtime,
    starttime: authtime,
    endtime: new Date(authtime.getTime() + 10 * 3600_000),
    authorizationData: [pacAuthorizationData(encodePac(alicePac()))],
  };
  const encTicketPart = signTicketPac({ encTicketPart: unsigned, sname: cifs, serverKey, kdcKey, ...(rodcId === undefined ? {} : { rodcId }) });
  const ticket = sealTicket({ realm: REALM, sname: cifs, encTicketPart, key: ticketKey, kvno: 3 });
  return { der: apReq(ticket, sessionKey), encTicketPart };
}

describeWithPeers('tshark dissects and verifies PACs we build and sign', ['tshark', 'text2pcap', 'od'], () => {
  const dir = mkdtempSync(join(tmpdir(), 'tgtbridge-tshark-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const keytab = (name: string, entries: readonly { principal: PrincipalName; key: Key; kvno: number }[]): string => {
    const path = join(dir, `${name}.keytab`);
    const rows: KeytabEntry[] = entries.map((e) => ({
      principal: { nameType: e.principal.nameType, components: e.principal.nameString, realm: REALM },
      timestamp: authtime,
      kvno: e.kvno,
      key: { keytype: e.key.etype, keyvalue: e.key.exportBytes() },
    }));
    writeFileSync(path, encodeKeytab({ entries: rows }));
    return path;
  };
  const serviceKeytab = (name: string, ...serviceKeys: Key[]): string =>
    keytab(name, [
      ...serviceKeys.map((k) => ({ principal: cifs, key: k, kvno: 3 })),
      { principal: krbtgt, key: KEYS.krbtgtAes256, kvno: 1 },
      { principal: krbtgt, key: KEYS.krbtgtRc4, kvno: 1 },
    ]);

  /** tshark -V on the AP-REQ; fails on anything tshark flags as malformed, an error or a warning. */
  const dissect = (name: string, der: Uint8Array, kt: string): { text: string; pcap: string } => {
    const pcap = kerberosUdpPcap(der, dir, name);
    const text = tsharkVerbose(pcap, kt);
    expect(text).toContain('msg-type: krb-ap-req (14)');
    expect(text).not.toMatch(/Malformed|\[Expert Info \((Error|Warning)\//);
    return { text, pcap };
  };

  /** The line tshark 4.0 prints when its own check of a PAC signature succeeds, with the key that did it. */
  const verifiedLine = (what: 'Server' | 'KDC' | 'Ticket', cksumtype: number, keytype: number, principal: string): RegExp =>
    new RegExp(`^ +Verified ${what} checksum ${cksumtype} keytype ${keytype} using keytab principal ${principal.replace(/[.]/g, '\\.')}@EXAMPLE\\.TEST \\(id=keytab\\.\\d+ same=\\d\\)`, 'm');
  const CIFS = 'cifs/fs.example.test';
  const KRBTGT = 'krbtgt/EXAMPLE.TEST';

  it('AES256 service ticket: dissected cleanly, our field values shown, server/KDC/ticket checksums verified', () => {
    const t = serviceTicket(KEYS.cifsAes256, KEYS.krbtgtAes256, KEYS.cifsAes256);
    const kt = serviceKeytab('aes256', KEYS.cifsAes256);
    const { text, pcap } = dissect('aes256', t.der, kt);

    expect(text).toMatch(verifiedLine('Server', 16, 18, CIFS));
    expect(text).toMatch(verifiedLine('KDC', 16, 18, KRBTGT));
    expect(text).toMatch(verifiedLine('Ticket', 16, 18, KRBTGT));
    expect(text).toMatch(/^ +Domain SID: S-1-18-1 {2}\(Authentication Authority Asserted Identity\)$/m);

    const f = tsharkFields(pcap, kt, [
      'kerberos.pac.type',
      'kerberos.pac.signature.type',
      'netlogon.acct_name',
      'netlogon.full_name',
      'netlogon.rid',
      'netlogon.group_rid',
      'netlogon.user_flags',
      'netlogon.server',
      'netlogon.domain',
      'netlogon.num_sid',
      'dcerpc.nt.domain_sid',
      'kerberos.pac.name',
      'kerberos.pac.clientid',
      'kerberos.pac.upn.upn_name',
      'kerberos.pac.upn.dns_name',
      'kerberos.pac.upn.samaccountname',
      'kerberos.pac.upn.flags',
      'nt.sid',
    ]);
    expect(f).toEqual({
      // LOGON_INFO, CLIENT_INFO, UPN_DNS_INFO, REQUESTOR, then server, KDC, ticket, full signatures.
      'kerberos.pac.type': ['1', '10', '12', '18', '6', '7', '16', '19'],
      // 6, 7, 16 dissected; 19 is "Unknown (19)" to tshark 4.0, its signature type not shown.
      'kerberos.pac.signature.type': ['16', '16', '16'],
      'netlogon.acct_name': ['alice'],
      'netlogon.full_name': ['Alice Example'],
      'netlogon.rid': ['1105'],
      // PrimaryGroupId, then GroupIds.
      'netlogon.group_rid': ['513', '513', '512', '1108'],
      'netlogon.user_flags': ['0x00000020'],
      'netlogon.server': ['DC1'],
      'netlogon.domain': ['EXAMPLE'],
      'netlogon.num_sid': ['1'],
      // LogonDomainId, then the one ExtraSid.
      'dcerpc.nt.domain_sid': [DOMAIN_SID, 'S-1-18-1'],
      'kerberos.pac.name': ['alice'],
      'kerberos.pac.clientid': ['Nov 27, 2026 21:00:00.000000000 UTC'],
      'kerberos.pac.upn.upn_name': ['alice@example.test'],
      'kerberos.pac.upn.dns_name': [REALM],
      'kerberos.pac.upn.samaccountname': ['alice'],
      'kerberos.pac.upn.flags': ['0x00000002'],
      // UPN_DNS_INFO's SID (S form), then PAC_REQUESTOR.
      'nt.sid': [`${DOMAIN_SID}-1105`, `${DOMAIN_SID}-1105`],
    });

    // tshark 4.0 does not check the full-PAC signature (19); our verifier does, with the same keys.
    const pac = extractPac(t.encTicketPart.authorizationData);
    if (pac === undefined) throw new Error('no PAC in the ticket');
    const ours = verifyPac(pac, { serverKey: KEYS.cifsAes256, kdcKey: KEYS.krbtgtAes256, ticketChecksumInput: ticketChecksumInput(t.encTicketPart) });
    expect(ours.signatures.map((s) => [s.type, s.verified])).toEqual([
      ['SERVER_CHECKSUM', true],
      ['PRIVSVR_CHECKSUM', true],
      ['TICKET_CHECKSUM', true],
      ['FULL_CHECKSUM', true],
    ]);
  });

  it('etype 17: AES128 service key (checksum 15) beside the AES256 krbtgt key (16)', () => {
    const t = serviceTicket(KEYS.cifsAes128, KEYS.krbtgtAes256, KEYS.cifsAes128);
    const kt = serviceKeytab('aes128', KEYS.cifsAes128);
    const { text, pcap } = dissect('aes128', t.der, kt);
    expect(text).toMatch(/etype: eTYPE-AES128-CTS-HMAC-SHA1-96 \(17\)/);
    expect(text).toMatch(verifiedLine('Server', 15, 17, CIFS));
    expect(text).toMatch(verifiedLine('KDC', 16, 18, KRBTGT));
    expect(text).toMatch(verifiedLine('Ticket', 16, 18, KRBTGT));
    expect(tsharkFields(pcap, kt, ['kerberos.pac.signature.type'])['kerberos.pac.signature.type']).toEqual(['15', '16', '16']);
  });

  it('etype 23 keys: HMAC-MD5 (-138) server and KDC signatures from the NT-hash keys, in an AES256 ticket', () => {
    const t = serviceTicket(KEYS.cifsRc4, KEYS.krbtgtRc4, KEYS.cifsAes256);
    const kt = serviceKeytab('rc4', KEYS.cifsRc4, KEYS.cifsAes256);
    const { text, pcap } = dissect('rc4', t.der, kt);
    expect(text).toMatch(verifiedLine('Server', -138, 23, CIFS));
    expect(text).toMatch(verifiedLine('KDC', -138, 23, KRBTGT));
    expect(text).toMatch(verifiedLine('Ticket', -138, 23, KRBTGT));
    expect(tsharkFields(pcap, kt, ['kerberos.pac.signature.type'])['kerberos.pac.signature.type']).toEqual(['-138', '-138', '-138']);
  });

  it('partial TGT (mintPartialTgt, krbtgt_4242): RODC number after the KDC signature, both signatures verified', () => {
    const tgt = mintPartialTgt({
      user: { samAccountName: 'alice', sid: `${DOMAIN_SID}-1105`, upn: 'alice@example.test', fullName: 'Alice Example' },
      realm: REALM,
      rodcKey: { key: KEYS.krbtgt4242, rodcNumber: 4242, keyVersion: 1 },
      clock: fixedClock(authtime),
      random: systemRandom,
    });
    const kt = keytab('partial-tgt', [{ principal: krbtgt, key: KEYS.krbtgt4242, kvno: tgt.kvno }]);
    const { text, pcap } = dissect('partial-tgt', apReq(tgt.ticket, tgt.sessionKey), kt);
    // Both made with the krbtgt_N key; the 2 bytes after the KDC signature do not disturb tshark.
    expect(text).toMatch(verifiedLine('Server', 16, 18, KRBTGT));
    expect(text).toMatch(verifiedLine('KDC', 16, 18, KRBTGT));
    expect(text).not.toMatch(/Verified Ticket checksum/);
    const f = tsharkFields(pcap, kt, ['kerberos.pac.type', 'kerberos.pac.size', 'kerberos.pac.signature.type', 'kerberos.pac.signature.signature', 'netlogon.rid', 'kerberos.pac.attributes_info.flags']);
    expect(f['kerberos.pac.type']).toEqual(['1', '10', '12', '17', '18', '6', '7']);
    // Server signature 4 + 12 bytes; KDC signature 4 + 12 + RODCIdentifier 2 (MS-PAC §2.8).
    expect(f['kerberos.pac.size']?.slice(-2)).toEqual(['16', '18']);
    expect(f['kerberos.pac.signature.type']).toEqual(['16', '16']);
    // tshark 4.0 does not split out RODCIdentifier: it shows it as the last 2 signature bytes, 4242 = 0x1092 LE.
    expect(f['kerberos.pac.signature.signature']?.[1]).toMatch(/^[0-9a-f]{24}9210$/);
    expect(f['netlogon.rid']).toEqual(['1105']);
    expect(f['kerberos.pac.attributes_info.flags']).toEqual(['0x00000002']);
  });

  it('RODC-signed service ticket: RODC number after the KDC, ticket and full signatures, all three tshark checks pass', () => {
    const t = serviceTicket(KEYS.cifsAes256, KEYS.krbtgt4242, KEYS.cifsAes256, 4242);
    const kt = keytab('rodc-service', [
      { principal: cifs, key: KEYS.cifsAes256, kvno: 3 },
      { principal: krbtgt, key: KEYS.krbtgt4242, kvno: (4242 << 16) | 1 },
    ]);
    const { text, pcap } = dissect('rodc-service', t.der, kt);
    expect(text).toMatch(verifiedLine('Server', 16, 18, CIFS));
    expect(text).toMatch(verifiedLine('KDC', 16, 18, KRBTGT));
    expect(text).toMatch(verifiedLine('Ticket', 16, 18, KRBTGT));
    const f = tsharkFields(pcap, kt, ['kerberos.pac.type', 'kerberos.pac.size', 'kerberos.pac.signature.signature']);
    expect(f['kerberos.pac.type']?.slice(-4)).toEqual(['6', '7', '16', '19']);
    expect(f['kerberos.pac.size']?.slice(-4)).toEqual(['16', '18', '18', '18']);
    expect(f['kerberos.pac.signature.signature']?.map((s) => s.slice(24))).toEqual(['', '9210', '9210']);
    // 19 (not checked by tshark 4.0) by our verifier, which also reads the RODC numbers back.
    const pac = extractPac(t.encTicketPart.authorizationData);
    if (pac === undefined) throw new Error('no PAC in the ticket');
    const ours = verifyPac(pac, { serverKey: KEYS.cifsAes256, kdcKey: KEYS.krbtgt4242, ticketChecksumInput: ticketChecksumInput(t.encTicketPart) });
    expect(ours.signatures.map((s) => [s.type, s.rodcId, s.verified])).toEqual([
      ['SERVER_CHECKSUM', undefined, true],
      ['PRIVSVR_CHECKSUM', 4242, true],
      ['TICKET_CHECKSUM', 4242, true],
      ['FULL_CHECKSUM', 4242, true],
    ]);
  });

  it('control: a KDC signature made with a key the keytab lacks is not reported as verified', () => {
    const t = serviceTicket(KEYS.cifsAes256, KEYS.stranger, KEYS.cifsAes256);
    const kt = serviceKeytab('stranger-kdc', KEYS.cifsAes256);
    const text = tsharkVerbose(kerberosUdpPcap(t.der, dir, 'stranger-kdc'), kt);
    expect(text).toMatch(verifiedLine('Server', 16, 18, CIFS));
    expect(text).not.toMatch(/Verified (KDC|Ticket) checksum/);
    // What tshark 4.0 says instead, as a Warning expert item (which the positive cases refuse).
    expect(text).toMatch(/^ +\[Expert Info \(Warning\/Decryption\): Missing KDC checksum 16 keytype 18 \(id=missing\.\d+\)\]$/m);
    expect(text).toMatch(/^ +\[Expert Info \(Warning\/Decryption\): Missing KDC \(for ticket\) checksum 16 keytype 18 \(id=missing\.\d+\)\]$/m);
  });

  it('control: a server signature made with the krbtgt key is not reported as verified by the service key', () => {
    const t = serviceTicket(KEYS.krbtgtAes256, KEYS.krbtgtAes256, KEYS.cifsAes256);
    const kt = serviceKeytab('krbtgt-server', KEYS.cifsAes256);
    const text = tsharkVerbose(kerberosUdpPcap(t.der, dir, 'krbtgt-server'), kt);
    // tshark tries every keytab key for the server signature and names the one that fit: here the
    // krbtgt key. That is why the positive cases match the principal, not just "Verified".
    expect(text).not.toMatch(verifiedLine('Server', 16, 18, CIFS));
    expect(text).toMatch(verifiedLine('Server', 16, 18, KRBTGT));
    expect(text).toMatch(verifiedLine('KDC', 16, 18, KRBTGT));
  });
});
