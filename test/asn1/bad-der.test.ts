import { describe, expect, it } from 'vitest';
import {
  AD_TYPES,
  DerReader,
  MAX_DEPTH,
  MAX_ELEMENTS,
  apReqCodec,
  asReqCodec,
  authorizationDataCodec,
  findPacs,
  kdcReqBodyCodec,
  tgsReqCodec,
  ticketCodec,
} from '../../src/asn1/index.js';
import { expectDecodeError, hex, toHex } from './support.js';
import * as s from './samples.js';

// Ticket { 5, "EXAMPLE.COM", krbtgt/EXAMPLE.COM (2), { 18, kvno 0xD3FF0001, 01 02 03 } } by hand.
// Offsets: 0 61 50 | 2 30 4e | 4 tkt-vno | 9 a1 realm | 24 a2 sname (name-string[0] at 37) |
// 58 a3 enc-part (kvno INTEGER at 69) | 75 a2 cipher | 82 end.
const TICKET =
  '6150304e' +
  'a003020105' +
  'a10d1b0b4558414d504c452e434f4d' +
  'a220301ea003020102a11730151b066b72627467741b0b4558414d504c452e434f4d' +
  'a3163014a003020112a1060204d3ff0001a205040301020' + '3';
const ticket = (): Uint8Array => hex(TICKET);
const splice = (b: Uint8Array, at: number, del: number, ins = ''): Uint8Array =>
  hex(toHex(b.subarray(0, at)) + ins + toHex(b.subarray(at + del)));

describe('the hand-made Ticket vector is valid', () => {
  it('decodes to the expected record and re-encodes byte-identically', () => {
    const t = ticketCodec.decode(ticket());
    expect(t.sname.nameString).toStrictEqual(['krbtgt', 'EXAMPLE.COM']);
    expect(t.encPart.kvno).toBe(0xd3ff0001);
    expect(ticketCodec.encode(t)).toStrictEqual(ticket());
  });
});

describe('bad DER gives ERR_ASN1_DECODE with the field path and the offending offset', () => {
  it('wrong outer tag', () => {
    expectDecodeError(() => ticketCodec.decode(splice(ticket(), 0, 1, '62')), 'Ticket', 0);
  });

  it('empty input', () => {
    expectDecodeError(() => ticketCodec.decode(new Uint8Array(0)), 'Ticket', 0);
  });

  it('trailing octets after the value', () => {
    expectDecodeError(() => ticketCodec.decode(hex(TICKET + '00')), 'Ticket', 82);
  });

  it('length beyond the input (truncated)', () => {
    expectDecodeError(() => ticketCodec.decode(ticket().subarray(0, 81)), 'Ticket', 0);
  });

  it('huge declared length is refused before anything is read', () => {
    expectDecodeError(() => ticketCodec.decode(splice(ticket(), 0, 2, '61847fffffff')), 'Ticket', 0);
    expectDecodeError(() => ticketCodec.decode(hex('6184ffffffff')), 'Ticket', 0);
  });

  it('more than 4 length octets', () => {
    expectDecodeError(() => ticketCodec.decode(splice(ticket(), 0, 2, '61850000000050')), 'Ticket', 1);
  });

  it('indefinite length (BER only)', () => {
    expectDecodeError(() => ticketCodec.decode(hex('6180' + TICKET.slice(4) + '0000')), 'Ticket', 1);
  });

  it('non-minimal length (long form for a short length; leading zero octet)', () => {
    expectDecodeError(() => ticketCodec.decode(splice(ticket(), 0, 2, '618150')), 'Ticket', 1);
    expectDecodeError(() => ticketCodec.decode(splice(ticket(), 0, 2, '61820050')), 'Ticket', 1);
  });

  it('length octets cut off by the end of the input', () => {
    expectDecodeError(() => ticketCodec.decode(hex('6182')), 'Ticket', 1);
    expectDecodeError(() => ticketCodec.decode(hex('61')), 'Ticket', 1);
  });

  it('missing required field', () => {
    // Drop sname (offsets 24..57) and fix the two outer lengths.
    const noSname = splice(splice(ticket(), 24, 34), 0, 4, '612e302c');
    expectDecodeError(() => ticketCodec.decode(noSname), 'Ticket.sname', 24);
  });

  it('primitive [2] where the explicit (constructed) tag belongs', () => {
    expectDecodeError(() => ticketCodec.decode(splice(ticket(), 24, 1, '82')), 'Ticket.sname', 24);
  });

  it('wrong universal tag inside a SEQUENCE OF (UTF8String for GeneralString)', () => {
    expectDecodeError(() => ticketCodec.decode(splice(ticket(), 37, 1, '0c')), 'Ticket.sname.name-string[0]', 37);
  });

  it('an inner length that runs past its explicit wrapper', () => {
    expectDecodeError(() => ticketCodec.decode(splice(ticket(), 70, 1, '05')), 'Ticket.enc-part.kvno', 69);
  });

  it('an extra element after the last field', () => {
    const extra = splice(splice(ticket(), 82, 0, 'a403020100'), 0, 4, '61553053');
    expectDecodeError(() => ticketCodec.decode(extra), 'Ticket', 82);
  });

  it('two elements inside one explicit tag', () => {
    // Realm wrapper a1 0d → a1 10 holding "EXAMPLE.COM" and then an INTEGER (02 01 00) at 24.
    const twice = splice(splice(ticket(), 9, 2, 'a110'), 24, 0, '020100');
    const fixed = splice(twice, 0, 4, '61533051');
    expectDecodeError(() => ticketCodec.decode(fixed), 'Ticket.realm', 24);
  });

  it('the high-tag-number form', () => {
    expectDecodeError(() => ticketCodec.decode(splice(ticket(), 4, 1, '1f')), 'Ticket.tkt-vno', 4);
  });

  it('a TGS-REQ error names the path down to the name component', () => {
    const req = tgsReqCodec.encode({
      reqBody: { kdcOptions: 0, realm: 'R', sname: { nameType: 2, nameString: ['krbtgt', 'R'] }, till: new Date(0), nonce: 1, etype: [18] },
    });
    const at = Buffer.from(req).indexOf(Buffer.from('1b066b7262746774', 'hex'));
    req[at] = 0x13; // PrintableString
    expectDecodeError(() => tgsReqCodec.decode(req), 'TGS-REQ.req-body.sname.name-string[0]', at);
  });

  it('pvno other than 5 and msg-type not matching the APPLICATION tag', () => {
    const ap = apReqCodec.encode(s.apReq);
    const pvnoAt = Buffer.from(ap).indexOf(Buffer.from('a003020105', 'hex')) + 2;
    expect(pvnoAt).toBeLessThan(12);
    const bad = ap.slice();
    bad[pvnoAt + 2] = 4;
    expectDecodeError(() => apReqCodec.decode(bad), 'AP-REQ.pvno', pvnoAt);
    const tgs = tgsReqCodec.encode(s.tgsReq);
    tgs[0] = 0x6a; // AS-REQ's tag on a TGS-REQ's msg-type 12
    const msgTypeAt = Buffer.from(tgs).indexOf(Buffer.from('a20302010c', 'hex')) + 2;
    expectDecodeError(() => asReqCodec.decode(tgs), 'AS-REQ.msg-type', msgTypeAt);
  });
});

describe('decoding is bounded', () => {
  it(`a SEQUENCE OF with more than ${MAX_ELEMENTS} elements is refused`, () => {
    const etype = Array.from({ length: MAX_ELEMENTS + 1 }, () => 18);
    const der = kdcReqBodyCodec.encode({ kdcOptions: 0, realm: 'R', till: new Date(0), nonce: 1, etype });
    const listAt = Buffer.from(der).indexOf(Buffer.from('a8', 'hex'), 20);
    const firstElement = Buffer.from(der).indexOf(Buffer.from('020112', 'hex'), listAt);
    expectDecodeError(() => kdcReqBodyCodec.decode(der), 'KDC-REQ-BODY.etype', firstElement + 3 * MAX_ELEMENTS);
    // One fewer is fine.
    const ok = kdcReqBodyCodec.encode({ kdcOptions: 0, realm: 'R', till: new Date(0), nonce: 1, etype: etype.slice(1) });
    expect(kdcReqBodyCodec.decode(ok).etype).toHaveLength(MAX_ELEMENTS);
  });

  it(`nesting deeper than ${MAX_DEPTH} constructed levels is refused by the reader`, () => {
    let der = hex('0500');
    for (let i = 0; i < MAX_DEPTH + 2; i++) der = hex(`30${der.length < 128 ? der.length.toString(16).padStart(2, '0') : '81' + der.length.toString(16)}${toHex(der)}`);
    let r = DerReader.of(der, 'deep');
    let depth = 0;
    let err: unknown;
    try {
      for (;;) {
        r = r.enter(r.readAny(), `[${depth}]`);
        depth++;
      }
    } catch (e) {
      err = e;
    }
    expect(depth).toBe(MAX_DEPTH);
    expect(err).toMatchObject({ code: 'ERR_ASN1_DECODE' });
  });

  it('AD-IF-RELEVANT containers nested 20 deep are refused with a path', () => {
    let ad = authorizationDataCodec.encode([{ adType: AD_TYPES['AD-WIN2K-PAC'], adData: Uint8Array.of(1) }]);
    for (let i = 0; i < 20; i++) ad = authorizationDataCodec.encode([{ adType: AD_TYPES['AD-IF-RELEVANT'], adData: ad }]);
    const outer = authorizationDataCodec.decode(ad);
    let err: unknown;
    try {
      findPacs(outer);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'ERR_ASN1_DECODE' });
    expect((err as { path: string }).path).toMatch(/^AuthorizationData\[0\](\.ad-data\(AD-IF-RELEVANT\)\[0\]){8}$/);
  });
});
