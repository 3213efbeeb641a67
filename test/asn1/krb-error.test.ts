import { describe, expect, it } from 'vitest';
import {
  KERB_ERROR_DATA_TYPES,
  PA_DATA_TYPES,
  classifyEData,
  decodeMessage,
  detectMessage,
  etypeInfo2Codec,
  kerbErrorDataCodec,
  kerbExtErrorOf,
  krbErrorCodec,
  methodDataCodec,
  apReqCodec,
  asRepCodec,
  asReqCodec,
  encKdcRepPartCodec,
  encTicketPartCodec,
  krbCredCodec,
  tgsRepCodec,
  tgsReqCodec,
  ticketCodec,
} from '../../src/asn1/index.js';
import { KRB_ERROR_CODES } from '../../src/errors/index.js';
import { expectDecodeError, hex, toHex } from './support.js';
import * as s from './samples.js';

const STATUS_ACCOUNT_RESTRICTION = 0xc000006e;

describe('KERB-ERROR-DATA (MS-KILE §2.2.1) with KERB-EXT-ERROR (§2.2.2)', () => {
  it('data-type 3: the NTSTATUS, reserved and flags are little-endian u32s', () => {
    const der = kerbErrorDataCodec.encode({
      dataType: KERB_ERROR_DATA_TYPES.KERB_ERR_TYPE_EXTENDED,
      extError: { status: STATUS_ACCOUNT_RESTRICTION, reserved: 0, flags: 1 },
    });
    // 30 15 | a1 03 02 01 03 | a2 0e 04 0c 6e 00 00 c0 00000000 01000000
    expect(toHex(der)).toBe('3015a103020103a20e040c6e0000c0' + '00000000' + '01000000');
    const back = kerbErrorDataCodec.decode(der);
    expect(back.extError).toStrictEqual({ status: STATUS_ACCOUNT_RESTRICTION, reserved: 0, flags: 1 });
    expect(back.dataValue).toStrictEqual(hex('6e0000c00000000001000000'));
  });

  it('data-type 3 with a data-value that is not 12 octets is refused', () => {
    expectDecodeError(() => kerbErrorDataCodec.decode(hex('3013a103020103a20c040a6e0000c000000000 0100')), 'KERB-ERROR-DATA.data-value', 7);
  });

  it('refuses to encode a data-value that contradicts extError', () => {
    const extError = { status: 0xc000006e, reserved: 0, flags: 1 };
    expect(() => kerbErrorDataCodec.encode({ dataType: 3, dataValue: new Uint8Array(12), extError })).toThrow(
      expect.objectContaining({ code: 'ERR_ASN1_ENCODE' }),
    );
    const decoded = kerbErrorDataCodec.decode(kerbErrorDataCodec.encode({ dataType: 3, extError }));
    expect(kerbErrorDataCodec.encode(decoded)).toStrictEqual(kerbErrorDataCodec.encode({ dataType: 3, extError }));
  });

  it('other data-types keep data-value opaque', () => {
    const v = kerbErrorDataCodec.decode(kerbErrorDataCodec.encode({ dataType: 2, dataValue: Uint8Array.of(1) }));
    expect(v).toStrictEqual({ dataType: 2, dataValue: Uint8Array.of(1) });
  });
});

describe('KRB-ERROR e-data', () => {
  it('METHOD-DATA after KDC_ERR_PREAUTH_REQUIRED, with ETYPE-INFO2 inside', () => {
    const etypeInfo2 = etypeInfo2Codec.encode([{ etype: 18, salt: 'CORP.EXAMPLEalice' }]);
    const eData = methodDataCodec.encode([
      { padataType: PA_DATA_TYPES['PA-ETYPE-INFO2'], padataValue: etypeInfo2 },
      { padataType: PA_DATA_TYPES['PA-ENC-TIMESTAMP'], padataValue: new Uint8Array(0) },
      { padataType: PA_DATA_TYPES['PA-FX-FAST'], padataValue: new Uint8Array(0) },
    ]);
    const err = krbErrorCodec.decode(krbErrorCodec.encode({ ...s.krbError, errorCode: KRB_ERROR_CODES.KDC_ERR_PREAUTH_REQUIRED, eData }));
    const opened = classifyEData(err.eData!);
    expect(opened.kind).toBe('METHOD-DATA');
    if (opened.kind !== 'METHOD-DATA') return;
    expect(opened.methodData.map((p) => p.padataType)).toStrictEqual([19, 2, 136]);
    expect(etypeInfo2Codec.decode(opened.methodData[0]!.padataValue)).toStrictEqual([{ etype: 18, salt: 'CORP.EXAMPLEalice' }]);
  });

  it('KERB-ERROR-DATA from a Windows/Samba KDC', () => {
    const eData = kerbErrorDataCodec.encode({ dataType: 3, extError: { status: STATUS_ACCOUNT_RESTRICTION, reserved: 0, flags: 0 } });
    const opened = classifyEData(eData);
    expect(opened).toMatchObject({ kind: 'KERB-ERROR-DATA', errorData: { extError: { status: STATUS_ACCOUNT_RESTRICTION } } });
  });

  it('anything else is returned raw', () => {
    expect(classifyEData(hex('0401ff'))).toStrictEqual({ kind: 'unknown', raw: hex('0401ff') });
    expect(classifyEData(hex('3005a003020101'))).toStrictEqual({ kind: 'unknown', raw: hex('3005a003020101') });
  });

  it('an empty ETYPE-INFO2 is refused (SIZE (1..MAX))', () => {
    expectDecodeError(() => etypeInfo2Codec.decode(hex('3000')), 'ETYPE-INFO2', 0);
  });
});

describe('kerbExtErrorOf', () => {
  it('reads KERB-ERROR-DATA data-type 3', () => {
    const eData = kerbErrorDataCodec.encode({ dataType: 3, extError: { status: 0xc000006a, reserved: 0, flags: 1 } });
    expect(kerbExtErrorOf(eData)).toStrictEqual({ extError: { status: 0xc000006a, reserved: 0, flags: 1 }, source: 'KERB-ERROR-DATA' });
  });

  it('reads a 12-octet PA-PW-SALT holding an error NTSTATUS, not a 12-character salt', () => {
    const status = methodDataCodec.encode([{ padataType: 3, padataValue: hex('720000c0 00000000 01000000') }]);
    expect(kerbExtErrorOf(status)?.extError.status).toBe(0xc0000072);
    const salt = methodDataCodec.encode([{ padataType: 3, padataValue: new TextEncoder().encode('EXAMPLE.COMx') }]);
    expect(kerbExtErrorOf(salt)).toBeUndefined();
  });

  it('is undefined without e-data or with data-type 2', () => {
    expect(kerbExtErrorOf(undefined)).toBeUndefined();
    expect(kerbExtErrorOf(kerbErrorDataCodec.encode({ dataType: 2 }))).toBeUndefined();
  });
});

describe('detectMessage', () => {
  it.each([
    ['Ticket', ticketCodec.encode(s.tgt)],
    ['EncTicketPart', encTicketPartCodec.encode(s.encTicketPart)],
    ['AS-REQ', asReqCodec.encode(s.asReq)],
    ['TGS-REQ', tgsReqCodec.encode(s.tgsReq)],
    ['AS-REP', asRepCodec.encode(s.asRep)],
    ['TGS-REP', tgsRepCodec.encode(s.tgsRep)],
    ['AP-REQ', apReqCodec.encode(s.apReq)],
    ['KRB-ERROR', krbErrorCodec.encode(s.krbError)],
    ['KRB-CRED', krbCredCodec.encode(s.krbCred)],
    ['EncTGSRepPart', encKdcRepPartCodec.encode(s.encKdcRepPart)],
  ])('recognises %s', (name, der) => {
    expect(detectMessage(der)).toBe(name);
  });

  it('decodeMessage detects and decodes in one step', () => {
    const m = decodeMessage(tgsReqCodec.encode(s.tgsReq));
    expect(m?.kind).toBe('TGS-REQ');
    if (m?.kind !== 'TGS-REQ') return;
    expect(m.value.reqBody.nonce).toBe(s.tgsReq.reqBody.nonce);
    expect(decodeMessage(encKdcRepPartCodec.encode(s.encKdcRepPart))?.kind).toBe('EncTGSRepPart');
    expect(decodeMessage(hex('3000'))).toBeUndefined();
    expect(decodeMessage(hex('7400'))).toBeUndefined(); // KRB-SAFE: detected, no codec here
  });

  it('says undefined for non-messages, truncated input and trailing octets', () => {
    const t = ticketCodec.encode(s.tgt);
    expect(detectMessage(hex('3000'))).toBeUndefined();
    expect(detectMessage(new Uint8Array(0))).toBeUndefined();
    expect(detectMessage(t.subarray(0, t.length - 1))).toBeUndefined();
    expect(detectMessage(hex(toHex(t) + '00'))).toBeUndefined();
    expect(detectMessage(hex('0500000005'))).toBeUndefined();
  });
});
