import { describe, expect, it } from 'vitest';
import {
  decodeAdIfRelevant,
  extractPac,
  splitKvno,
  ticketCodec,
  type Ticket,
} from '../../src/asn1/index.js';
import { Key } from '../../src/crypto/index.js';
import { decodePac, formatSid, signPac, verifyPac, type PacBufferValue } from '../../src/pac/index.js';
import { dateToFiletime, fixedClock, toHex } from '../../src/util/index.js';
import { mintPartialTgt, openTicket, PARTIAL_TGT_FLAGS, partialTgtPac } from '../../src/ticket/index.js';
import { ALICE, AUTHTIME, aes256, clock, DOMAIN_SID, seededRandom } from './support.js';

const KRBTGT_N = aes256(0x42);

function mint(rodcNumber = 0x1234, keyVersion = 3, extra: Partial<Parameters<typeof mintPartialTgt>[0]> = {}) {
  return mintPartialTgt({
    user: ALICE,
    realm: 'DEMO.TEST',
    rodcKey: { key: KRBTGT_N, rodcNumber, keyVersion },
    clock,
    random: seededRandom(),
    ...extra,
  });
}

function value<T extends PacBufferValue['type']>(pac: ReturnType<typeof decodePac>, type: T): Extract<PacBufferValue, { type: T }>['value'] {
  const b = pac.Buffers.find((x) => x.value?.type === type);
  if (b?.value?.type !== type) throw new Error(`no ${type}`);
  return b.value.value as never;
}

describe('mintPartialTgt', () => {
  it('builds the Ticket of DESIGN.md: tkt-vno 5, krbtgt/REALM NT-SRV-INST, etype 18, RODC kvno', () => {
    const { ticket, kvno } = mint();
    expect(ticket.tktVno).toBe(5);
    expect(ticket.realm).toBe('DEMO.TEST');
    expect(ticket.sname).toEqual({ nameType: 2, nameString: ['krbtgt', 'DEMO.TEST'] });
    expect(ticket.encPart.etype).toBe(18);
    expect(kvno).toBe((0x1234 << 16) | 3);
    expect(splitKvno(ticket.encPart.kvno!)).toEqual({ rodcNumber: 0x1234, keyVersion: 3 });
  });

  it('encodes kvno as a signed 32-bit INTEGER: N ≥ 0x8000 is negative, 4 content bytes', () => {
    const der = toHex(ticketCodec.encode(mint(0x8001, 1).ticket));
    // enc-part [3] … kvno [1] { INTEGER 0x80010001 } — four bytes, no leading 00.
    expect(der).toContain('a1060204' + '80010001');
    expect(der).not.toContain('020500' + '80010001');
    const small = toHex(ticketCodec.encode(mint(54271, 1).ticket));
    expect(small).toContain('a1060204' + 'd3ff0001'); // 54271 = 0xd3ff, also negative
    const tiny = toHex(ticketCodec.encode(mint(5, 2).ticket));
    expect(tiny).toContain('a1050203' + '050002');
    const back: Ticket = ticketCodec.decode(ticketCodec.encode(mint(0xffff, 0xffff).ticket));
    expect(back.encPart.kvno).toBe(0xffffffff);
  });

  it('EncTicketPart: flags, AES256 session key, cname, empty transited, times', () => {
    const { ticket, sessionKey, encTicketPart } = mint();
    const { encTicketPart: e } = openTicket(ticket, KRBTGT_N);
    expect(e.flags).toBe(PARTIAL_TGT_FLAGS);
    expect(e.flags).toBe(0x40e00000);
    expect(e.key.keytype).toBe(18);
    expect(e.key.keyvalue).toEqual(sessionKey.exportBytes());
    expect(sessionKey.etype).toBe(18);
    expect(e.crealm).toBe('DEMO.TEST');
    expect(e.cname).toEqual({ nameType: 1, nameString: ['alice'] });
    expect(e.transited.contents.length).toBe(0);
    expect(e.authtime).toEqual(AUTHTIME);
    expect(e.starttime).toEqual(AUTHTIME);
    expect(e.endtime.getTime() - AUTHTIME.getTime()).toBe(10 * 3600 * 1000);
    expect(e.renewTill!.getTime() - AUTHTIME.getTime()).toBe(7 * 86400 * 1000);
    expect(e.caddr).toBeUndefined();
    expect(e.authorizationData).toHaveLength(1);
    const inner = decodeAdIfRelevant(e.authorizationData![0]!);
    expect(inner.map((x) => x.adType)).toEqual([128]);
    expect({ ...e, raw: undefined }).toEqual({ ...encTicketPart, raw: undefined });
  });

  it('honours lifetime and renew lifetime; renew 0 drops renewable and renew-till', () => {
    const { encTicketPart: e } = mint(7, 1, { lifetimeSec: 3600, renewLifetimeSec: 0 });
    expect(e.endtime.getTime() - AUTHTIME.getTime()).toBe(3600_000);
    expect(e.renewTill).toBeUndefined();
    expect(e.flags & 0x00800000).toBe(0);
    expect(() => mint(7, 1, { lifetimeSec: 7200, renewLifetimeSec: 3600 })).toThrow(RangeError);
  });

  it('carries the minimal PAC: LOGON_INFO, CLIENT_INFO, UPN_DNS_INFO, ATTRIBUTES, REQUESTOR, server, KDC', () => {
    const { encTicketPart } = mint();
    const pac = decodePac(extractPac(encTicketPart.authorizationData)!);
    expect(pac.Buffers.map((b) => b.ulType)).toEqual([1, 10, 12, 17, 18, 6, 7]);
    const logon = value(pac, 'LOGON_INFO');
    expect(formatSid(logon.LogonDomainId!)).toBe(DOMAIN_SID);
    expect(logon.UserId).toBe(1104);
    expect(logon.PrimaryGroupId).toBe(513);
    expect(logon.GroupIds).toEqual([{ RelativeId: 513, Attributes: 7 }]);
    expect(logon.EffectiveName.Buffer).toBe('alice');
    expect(logon.LogonDomainName.Buffer).toBe('DEMO');
    expect(logon.ExtraSids).toBeNull();
    const client = value(pac, 'CLIENT_INFO');
    expect(client.Name).toBe('alice');
    expect(client.ClientId).toBe(dateToFiletime(AUTHTIME));
    expect(formatSid(value(pac, 'REQUESTOR').Sid)).toBe(ALICE.sid);
    const upn = value(pac, 'UPN_DNS_INFO');
    expect(upn).toMatchObject({ Upn: 'alice@demo.test', DnsDomainName: 'DEMO.TEST', Flags: 3, SamName: 'alice' });
    expect(value(pac, 'ATTRIBUTES_INFO')).toEqual({ FlagsLength: 2, Flags: [2] });
  });

  it('leaves UPN_DNS_INFO and ATTRIBUTES_INFO out when switched off; an explicit UPN clears the U flag', () => {
    const off = decodePac(extractPac(mint(7, 1, { pac: { upnDnsInfo: false, attributesInfo: false } }).encTicketPart.authorizationData)!);
    expect(off.Buffers.map((b) => b.ulType)).toEqual([1, 10, 18, 6, 7]);
    const withUpn = mint(7, 1, { user: { ...ALICE, upn: 'alice.adams@demo.test' } });
    const upn = value(decodePac(extractPac(withUpn.encTicketPart.authorizationData)!), 'UPN_DNS_INFO');
    expect(upn.Upn).toBe('alice.adams@demo.test');
    expect(upn.Flags).toBe(2);
  });

  it('signs server and KDC checksums with the krbtgt_N key (type 16), RODC number after the KDC one only', () => {
    const { encTicketPart } = mint(0x8123, 2);
    const bytes = extractPac(encTicketPart.authorizationData)!;
    const report = verifyPac(bytes, { serverKey: KRBTGT_N, kdcKey: KRBTGT_N });
    expect(report.signatures.map((s) => [s.ulType, s.checksumType, s.verified, s.rodcId])).toEqual([
      [6, 16, true, undefined],
      [7, 16, true, 0x8123],
    ]);
    const wrong = verifyPac(bytes, { serverKey: aes256(1), kdcKey: aes256(1) });
    expect(wrong.signatures.map((s) => s.verified)).toEqual([false, false]);
  });

  it('the per-account PAC template gives the same buffers as a fresh build, for any authtime', () => {
    for (const at of ['2026-11-27T12:00:00Z', '2031-02-03T04:05:06Z', '1999-12-31T23:59:59Z']) {
      const when = new Date(at);
      const m = mint(7, 1, { clock: fixedClock(when) });
      const got = decodePac(extractPac(m.encTicketPart.authorizationData)!).Buffers.filter((b) => b.ulType !== 6 && b.ulType !== 7);
      const fresh = partialTgtPac(ALICE, 'DEMO.TEST', when).Buffers;
      expect(got.map((b) => [b.ulType, toHex(b.data)])).toEqual(fresh.map((b) => [b.ulType, toHex(b.data)]));
      expect(value(decodePac(extractPac(m.encTicketPart.authorizationData)!), 'LOGON_INFO').LogonTime).toBe(dateToFiletime(when));
    }
  });

  it('the template PAC, signed in place, is byte for byte signPac of a fresh build (any authtime, options, RODC number)', () => {
    const bob = { samAccountName: 'bob', sid: `${DOMAIN_SID}-1105`, fullName: 'Bob Ünïcode' };
    const cases = [
      { user: ALICE, pac: {}, rodc: 7, at: '2026-11-27T12:00:00Z' },
      { user: ALICE, pac: {}, rodc: 0x8123, at: '1999-12-31T23:59:59Z' },
      { user: bob, pac: { upnDnsInfo: false }, rodc: 1, at: '2031-02-03T04:05:06Z' },
      { user: bob, pac: { attributesInfo: false, logonServer: 'RODC01' }, rodc: 0xffff, at: '2026-11-27T12:00:00Z' },
      { user: ALICE, pac: {}, rodc: 7, at: '2040-06-15T00:00:01Z' },
    ];
    for (const c of cases) {
      const when = new Date(c.at);
      const m = mint(c.rodc, 1, { user: c.user, pac: c.pac, clock: fixedClock(when) });
      const fresh = signPac({ pac: partialTgtPac(c.user, 'DEMO.TEST', when, c.pac), serverKey: KRBTGT_N, kdcKey: KRBTGT_N, rodcId: c.rodc, includeFullChecksum: false });
      expect(toHex(extractPac(m.encTicketPart.authorizationData)!)).toBe(toHex(fresh));
    }
  });

  it('is deterministic for a given clock and random source, and a fresh session key each mint', () => {
    const a = ticketCodec.encode(mint().ticket);
    const b = ticketCodec.encode(mint().ticket);
    expect(toHex(a)).toBe(toHex(b));
    const other = mintPartialTgt({ user: ALICE, realm: 'DEMO.TEST', rodcKey: { key: KRBTGT_N, rodcNumber: 1, keyVersion: 1 }, clock, random: seededRandom('other') });
    expect(toHex(other.sessionKey.exportBytes())).not.toBe(toHex(mint().sessionKey.exportBytes()));
  });

  it('refuses keys the DC would refuse, with ERR_KEY_SET', () => {
    const aes128 = Key.fromBytes(17, new Uint8Array(16));
    const cases = [
      { key: aes128, rodcNumber: 7, keyVersion: 1 },
      { key: Key.fromBytes(23, new Uint8Array(16)), rodcNumber: 7, keyVersion: 1 },
      { key: KRBTGT_N, rodcNumber: 0, keyVersion: 1 },
      { key: KRBTGT_N, rodcNumber: 0x10000, keyVersion: 1 },
      { key: KRBTGT_N, rodcNumber: 7, keyVersion: 0x10000 },
    ];
    for (const rodcKey of cases) {
      expect(() => mintPartialTgt({ user: ALICE, realm: 'DEMO.TEST', rodcKey, clock, random: seededRandom() })).toThrow(
        expect.objectContaining({ code: 'ERR_KEY_SET' }),
      );
    }
  });

  it('refuses a user SID that is not domain SID + RID', () => {
    for (const sid of ['S-1-5-21', 'not-a-sid', 'S-1-5']) {
      expect(() => mint(7, 1, { user: { ...ALICE, sid } })).toThrow(expect.objectContaining({ code: 'ERR_DIRECTORY' }));
    }
  });
});
