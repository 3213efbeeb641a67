import { describe, expect, it } from 'vitest';
import { encTicketPartCodec, extractPac, pacAuthorizationData, replacePac, type EncTicketPart } from '../../src/asn1/index.js';
import { buildPac, decodePac, encodePac, kerbValidationInfoFor, parseSid, verifyPac } from '../../src/pac/index.js';
import { openTicket, sealTicket, shouldHaveTicketSignature, signTicketPac, ticketChecksumInput } from '../../src/ticket/index.js';
import { AUTHTIME, aes256, DOMAIN_SID, seededRandom } from './support.js';

const SERVICE = { nameType: 2, nameString: ['cifs', 'fs1.demo.test'] };
const KRBTGT = { nameType: 2, nameString: ['krbtgt', 'DEMO.TEST'] };
const serviceKey = aes256(0x11);
const kdcKey = aes256(0x22);

function unsignedPart(extraFirst = false): EncTicketPart {
  const pac = encodePac(
    buildPac({
      logonInfo: kerbValidationInfoFor({ domainSid: parseSid(DOMAIN_SID), userRid: 1104, effectiveName: 'alice', logonServer: 'DC1', logonDomainName: 'DEMO' }),
      clientInfo: { authtime: AUTHTIME, name: 'alice' },
      requestorSid: parseSid(`${DOMAIN_SID}-1104`),
    }),
  );
  const other = { adType: 1, adData: Uint8Array.of(0x30, 0x00) };
  return {
    flags: 0x40a00000,
    key: { keytype: 18, keyvalue: new Uint8Array(32).fill(9) },
    crealm: 'DEMO.TEST',
    cname: { nameType: 1, nameString: ['alice'] },
    transited: { trType: 1, contents: new Uint8Array(0) },
    authtime: AUTHTIME,
    endtime: new Date(AUTHTIME.getTime() + 3600_000),
    authorizationData: extraFirst ? [other, pacAuthorizationData(pac)] : [pacAuthorizationData(pac)],
  };
}

describe('sealTicket / openTicket', () => {
  it('round-trips an EncTicketPart under usage 2 with the key etype and kvno', () => {
    const part = unsignedPart();
    const ticket = sealTicket({ realm: 'DEMO.TEST', sname: SERVICE, encTicketPart: part, key: serviceKey, kvno: 4, random: seededRandom() });
    expect(ticket.encPart).toMatchObject({ etype: 18, kvno: 4 });
    const opened = openTicket(ticket, serviceKey);
    expect(opened.raw).toEqual(encTicketPartCodec.encode(part));
    expect(opened.encTicketPart.cname).toEqual(part.cname);
  });

  it('wrong key → KRB_AP_ERR_BAD_INTEGRITY; key of another etype → KRB_AP_ERR_BADKEYVER; tkt-vno ≠ 5 → BADVERSION', async () => {
    const ticket = sealTicket({ realm: 'DEMO.TEST', sname: SERVICE, encTicketPart: unsignedPart(), key: serviceKey, random: seededRandom() });
    expect(() => openTicket(ticket, aes256(0x12))).toThrow(expect.objectContaining({ code: 'KRB_AP_ERR_BAD_INTEGRITY' }));
    const { Key } = await import('../../src/crypto/index.js');
    expect(() => openTicket(ticket, Key.fromBytes(17, new Uint8Array(16)))).toThrow(expect.objectContaining({ code: 'KRB_AP_ERR_BADKEYVER' }));
    expect(() => openTicket({ ...ticket, tktVno: 4 }, serviceKey)).toThrow(expect.objectContaining({ code: 'KRB_AP_ERR_BADVERSION' }));
  });
});

describe('signTicketPac', () => {
  it('knows which tickets carry ticket and full signatures (MIT k5_pac_should_have_ticket_signature)', () => {
    expect(shouldHaveTicketSignature(SERVICE)).toBe(true);
    expect(shouldHaveTicketSignature(KRBTGT)).toBe(false);
    expect(shouldHaveTicketSignature({ nameType: 2, nameString: ['krbtgt', 'OTHER.TEST'] })).toBe(false);
    expect(shouldHaveTicketSignature({ nameType: 2, nameString: ['kadmin', 'changepw'] })).toBe(false);
  });

  it('service ticket: server, KDC, ticket and full signatures all verify; the ticket one over the PAC-as-zero encoding', () => {
    for (const extraFirst of [false, true]) {
      const signed = signTicketPac({ encTicketPart: unsignedPart(extraFirst), sname: SERVICE, serverKey: serviceKey, kdcKey });
      const pacBytes = extractPac(signed.authorizationData)!;
      const input = ticketChecksumInput(signed);
      // The input is the ticket with the PAC replaced by one zero byte, in place.
      expect(input).toEqual(encTicketPartCodec.encode({ ...signed, authorizationData: replacePac(signed.authorizationData!, Uint8Array.of(0)) }));
      const report = verifyPac(pacBytes, { serverKey: serviceKey, kdcKey, ticketChecksumInput: input });
      expect(report.signatures.map((s) => [s.ulType, s.verified])).toEqual([
        [6, true],
        [7, true],
        [16, true],
        [19, true],
      ]);
      // Altering anything outside the PAC breaks the ticket signature only.
      const tampered = ticketChecksumInput({ ...signed, crealm: 'EVIL.TEST' });
      const bad = verifyPac(pacBytes, { serverKey: serviceKey, kdcKey, ticketChecksumInput: tampered });
      expect(bad.signatures.find((s) => s.ulType === 16)?.verified).toBe(false);
    }
  });

  it('TGT: only server and KDC signatures; a stray ticket/full signature buffer is dropped; RODC id on KDC', () => {
    const once = signTicketPac({ encTicketPart: unsignedPart(), sname: SERVICE, serverKey: serviceKey, kdcKey });
    const tgt = signTicketPac({ encTicketPart: once, sname: KRBTGT, serverKey: kdcKey, kdcKey, rodcId: 77 });
    const pac = decodePac(extractPac(tgt.authorizationData)!);
    expect(pac.Buffers.map((b) => b.ulType)).toEqual([1, 10, 18, 6, 7]);
    const report = verifyPac(extractPac(tgt.authorizationData)!, { serverKey: kdcKey, kdcKey });
    expect(report.signatures.map((s) => [s.ulType, s.verified, s.rodcId])).toEqual([
      [6, true, undefined],
      [7, true, 77],
    ]);
  });

  it('no PAC → ERR_PAC_FORMAT', () => {
    const { authorizationData: _ad, ...bare } = unsignedPart();
    expect(() => signTicketPac({ encTicketPart: bare, sname: SERVICE, serverKey: serviceKey, kdcKey })).toThrow(
      expect.objectContaining({ code: 'ERR_PAC_FORMAT' }),
    );
  });
});
