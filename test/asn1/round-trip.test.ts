import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import {
  APPLICATION_TAGS,
  apRepCodec,
  apReqCodec,
  asRepCodec,
  asReqCodec,
  authenticatorCodec,
  authorizationDataCodec,
  checksumCodec,
  encApRepPartCodec,
  encKdcRepPartCodec,
  encKrbCredPartCodec,
  encTicketPartCodec,
  encTicketPartVariants,
  encryptedDataCodec,
  encryptionKeyCodec,
  etypeInfo2Codec,
  hostAddressesCodec,
  kdcReqBodyCodec,
  kerbErrorDataCodec,
  krbCredCodec,
  krbCredInfoCodec,
  krbErrorCodec,
  methodDataCodec,
  paEncTsEncCodec,
  paPacOptionsCodec,
  paPacRequestCodec,
  principalNameCodec,
  tgsRepCodec,
  tgsReqCodec,
  ticketCodec,
  type Codec,
} from '../../src/asn1/index.js';
import * as s from './samples.js';

function withoutRaw<T>(value: T): T {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(withoutRaw) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'raw') out[k] = withoutRaw(v);
  return out as T;
}

// Every codec with a record exercising all of its OPTIONAL fields.
const cases: [string, Codec<unknown>, unknown][] = [
  ['Ticket', ticketCodec, s.tgt],
  ['EncTicketPart', encTicketPartCodec, s.encTicketPart],
  ['PrincipalName', principalNameCodec, { nameType: 10, nameString: ['alice@corp.example', 'ünïcødé'] }],
  ['EncryptionKey', encryptionKeyCodec, { keytype: 23, keyvalue: new Uint8Array(16).fill(3) }],
  ['EncryptedData', encryptedDataCodec, s.tgt.encPart],
  ['EncryptedData (no kvno)', encryptedDataCodec, s.apReq.authenticator],
  ['Checksum', checksumCodec, { cksumtype: -138, checksum: new Uint8Array(16).fill(1) }],
  ['HostAddresses', hostAddressesCodec, s.encTicketPart.caddr],
  ['AuthorizationData', authorizationDataCodec, s.encTicketPart.authorizationData],
  ['KDC-REQ-BODY', kdcReqBodyCodec, s.tgsReq.reqBody],
  ['AS-REQ', asReqCodec, s.asReq],
  ['TGS-REQ', tgsReqCodec, s.tgsReq],
  ['AS-REP', asRepCodec, s.asRep],
  ['TGS-REP', tgsRepCodec, s.tgsRep],
  ['EncTGSRepPart', encKdcRepPartCodec, s.encKdcRepPart],
  ['EncASRepPart', encKdcRepPartCodec, { ...s.encKdcRepPart, applicationTag: APPLICATION_TAGS.EncASRepPart }],
  ['AP-REQ', apReqCodec, s.apReq],
  ['Authenticator', authenticatorCodec, s.authenticator],
  ['AP-REP', apRepCodec, { encPart: { etype: 18, cipher: new Uint8Array(40) } }],
  ['EncAPRepPart', encApRepPartCodec, s.encApRepPart],
  ['KRB-ERROR', krbErrorCodec, s.krbError],
  ['KRB-ERROR (required fields only)', krbErrorCodec, { stime: s.krbError.stime, susec: 0, errorCode: 6, realm: s.REALM, sname: s.krbError.sname }],
  ['KRB-CRED', krbCredCodec, s.krbCred],
  ['EncKrbCredPart', encKrbCredPartCodec, s.encKrbCredPart],
  ['KrbCredInfo', krbCredInfoCodec, s.encKrbCredPart.ticketInfo[0]],
  ['METHOD-DATA', methodDataCodec, s.tgsReq.padata],
  ['KERB-ERROR-DATA', kerbErrorDataCodec, { dataType: 2, dataValue: Uint8Array.of(1, 2) }],
  ['PA-ENC-TS-ENC', paEncTsEncCodec, { patimestamp: s.encTicketPart.authtime, pausec: 654_321 }],
  ['ETYPE-INFO2', etypeInfo2Codec, [{ etype: 18, salt: 'CORP.EXAMPLEalice', s2kparams: Uint8Array.of(0, 0, 0x10, 0) }, { etype: 23 }]],
  ['KERB-PA-PAC-REQUEST', paPacRequestCodec, { includePac: false }],
  ['PA-PAC-OPTIONS', paPacOptionsCodec, { flags: 0x90000000 }],
];

describe('every codec round-trips', () => {
  it.each(cases)('%s: decode(encode(x)) = x and encode(decode(b)) = b', (_name, codec, value) => {
    const der = codec.encode(value);
    const back = codec.decode(der);
    expect(withoutRaw(back)).toStrictEqual(value);
    expect(codec.encode(back)).toStrictEqual(der);
  });

  it.each(cases)('%s: asn1js, an independent BER parser, reads our DER whole', (_name, codec, value) => {
    const der = codec.encode(value);
    const parsed = asn1js.fromBER(der);
    expect(parsed.offset).toBe(der.length);
    expect(parsed.result.error).toBe('');
    // asn1js re-serialises what it parsed; for DER input that must be the same octets.
    expect(new Uint8Array(parsed.result.toBER(false))).toStrictEqual(der);
  });
});

describe('raw bytes a checksum covers', () => {
  it('KDC-REQ-BODY.raw is the exact body inside the TGS-REQ', () => {
    const der = tgsReqCodec.encode(s.tgsReq);
    const req = tgsReqCodec.decode(der);
    const raw = req.reqBody.raw!;
    const at = Buffer.from(der).indexOf(Buffer.from(raw));
    expect(at).toBeGreaterThan(0);
    expect(at + raw.length).toBe(der.length);
    expect(raw).toStrictEqual(kdcReqBodyCodec.encode(s.tgsReq.reqBody));
  });

  it('raw is a copy: mutating the input afterwards does not change it', () => {
    const der = encTicketPartCodec.encode(s.encTicketPart);
    const part = encTicketPartCodec.decode(der);
    der.fill(0);
    expect(part.raw).toStrictEqual(encTicketPartCodec.encode(s.encTicketPart));
  });

  it('a Node Buffer input gives plain Uint8Array fields, not views into the Buffer', () => {
    const buf = Buffer.from(ticketCodec.encode(s.tgt));
    const t = ticketCodec.decode(buf);
    expect(Object.getPrototypeOf(t.encPart.cipher)).toBe(Uint8Array.prototype);
    buf.fill(0);
    expect(t.encPart.cipher).toStrictEqual(s.tgt.encPart.cipher);
  });

  it('decodeView gives the same value with OCTET STRINGs as views into the input (the caller owns it)', () => {
    const bytes = ticketCodec.encode(s.tgt);
    const viewed = ticketCodec.decodeView(bytes);
    expect(viewed).toStrictEqual(ticketCodec.decode(bytes));
    expect(viewed.encPart.cipher.buffer).toBe(bytes.buffer);
    expect(ticketCodec.decode(bytes).encPart.cipher.buffer).not.toBe(bytes.buffer);
  });
});

describe('EncKDCRepPart tags (RFC 4120 §5.4.2 compatibility note)', () => {
  it('keeps the tag it was decoded with and encodes with the tag asked for', () => {
    const as = encKdcRepPartCodec.encode({ ...s.encKdcRepPart, applicationTag: APPLICATION_TAGS.EncASRepPart });
    const tgs = encKdcRepPartCodec.encode(s.encKdcRepPart);
    expect(as[0]).toBe(0x79);
    expect(tgs[0]).toBe(0x7a);
    expect(encKdcRepPartCodec.decode(as).applicationTag).toBe(25);
    expect(encKdcRepPartCodec.decode(tgs).applicationTag).toBe(26);
    expect(as.subarray(1)).toStrictEqual(tgs.subarray(1));
  });
});

describe('encTicketPartVariants', () => {
  it('encodes the same bytes as the codec for each authorization-data, absent included', () => {
    const { authorizationData, raw: _raw, ...head } = s.encTicketPart;
    const encodeWith = encTicketPartVariants(head);
    const other = [{ adType: 1, adData: Uint8Array.of(0x30, 0x00) }];
    for (const ad of [authorizationData, other, undefined]) {
      const record = ad === undefined ? head : { ...head, authorizationData: ad };
      expect(encodeWith(ad)).toStrictEqual(encTicketPartCodec.encode(record));
    }
  });
});
