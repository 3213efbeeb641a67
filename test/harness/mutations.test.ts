import { describe, expect, it } from 'vitest';
import { apReqCodec, authenticatorCodec, DerReader, PA_DATA_TYPES, rodcKvno, tgsReqCodec, ticketCodec } from '../../src/asn1/index.js';
import { decrypt, KEY_USAGE } from '../../src/crypto/index.js';
import {
  buildProbeRequest,
  dropAuthenticatorChecksum,
  kvnoAboveInt32Max,
  kvnoAsFiveByteUnsigned,
  kvnoWithoutRodcNumber,
  mintForProbe,
  outerLengthOverrun,
  trailingOctet,
  parseDer,
  serializeDer,
  type Mutation,
} from '../../src/harness/index.js';
import { toHex } from '../../src/util/index.js';
import { clock, REALM, RODC_N, rodcKeys, seededRandom, USERS } from './fixtures.js';

const keys = rodcKeys();
const minted = mintForProbe({}, { realm: REALM, keys: keys.ring, user: USERS.allowed!, other: USERS.other!, clock, random: seededRandom(5) });
const build = (mutations: readonly Mutation[] = [], target: 'krbtgt' | 'cifs' = 'krbtgt') =>
  buildProbeRequest({ minted, realm: REALM, target, cifsSpn: 'cifs/dc1.samba.test', mutations, send: () => Promise.reject(new Error('unused')), clock, random: seededRandom(6) });
const apReqOf = (der: Uint8Array) => apReqCodec.decode(tgsReqCodec.decode(der).padata!.find((p) => p.padataType === PA_DATA_TYPES['PA-TGS-REQ'])!.padataValue);

describe('mutations', () => {
  it('unmutated: the ticket in the AP-REQ is the minted one, kvno (N << 16) | 1 as a 4-byte negative INTEGER', () => {
    const { built } = build();
    const ticket = apReqOf(built.der).ticket;
    expect(toHex(ticketCodec.encode(ticket))).toBe(toHex(ticketCodec.encode(minted.ticket)));
    // 54271 << 16 | 1 = 0xd3ff0001: negative as Int32, so four octets d3 ff 00 01 (RFC 4120 §5.2.4).
    expect(toHex(built.der)).toContain('a10602' + '04d3ff0001');
  });

  it('kvno-5-byte-unsigned really sends 02 05 00 d3 ff 00 01 and leaves the rest intact', () => {
    const plain = build();
    const mutated = build([kvnoAsFiveByteUnsigned]);
    const hex = toHex(mutated.built.der);
    expect(hex).toContain('a10702' + '0500d3ff0001');
    expect(hex).not.toContain('020' + '4d3ff0001');
    expect(mutated.built.der.length).toBe(plain.built.der.length + 1);
    // Every enclosing length was recomputed: the whole message is still one well-formed TLV tree,
    // and the checksummed body is byte for byte the unmutated one.
    const tree = parseDer(mutated.built.der);
    expect(toHex(serializeDer(tree))).toBe(hex);
    expect(hex).toContain(toHex(plain.built.body.raw!));
  });

  it('kvno-above-int32-max sets the top bit whatever N is: 02 05 00 80|… even for N < 0x8000', () => {
    expect(toHex(build([kvnoAboveInt32Max]).built.der)).toContain('a10702' + '0500d3ff0001');
    const small = mintForProbe({}, { realm: REALM, keys: { ...keys.ring, rodcNumber: 0x1234 }, user: USERS.allowed!, other: USERS.other!, clock, random: seededRandom(5) });
    const der = buildProbeRequest({ minted: small, realm: REALM, target: 'krbtgt', cifsSpn: 'cifs/x', mutations: [kvnoAboveInt32Max], send: () => Promise.reject(new Error('unused')), clock, random: seededRandom(6) }).built.der;
    expect(toHex(der)).toContain('a10702' + '0500' + '92340001');
    const plain = buildProbeRequest({ minted: small, realm: REALM, target: 'krbtgt', cifsSpn: 'cifs/x', mutations: [kvnoAsFiveByteUnsigned], send: () => Promise.reject(new Error('unused')), clock, random: seededRandom(6) }).built.der;
    // For N < 0x8000 the "unsigned" form is a non-minimal encoding of the same positive number.
    expect(toHex(plain)).toContain('a10702' + '0500' + '12340001');
  });

  it('kvno-without-rodc-number leaves only the key version', () => {
    const ticket = apReqOf(build([kvnoWithoutRodcNumber]).built.der).ticket;
    expect(ticket.encPart.kvno).toBe(1);
    expect(minted.ticket.encPart.kvno).toBe(rodcKvno(RODC_N, 1));
    expect(toHex(ticket.encPart.cipher)).toBe(toHex(minted.ticket.encPart.cipher));
  });

  it('drop-authenticator-checksum: the encrypted authenticator has no cksum; unmutated it has one over the body', () => {
    const open = (mutations: readonly Mutation[]) => {
      const ap = apReqOf(build(mutations).built.der);
      return authenticatorCodec.decode(decrypt(minted.sessionKey, KEY_USAGE.TGS_REQ_AUTH, ap.authenticator.cipher));
    };
    expect(open([]).cksum?.cksumtype).toBe(16);
    expect(open([dropAuthenticatorChecksum]).cksum).toBeUndefined();
    expect(open([dropAuthenticatorChecksum]).cname.nameString).toEqual(['alice']);
  });

  it('targets: krbtgt/REALM or the cifs SPN in the body', () => {
    expect(tgsReqCodec.decode(build([], 'krbtgt').built.der).reqBody.sname?.nameString).toEqual(['krbtgt', REALM]);
    expect(tgsReqCodec.decode(build([], 'cifs').built.der).reqBody.sname?.nameString).toEqual(['cifs', 'dc1.samba.test']);
  });
});

describe('der-tree', () => {
  it('parse → serialize is the identity on a TGS-REQ (long-form lengths included)', () => {
    const der = build().built.der;
    expect(der.length).toBeGreaterThan(255);
    expect(toHex(serializeDer(parseDer(der)))).toBe(toHex(der));
  });

  it('refuses truncation, trailing bytes and lengths past the end with ERR_ASN1_DECODE', () => {
    const der = build().built.der;
    for (const bad of [der.subarray(0, der.length - 1), Uint8Array.of(...der, 0), Uint8Array.of(0x30, 0x05, 0x02, 0x01)]) {
      expect(() => parseDer(bad)).toThrow(expect.objectContaining({ code: 'ERR_ASN1_DECODE' }));
    }
  });
  it('outer-length-overrun: the message padded past 1465 octets, its [APPLICATION 12] length claiming 64 more, and nothing decodes it', () => {
    const plain = build();
    const der = build([outerLengthOverrun]).built.der;
    expect(der.length).toBeGreaterThan(1465);
    expect([der[0], der[1]]).toEqual([0x6c, 0x82]);
    expect((der[2]! << 8) | der[3]!).toBe(der.length - 4 + 64);
    // The original contents come first, unchanged.
    const body = plain.built.der.subarray(DerReader.of(plain.built.der, 'TGS-REQ').read(0x6c, 'TGS-REQ').contentStart);
    expect(toHex(der.subarray(4, 4 + body.length))).toBe(toHex(body));
    expect(() => tgsReqCodec.decode(der)).toThrow();
  });
  it('trailing-octet: the request unchanged, then one zero octet', () => {
    const plain = build().built.der;
    const der = build([trailingOctet]).built.der;
    expect(der.length).toBe(plain.length + 1);
    expect(der[der.length - 1]).toBe(0);
    expect(toHex(der.subarray(0, plain.length))).toBe(toHex(plain));
  });
});
