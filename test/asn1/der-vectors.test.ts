import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import {
  AP_OPTIONS,
  KDC_OPTIONS,
  checksumCodec,
  TICKET_FLAGS,
  encryptedDataCodec,
  flagNames,
  flagsFrom,
  paPacOptionsCodec,
  paPacRequestCodec,
  principalNameCodec,
  paEncTsEncCodec,
  rodcKvno,
  splitKvno,
} from '../../src/asn1/index.js';
import { TgtbridgeError } from '../../src/errors/index.js';
import { expectDecodeError, hex, toHex } from './support.js';

/** EncryptedData { etype 18, kvno <INTEGER octets>, cipher 01 02 } by hand. */
function encData(kvnoInteger: string): Uint8Array {
  const kvno = hex(kvnoInteger);
  const inner = `a003020112 a1${(kvno.length).toString(16).padStart(2, '0')}${kvnoInteger.replace(/\s+/g, '')} a2040402 0102`;
  const body = hex(inner);
  return hex(`30${body.length.toString(16).padStart(2, '0')}${toHex(body)}`);
}

describe('kvno: signed 32-bit INTEGER on the wire, unsigned in the record', () => {
  it('0xD3FF0001 (krbtgt_54271, key version 1) is written 02 04 d3 ff 00 01', () => {
    const der = encryptedDataCodec.encode({ etype: 18, kvno: 0xd3ff0001, cipher: Uint8Array.of(1, 2) });
    expect(toHex(der)).toBe(toHex(encData('0204 d3ff0001')));
    expect(encryptedDataCodec.decode(der).kvno).toBe(0xd3ff0001);
    expect(splitKvno(0xd3ff0001)).toStrictEqual({ rodcNumber: 0xd3ff, keyVersion: 1 });
    expect(rodcKvno(0xd3ff, 1)).toBe(0xd3ff0001);
  });

  it('asn1js reads that INTEGER as the negative number Samba and Windows send', () => {
    const der = encryptedDataCodec.encode({ etype: 18, kvno: 0xd3ff0001, cipher: Uint8Array.of(1, 2) });
    const seq = asn1js.fromBER(der).result as asn1js.Sequence;
    const kvnoInt = (seq.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Integer;
    expect(kvnoInt.toBigInt()).toBe(BigInt(0xd3ff0001 | 0));
  });

  // Minimal DER of the signed value: a high RODC number like 0xFFFF shortens to 3 octets.
  it.each([
    [0, '020100'],
    [127, '02017f'],
    [128, '02020080'],
    [0x7fffffff, '02047fffffff'],
    [0x80000000, '020480000000'],
    [0xffff0001, '0203ff0001'],
    [0xffffffff, '0201ff'],
  ])('kvno %i is written %s', (kvno, integer) => {
    const der = encryptedDataCodec.encode({ etype: 18, kvno, cipher: Uint8Array.of(1, 2) });
    expect(toHex(der)).toBe(toHex(encData(integer)));
    expect(encryptedDataCodec.decode(der).kvno).toBe(kvno);
  });

  it("accepts MIT's minimal 5-octet unsigned form and returns the same unsigned value", () => {
    const wide = encryptedDataCodec.decode(encData('0205 00d3ff0001'));
    expect(wide.kvno).toBe(0xd3ff0001);
    // ... and says it came in that form (a KDC playing an AD DC refuses it); the signed form does not.
    expect(wide.kvnoUnsignedForm).toBe(true);
    expect(encryptedDataCodec.decode(encData('0204 d3ff0001')).kvnoUnsignedForm).toBeUndefined();
  });

  it('rejects a non-minimal INTEGER (leading 00 before a positive octet)', () => {
    // Offset 11: the first content octet of the kvno INTEGER (30 L a0 03 02 01 12 a1 L 02 L [here]).
    expectDecodeError(() => encryptedDataCodec.decode(encData('0205 0000000001')), 'EncryptedData.kvno', 11);
    expectDecodeError(() => encryptedDataCodec.decode(encData('0202 ff80')), 'EncryptedData.kvno', 11);
  });

  it('rejects values outside UInt32 (6 octets; 5-octet negative)', () => {
    expectDecodeError(() => encryptedDataCodec.decode(encData('0206 00ff00000001')), 'EncryptedData.kvno', 9);
    expectDecodeError(() => encryptedDataCodec.decode(encData('0205 ff7fffffff')), 'EncryptedData.kvno', 9);
  });

  it('refuses to encode a kvno outside 0..2^32-1', () => {
    for (const kvno of [-1, 2 ** 32, 1.5]) {
      expect(() => encryptedDataCodec.encode({ etype: 18, kvno, cipher: new Uint8Array() })).toThrow(TgtbridgeError);
    }
  });
});

describe('Int32: minimal two\'s complement (X.690 §8.3)', () => {
  // Checksum { cksumtype [0] Int32, checksum [1] OCTET STRING (empty) }
  const cksum = (integer: string): string => {
    const inner = `a0${(integer.length / 2).toString(16).padStart(2, '0')}${integer}a1020400`;
    return `30${(inner.length / 2).toString(16).padStart(2, '0')}${inner}`;
  };

  it.each([
    [-138, '0202ff76'],
    [-1, '0201ff'],
    [-128, '020180'],
    [-129, '0202ff7f'],
    [255, '020200ff'],
    [-0x80000000, '020480000000'],
    [0x7fffffff, '02047fffffff'],
  ])('%i is %s', (cksumtype, integer) => {
    const der = checksumCodec.encode({ cksumtype, checksum: new Uint8Array(0) });
    expect(toHex(der)).toBe(cksum(integer));
    expect(checksumCodec.decode(der).cksumtype).toBe(cksumtype);
  });

  it('rejects 5-octet values and refuses to encode values outside Int32', () => {
    expectDecodeError(() => checksumCodec.decode(hex(cksum('02050080000000'))), 'Checksum.cksumtype', 4);
    expect(() => checksumCodec.encode({ cksumtype: 0x80000000, checksum: new Uint8Array(0) })).toThrow(TgtbridgeError);
  });
});

describe('KerberosFlags: always 32 bits on the wire (RFC 4120 §5.2.8)', () => {
  it('forwardable|renewable|initial|pre-authent is 03 05 00 40 e0 00 00', () => {
    const flags = flagsFrom(TICKET_FLAGS, ['forwardable', 'renewable', 'initial', 'pre-authent']);
    expect(flags).toBe(0x40e00000);
    expect(toHex(paPacOptionsCodec.encode({ flags }))).toBe('3009a00703050040e00000');
  });

  it('zero flags still take 32 bits', () => {
    expect(toHex(paPacOptionsCodec.encode({ flags: 0 }))).toBe('3009a007030500' + '00000000');
  });

  it('decode zero-extends a shorter string and ignores bits past 31', () => {
    expect(paPacOptionsCodec.decode(hex('3006a004 0302 0040')).flags).toBe(0x40000000);
    expect(paPacOptionsCodec.decode(hex('300ba009 0307 00 80000001 ff00')).flags).toBe(0x80000001);
    expect(paPacOptionsCodec.decode(hex('3005a003 0301 00')).flags).toBe(0);
  });

  it('rejects an unused-bits count above 7, non-zero unused bits, and a missing count octet', () => {
    expectDecodeError(() => paPacOptionsCodec.decode(hex('3006a004 0302 0840')), 'PA-PAC-OPTIONS.flags', 6);
    expectDecodeError(() => paPacOptionsCodec.decode(hex('3006a004 0302 0141')), 'PA-PAC-OPTIONS.flags', 7);
    expectDecodeError(() => paPacOptionsCodec.decode(hex('3004a002 0300')), 'PA-PAC-OPTIONS.flags', 4);
  });

  it('flag names follow MIT numbering (bit 0 = 0x80000000) and show unnamed bits', () => {
    expect(flagNames(0x40e10000)).toStrictEqual(['forwardable', 'renewable', 'initial', 'pre-authent', 'enc-pa-rep']);
    expect(flagNames(0x40810010, KDC_OPTIONS)).toStrictEqual(['forwardable', 'renewable', 'canonicalize', 'renewable-ok']);
    expect(flagNames(0x20000000, AP_OPTIONS)).toStrictEqual(['mutual-required']);
    expect(flagNames(0x00000100)).toStrictEqual(['bit23']);
  });
});

describe('BOOLEAN (DER: 00 or ff)', () => {
  it('KERB-PA-PAC-REQUEST { include-pac TRUE } is 30 05 a0 03 01 01 ff', () => {
    expect(toHex(paPacRequestCodec.encode({ includePac: true }))).toBe('3005a0030101ff');
    expect(paPacRequestCodec.decode(hex('3005a0030101ff')).includePac).toBe(true);
    expect(paPacRequestCodec.decode(hex('3005a003010100')).includePac).toBe(false);
  });

  it('rejects BER TRUE (01) and a two-octet BOOLEAN', () => {
    expectDecodeError(() => paPacRequestCodec.decode(hex('3005a003010101')), 'KERB-PA-PAC-REQUEST.include-pac', 6);
    expectDecodeError(() => paPacRequestCodec.decode(hex('3006a0040102ff00')), 'KERB-PA-PAC-REQUEST.include-pac', 4);
  });
});

describe('KerberosTime: GeneralizedTime "YYYYMMDDHHMMSSZ" only', () => {
  const ts = (text: string): Uint8Array => {
    const t = Buffer.from(text, 'latin1');
    return hex(`30${(t.length + 4).toString(16).padStart(2, '0')} a0${(t.length + 2).toString(16).padStart(2, '0')} 18${t.length.toString(16).padStart(2, '0')}${t.toString('hex')}`);
  };

  it('reads and writes the canonical form', () => {
    const v = paEncTsEncCodec.decode(ts('20261127210000Z'));
    expect(v.patimestamp.toISOString()).toBe('2026-11-27T21:00:00.000Z');
    expect(paEncTsEncCodec.encode(v)).toStrictEqual(ts('20261127210000Z'));
  });

  it('truncates milliseconds on encode', () => {
    const der = paEncTsEncCodec.encode({ patimestamp: new Date('2026-01-02T03:04:05.999Z') });
    expect(der).toStrictEqual(ts('20260102030405Z'));
  });

  it.each([
    ['20261127210000.5Z'],
    ['202611272100Z'],
    ['20261127210000+0000'],
    ['20261127210000'],
    ['20261127210000z'],
    ['2026112721000AZ'],
    ['20260230000000Z'],
    ['20261127240000Z'],
    ['20261127235960Z'],
    ['20261300000000Z'],
  ])('rejects %s', (text) => {
    expectDecodeError(() => paEncTsEncCodec.decode(ts(text)), 'PA-ENC-TS-ENC.patimestamp', 6 + (text === '2026112721000AZ' ? 13 : 0));
  });

  it('rejects UTCTime (tag 0x17) in place of GeneralizedTime', () => {
    expectDecodeError(() => paEncTsEncCodec.decode(hex('3011a00f170d3236313132373231303030305a')), 'PA-ENC-TS-ENC.patimestamp', 4);
  });
});

describe('KerberosString: GeneralString carrying UTF-8', () => {
  it('round-trips non-ASCII names as UTF-8 octets', () => {
    const der = principalNameCodec.encode({ nameType: 1, nameString: ['jürgen'] });
    expect(toHex(der)).toContain(Buffer.from('jürgen').toString('hex'));
    expect(principalNameCodec.decode(der).nameString).toStrictEqual(['jürgen']);
  });

  it('rejects octets that are not UTF-8 (they could not re-encode identically)', () => {
    // 30 0c a0 03 02 01 01 a1 05 30 03 1b 01 [ff]: the string content at offset 13.
    expectDecodeError(() => principalNameCodec.decode(hex('300ca003020101a1053003 1b01ff')), 'PrincipalName.name-string[0]', 13);
  });

  it('refuses to encode a lone surrogate', () => {
    expect(() => principalNameCodec.encode({ nameType: 1, nameString: ['a\ud800'] })).toThrow(TgtbridgeError);
  });
});
