import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ticketCodec } from '../../src/asn1/index.js';
import { ETYPE, Key } from '../../src/crypto/index.js';
import { decodeCcache, decodeKeytab } from '../../src/files/index.js';
import { decodePac, encodePac, formatSid, pacBuffer, signPac, verifyPac, type KerbValidationInfo, type Pac } from '../../src/pac/index.js';
import { openTicket, ticketChecksumInput } from '../../src/ticket/index.js';
import { toHex } from '../../src/util/index.js';

/**
 * PACs a real Samba 4.17.12 AD DC issued to alice (krb-fixtures/lab, made by
 * scripts/lab/make-samba-golden.sh), compared field by field with what Samba's own python NDR
 * (`samba.dcerpc.krb5pac.PAC_DATA`) read from the same bytes (krb-fixtures/samba/*.pac.json), and
 * their signatures checked with the keys exported from that DC.
 */
const FIX = join(import.meta.dirname, '..', '..', 'krb-fixtures');
const read = (p: string): Uint8Array => new Uint8Array(readFileSync(join(FIX, p)));
const json = (p: string): Record<string, unknown> => JSON.parse(readFileSync(join(FIX, p), 'utf8')) as Record<string, unknown>;

function keyFrom(keytab: string): Key {
  const e = decodeKeytab(read(keytab)).entries.find((x) => x.key.keytype === ETYPE.AES256_CTS_HMAC_SHA1_96);
  if (e === undefined) throw new Error(`no AES256 key in ${keytab}`);
  return Key.fromBytes(e.key.keytype, e.key.keyvalue);
}

/** Our decoded PAC in the fixture JSON's shape (spec field names, strings for bigints and SIDs). */
function asSambaJson(pac: Pac): Record<string, unknown> {
  const out: Record<string, unknown> = { Version: pac.Version, Buffers: pac.Buffers.map((b) => ({ cbBufferSize: b.data.length, ulType: b.ulType })) };
  const signatures: unknown[] = [];
  for (const b of pac.Buffers) {
    const v = b.value;
    if (v === undefined) continue;
    switch (v.type) {
      case 'LOGON_INFO':
        out.LogonInfo = logonJson(v.value);
        break;
      case 'CLIENT_INFO':
        out.ClientInfo = { ClientId: String(v.value.ClientId), Name: v.value.Name };
        break;
      case 'UPN_DNS_INFO':
        out.UpnDnsInfo = {
          DnsDomainName: v.value.DnsDomainName,
          Flags: v.value.Flags,
          SamName: v.value.SamName,
          Sid: v.value.Sid && formatSid(v.value.Sid),
          Upn: v.value.Upn,
        };
        break;
      case 'ATTRIBUTES_INFO':
        out.AttributesInfo = { Flags: v.value.Flags, FlagsLength: v.value.FlagsLength };
        break;
      case 'REQUESTOR':
        out.RequestorSid = formatSid(v.value.Sid);
        break;
      case 'SERVER_CHECKSUM':
      case 'PRIVSVR_CHECKSUM':
      case 'TICKET_CHECKSUM':
      case 'FULL_CHECKSUM':
        signatures.push({ Signature: toHex(v.value.Signature), SignatureType: v.value.SignatureType, ulType: b.ulType });
        break;
      default:
        break;
    }
  }
  out.Signatures = signatures;
  return out;
}

function logonJson(i: KerbValidationInfo): Record<string, unknown> {
  const sid = (s: KerbValidationInfo['LogonDomainId']): string | null => (s === null ? null : formatSid(s));
  return {
    BadPasswordCount: i.BadPasswordCount,
    EffectiveName: i.EffectiveName.Buffer,
    ExtraSids: i.ExtraSids === null ? null : i.ExtraSids.map((s) => [sid(s.Sid), s.Attributes]),
    FailedILogonCount: i.FailedILogonCount,
    FullName: i.FullName.Buffer,
    GroupIds: i.GroupIds === null ? null : i.GroupIds.map((g) => [g.RelativeId, g.Attributes]),
    HomeDirectory: i.HomeDirectory.Buffer,
    HomeDirectoryDrive: i.HomeDirectoryDrive.Buffer,
    KickOffTime: String(i.KickOffTime),
    LastFailedILogon: String(i.LastFailedILogon),
    LastSuccessfulILogon: String(i.LastSuccessfulILogon),
    LogoffTime: String(i.LogoffTime),
    LogonCount: i.LogonCount,
    LogonDomainId: sid(i.LogonDomainId),
    LogonDomainName: i.LogonDomainName.Buffer,
    LogonScript: i.LogonScript.Buffer,
    LogonServer: i.LogonServer.Buffer,
    LogonTime: String(i.LogonTime),
    PasswordCanChange: String(i.PasswordCanChange),
    PasswordLastSet: String(i.PasswordLastSet),
    PasswordMustChange: String(i.PasswordMustChange),
    PrimaryGroupId: i.PrimaryGroupId,
    ProfilePath: i.ProfilePath.Buffer,
    ResourceGroupDomainSid: sid(i.ResourceGroupDomainSid),
    ResourceGroupIds: i.ResourceGroupIds === null ? null : i.ResourceGroupIds.map((g) => [g.RelativeId, g.Attributes]),
    SubAuthStatus: i.SubAuthStatus,
    UserAccountControl: i.UserAccountControl,
    UserFlags: i.UserFlags,
    UserId: i.UserId,
  };
}

describe.each([
  ['tgt', 'lab/samba-alice-tgt.pac', 'samba/samba-alice-tgt.pac.json'],
  ['cifs', 'lab/samba-alice-cifs.pac', 'samba/samba-alice-cifs.pac.json'],
])('Samba 4.17 %s PAC', (_name, pacFile, jsonFile) => {
  const bytes = read(pacFile);
  const pac = decodePac(bytes);

  it('decodes to what Samba’s own NDR reads, field by field', () => {
    const expected = json(jsonFile);
    const ours = asSambaJson(pac);
    for (const key of Object.keys(expected)) expect({ [key]: ours[key] }).toEqual({ [key]: expected[key] });
  });

  it('re-encodes byte-identically, from raw buffers and from decoded values', () => {
    expect(toHex(encodePac(pac))).toBe(toHex(bytes));
    const rebuilt = pac.Buffers.map((b) => ({ ...pacBuffer(b.value!), ...(b.padding ? { padding: b.padding } : {}) }));
    expect(toHex(encodePac({ ...pac, Buffers: rebuilt }))).toBe(toHex(bytes));
  });
});

describe('signatures of the Samba-issued PACs verify with the DC’s keys', () => {
  const krbtgt = keyFrom('lab/samba-krbtgt.keytab');
  const cifs = keyFrom('lab/samba-cifs.keytab');

  it('TGT: server and KDC signatures, both with the krbtgt key', () => {
    const { signatures } = verifyPac(read('lab/samba-alice-tgt.pac'), { serverKey: krbtgt, kdcKey: krbtgt });
    expect(signatures.map((s) => [s.type, s.verified])).toEqual([
      ['SERVER_CHECKSUM', true],
      ['PRIVSVR_CHECKSUM', true],
    ]);
  });

  it('cifs ticket: server (cifs key), KDC, ticket and full signatures (krbtgt key)', () => {
    const cc = decodeCcache(read('lab/samba-alice.ccache'));
    const cred = cc.credentials.find((c) => c.server.components[0] === 'cifs');
    if (cred === undefined) throw new Error('no cifs ticket in the ccache');
    const { encTicketPart } = openTicket(ticketCodec.decode(cred.ticket), cifs);
    const { signatures } = verifyPac(read('lab/samba-alice-cifs.pac'), { serverKey: cifs, kdcKey: krbtgt, ticketChecksumInput: ticketChecksumInput(encTicketPart) });
    expect(signatures.map((s) => [s.type, s.verified])).toEqual([
      ['SERVER_CHECKSUM', true],
      ['PRIVSVR_CHECKSUM', true],
      ['TICKET_CHECKSUM', true],
      ['FULL_CHECKSUM', true],
    ]);
  });

  it('signPac reproduces Samba’s signatures byte for byte (a known answer from a real KDC)', () => {
    const tgt = read('lab/samba-alice-tgt.pac');
    expect(toHex(signPac({ pac: decodePac(tgt), serverKey: krbtgt, kdcKey: krbtgt }))).toBe(toHex(tgt));
    const cc = decodeCcache(read('lab/samba-alice.ccache'));
    const cred = cc.credentials.find((c) => c.server.components[0] === 'cifs');
    if (cred === undefined) throw new Error('no cifs ticket in the ccache');
    const { encTicketPart } = openTicket(ticketCodec.decode(cred.ticket), cifs);
    const service = read('lab/samba-alice-cifs.pac');
    // Start from a PAC whose signatures are wiped, so nothing of Samba's output is carried over.
    const wiped = decodePac(service);
    const blank = { ...wiped, Buffers: wiped.Buffers.map((b) => ([6, 7, 16, 19].includes(b.ulType) ? { ...b, data: new Uint8Array(b.data.length) } : b)) };
    const resigned = signPac({ pac: blank, serverKey: cifs, kdcKey: krbtgt, ticketChecksumInput: ticketChecksumInput(encTicketPart), includeFullChecksum: true });
    expect(toHex(resigned)).toBe(toHex(service));
  });

  it('a wrong key fails, a flipped bit fails only what it covers', () => {
    const bytes = read('lab/samba-alice-cifs.pac');
    expect(verifyPac(bytes, { serverKey: krbtgt, kdcKey: cifs }).signatures.map((s) => s.verified)).toEqual([false, false, 'not-checked', false]);
    const flipped = Uint8Array.from(bytes);
    flipped[200]! ^= 1;
    expect(verifyPac(flipped, { serverKey: cifs, kdcKey: krbtgt }).signatures.map((s) => [s.type, s.verified])).toEqual([
      ['SERVER_CHECKSUM', false],
      ['PRIVSVR_CHECKSUM', true],
      ['TICKET_CHECKSUM', 'not-checked'],
      ['FULL_CHECKSUM', false],
    ]);
  });
});
