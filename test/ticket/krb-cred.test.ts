import { describe, expect, it } from 'vitest';
import { krbCredCodec } from '../../src/asn1/index.js';
import { decodeKirbi } from '../../src/files/index.js';
import { buildKrbCred, krbCredInfo, mintPartialTgt, openKrbCred } from '../../src/ticket/index.js';
import { toHex } from '../../src/util/index.js';
import { ALICE, aes256, clock, seededRandom } from './support.js';

const m = mintPartialTgt({ user: ALICE, realm: 'DEMO.TEST', rodcKey: { key: aes256(0x42), rodcNumber: 9, keyVersion: 1 }, clock, random: seededRandom() });
const info = krbCredInfo(m.ticket, m.encTicketPart, m.encTicketPart);

describe('KRB-CRED', () => {
  it('encrypted under a key (usage 14): round trip with session key, names and times', () => {
    const key = aes256(0x31);
    const der = buildKrbCred({ tickets: [m.ticket], ticketInfo: [info], key, nonce: 77, random: seededRandom('c') });
    expect(krbCredCodec.decode(der).encPart.etype).toBe(18);
    const opened = openKrbCred(der, key);
    expect(opened.encPart.nonce).toBe(77);
    const i = opened.encPart.ticketInfo[0]!;
    expect(toHex(i.key.keyvalue)).toBe(toHex(m.sessionKey.exportBytes()));
    expect(i).toMatchObject({ prealm: 'DEMO.TEST', pname: { nameString: ['alice'] }, srealm: 'DEMO.TEST', sname: { nameString: ['krbtgt', 'DEMO.TEST'] }, flags: m.encTicketPart.flags, endtime: m.encTicketPart.endtime });
    expect(() => openKrbCred(der, aes256(0x32))).toThrow(expect.objectContaining({ code: 'KRB_AP_ERR_BAD_INTEGRITY' }));
    expect(() => openKrbCred(der)).toThrow(expect.objectContaining({ code: 'KRB_AP_ERR_BADKEYVER' }));
  });

  it('without a key: etype 0 (RFC 6448), readable as a .kirbi by src/files', () => {
    const der = buildKrbCred({ tickets: [m.ticket], ticketInfo: [info] });
    expect(openKrbCred(der).encPart.ticketInfo).toHaveLength(1);
    expect(decodeKirbi(der).tickets[0]!.sname.nameString).toEqual(['krbtgt', 'DEMO.TEST']);
  });

  it('refuses mismatched ticket and info counts', () => {
    expect(() => buildKrbCred({ tickets: [m.ticket, m.ticket], ticketInfo: [info] })).toThrow(RangeError);
  });
});
