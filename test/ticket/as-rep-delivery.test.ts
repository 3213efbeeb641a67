import { describe, expect, it } from 'vitest';
import { APPLICATION_TAGS, asRepCodec, encKdcRepPartCodec } from '../../src/asn1/index.js';
import { decrypt, encrypt, KEY_USAGE } from '../../src/crypto/index.js';
import { buildAsRepForDelivery, mintPartialTgt, openAsRep, openTicket } from '../../src/ticket/index.js';
import { ALICE, aes256, clock, seededRandom } from './support.js';

const krbtgtN = aes256(0x42);
const clientKey = aes256(0x77);

function minted() {
  return mintPartialTgt({ user: ALICE, realm: 'DEMO.TEST', rodcKey: { key: krbtgtN, rodcNumber: 9, keyVersion: 1 }, clock, random: seededRandom() });
}

describe('buildAsRepForDelivery / openAsRep', () => {
  it('round-trips: AS-REP with the ticket, EncASRepPart (25) under usage 3 with session key, nonce, times, sname', () => {
    const m = minted();
    const der = buildAsRepForDelivery({ ticket: m.ticket, encTicketPart: m.encTicketPart, clientKey, nonce: 12345, random: seededRandom('rep') });
    expect(der[0]).toBe(0x6b); // [APPLICATION 11]
    const rep = asRepCodec.decode(der);
    expect(rep.crealm).toBe('DEMO.TEST');
    expect(rep.cname).toEqual({ nameType: 1, nameString: ['alice'] });
    expect(rep.encPart.etype).toBe(18);
    expect(rep.encPart.kvno).toBeUndefined();
    const part = encKdcRepPartCodec.decode(decrypt(clientKey, KEY_USAGE.AS_REP_ENC_PART, rep.encPart.cipher));
    expect(part.applicationTag).toBe(APPLICATION_TAGS.EncASRepPart);

    const opened = openAsRep(der, clientKey, 12345);
    expect(opened.sessionKey.exportBytes()).toEqual(m.sessionKey.exportBytes());
    expect(opened.encPart).toMatchObject({
      nonce: 12345,
      flags: m.encTicketPart.flags,
      authtime: m.encTicketPart.authtime,
      starttime: m.encTicketPart.starttime,
      endtime: m.encTicketPart.endtime,
      renewTill: m.encTicketPart.renewTill,
      srealm: 'DEMO.TEST',
      sname: { nameType: 2, nameString: ['krbtgt', 'DEMO.TEST'] },
    });
    expect(opened.encPart.lastReq).toEqual([{ lrType: 0, lrValue: m.encTicketPart.authtime }]);
    // The ticket inside still opens with krbtgt_N.
    expect(openTicket(opened.asRep.ticket, krbtgtN).encTicketPart.cname.nameString).toEqual(['alice']);
  });

  it("an account expiring in 2 h: last-req (7, accountExpires) and key-expiration, as Samba 4.17's AS-REP; endtime and renew-till stay the ticket's", () => {
    const m = minted();
    const expires = new Date(m.encTicketPart.authtime.getTime() + 2 * 3600_000);
    const opened = openAsRep(buildAsRepForDelivery({ ticket: m.ticket, encTicketPart: m.encTicketPart, clientKey, accountExpires: expires, random: seededRandom('rep') }), clientKey);
    expect(opened.encPart.lastReq).toEqual([{ lrType: 7, lrValue: expires }]);
    expect(opened.encPart.keyExpiration).toEqual(expires);
    expect(opened.encPart.endtime).toEqual(m.encTicketPart.endtime);
    expect(opened.encPart.endtime.getTime()).toBeGreaterThan(expires.getTime());
    expect(opened.encPart.renewTill).toEqual(m.encTicketPart.renewTill);
    // A password expiry before the account's wins key-expiration (Heimdal's min of the two).
    const sooner = new Date(expires.getTime() - 60_000);
    const both = openAsRep(buildAsRepForDelivery({ ticket: m.ticket, encTicketPart: m.encTicketPart, clientKey, accountExpires: expires, keyExpiration: sooner, random: seededRandom('rep') }), clientKey);
    expect(both.encPart.keyExpiration).toEqual(sooner);
    // No expiry ("never"): no key-expiration, last-req type 0.
    const never = openAsRep(buildAsRepForDelivery({ ticket: m.ticket, encTicketPart: m.encTicketPart, clientKey, random: seededRandom('rep') }), clientKey);
    expect(never.encPart.keyExpiration).toBeUndefined();
    expect(never.encPart.lastReq.map((l) => l.lrType)).toEqual([0]);
  });

  it('refuses a wrong client key, a nonce mismatch, and an sname that is not the ticket’s', () => {
    const m = minted();
    const der = buildAsRepForDelivery({ ticket: m.ticket, encTicketPart: m.encTicketPart, clientKey, nonce: 1, random: seededRandom('rep') });
    expect(() => openAsRep(der, aes256(0x78))).toThrow(expect.objectContaining({ code: 'KRB_AP_ERR_BAD_INTEGRITY' }));
    expect(() => openAsRep(der, clientKey, 2)).toThrow(expect.objectContaining({ code: 'KRB_AP_ERR_MODIFIED' }));

    const rep = asRepCodec.decode(der);
    const part = encKdcRepPartCodec.decode(decrypt(clientKey, 3, rep.encPart.cipher));
    const forged = encrypt(clientKey, 3, encKdcRepPartCodec.encode({ ...part, sname: { nameType: 2, nameString: ['krbtgt', 'OTHER.TEST'] } }), seededRandom('x'));
    expect(() => openAsRep(asRepCodec.encode({ ...rep, encPart: { etype: 18, cipher: forged } }), clientKey)).toThrow(
      expect.objectContaining({ code: 'KRB_AP_ERR_MODIFIED' }),
    );
  });

  it('accepts an EncTGSRepPart (26) tag as RFC 4120 §5.4.2 allows (MIT sends it)', () => {
    const m = minted();
    const der = buildAsRepForDelivery({ ticket: m.ticket, encTicketPart: m.encTicketPart, clientKey, nonce: 5, random: seededRandom('rep') });
    const rep = asRepCodec.decode(der);
    const part = encKdcRepPartCodec.decode(decrypt(clientKey, 3, rep.encPart.cipher));
    const as26 = encrypt(clientKey, 3, encKdcRepPartCodec.encode({ ...part, applicationTag: APPLICATION_TAGS.EncTGSRepPart }), seededRandom('y'));
    const opened = openAsRep(asRepCodec.encode({ ...rep, encPart: { etype: 18, cipher: as26 } }), clientKey, 5);
    expect(opened.encPart.applicationTag).toBe(26);
  });
});
