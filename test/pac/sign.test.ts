import { describe, expect, it } from 'vitest';
import { checksum, ETYPE, KEY_USAGE } from '../../src/crypto/index.js';
import { decodePac, pacBufferOffsets, PAC_BUFFER_TYPE as T, signPac, verifyPac, type PacSignatureReport } from '../../src/pac/index.js';
import { samplePac, testKey } from './pac-test-data.js';

const TICKET_INPUT = new TextEncoder().encode('DER EncTicketPart with the PAC replaced by a single zero byte');

function verdicts(reports: readonly PacSignatureReport[]): Record<string, boolean | 'not-checked'> {
  return Object.fromEntries(reports.map((r) => [r.type, r.verified]));
}

function sigAt(bytes: Uint8Array, ulType: number): { offset: number; size: number } {
  const e = pacBufferOffsets(bytes).find((b) => b.ulType === ulType);
  if (e === undefined) throw new Error(`no buffer ${ulType}`);
  return e;
}

describe('signPac / verifyPac', () => {
  it.each([
    ['aes256-cts-hmac-sha1-96', ETYPE.AES256_CTS_HMAC_SHA1_96, 16, 12],
    ['aes128-cts-hmac-sha1-96', ETYPE.AES128_CTS_HMAC_SHA1_96, 15, 12],
    ['rc4-hmac (NT hash)', ETYPE.RC4_HMAC, -138, 16],
    ['aes128-cts-hmac-sha256-128', ETYPE.AES128_CTS_HMAC_SHA256_128, 19, 16],
    ['aes256-cts-hmac-sha384-192', ETYPE.AES256_CTS_HMAC_SHA384_192, 20, 24],
  ])('%s: build, sign, verify every signature', (_name, etype, cksumtype, size) => {
    const serverKey = testKey(etype, 1);
    const kdcKey = testKey(etype, 2);
    const signed = signPac({ pac: samplePac(), serverKey, kdcKey, ticketChecksumInput: TICKET_INPUT, includeFullChecksum: true });
    const { pac, signatures } = verifyPac(signed, { serverKey, kdcKey, ticketChecksumInput: TICKET_INPUT });
    expect(pac.Buffers.map((b) => b.ulType)).toEqual([1, 10, 12, 17, 18, 6, 7, 16, 19]);
    expect(signatures.map((s) => [s.type, s.checksumType, s.verified])).toEqual([
      ['SERVER_CHECKSUM', cksumtype, true],
      ['PRIVSVR_CHECKSUM', cksumtype, true],
      ['TICKET_CHECKSUM', cksumtype, true],
      ['FULL_CHECKSUM', cksumtype, true],
    ]);
    expect(sigAt(signed, T.SERVER_CHECKSUM).size).toBe(4 + size);
  });

  it('follows MS-PAC §2.8 step by step: ticket, full (6/7/19 zeroed), server (6/7 zeroed), KDC over the server signature', () => {
    const serverKey = testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 3);
    const kdcKey = testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 4);
    const signed = signPac({ pac: samplePac(), serverKey, kdcKey, ticketChecksumInput: TICKET_INPUT, includeFullChecksum: true });
    const mac = (key: typeof kdcKey, data: Uint8Array): Uint8Array => checksum(16, key, KEY_USAGE.APP_DATA_CKSUM, data);
    const sig = (t: number): Uint8Array => {
      const e = sigAt(signed, t);
      return signed.slice(e.offset + 4, e.offset + e.size);
    };
    const zeroed = (...types: number[]): Uint8Array => {
      const copy = Uint8Array.from(signed);
      for (const t of types) {
        const e = sigAt(signed, t);
        copy.fill(0, e.offset + 4, e.offset + e.size);
      }
      return copy;
    };
    expect(sig(T.TICKET_CHECKSUM)).toEqual(mac(kdcKey, TICKET_INPUT));
    expect(sig(T.FULL_CHECKSUM)).toEqual(mac(kdcKey, zeroed(T.SERVER_CHECKSUM, T.PRIVSVR_CHECKSUM, T.FULL_CHECKSUM)));
    expect(sig(T.SERVER_CHECKSUM)).toEqual(mac(serverKey, zeroed(T.SERVER_CHECKSUM, T.PRIVSVR_CHECKSUM)));
    expect(sig(T.PRIVSVR_CHECKSUM)).toEqual(mac(kdcKey, sig(T.SERVER_CHECKSUM)));
  });

  it('uses each key’s own checksum type (RC4 service key, AES256 krbtgt — as in Samba’s PAC)', () => {
    const serverKey = testKey(ETYPE.RC4_HMAC, 5);
    const kdcKey = testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 6);
    const signed = signPac({ pac: samplePac(), serverKey, kdcKey });
    expect(verifyPac(signed, { serverKey, kdcKey }).signatures.map((s) => [s.checksumType, s.verified])).toEqual([
      [-138, true],
      [16, true],
    ]);
  });

  describe('one flipped bit fails only the signature it touches', () => {
    const serverKey = testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 7);
    const kdcKey = testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 8);
    const signed = signPac({ pac: samplePac(), serverKey, kdcKey, ticketChecksumInput: TICKET_INPUT });
    const flip = (offset: number): Uint8Array => {
      const copy = Uint8Array.from(signed);
      copy[offset]! ^= 0x01;
      return copy;
    };
    const verify = (bytes: Uint8Array, input = TICKET_INPUT) => verdicts(verifyPac(bytes, { serverKey, kdcKey, ticketChecksumInput: input }).signatures);

    it('intact: all verify', () => {
      expect(verify(signed)).toEqual({ SERVER_CHECKSUM: true, PRIVSVR_CHECKSUM: true, TICKET_CHECKSUM: true });
    });

    it('a bit of LOGON_INFO (UserId) fails the server signature only', () => {
      const logon = pacBufferOffsets(signed)[0]!;
      // UserId sits at body offset 4 + 6*8 + 6*8 + 4 = 104 after the 16 header bytes.
      expect(decodePac(flip(logon.offset + 16 + 104)).Buffers[0]?.value?.type).toBe('LOGON_INFO');
      expect(verify(flip(logon.offset + 16 + 104))).toEqual({ SERVER_CHECKSUM: false, PRIVSVR_CHECKSUM: true, TICKET_CHECKSUM: true });
    });

    it('a bit of the KDC signature fails the KDC signature only', () => {
      expect(verify(flip(sigAt(signed, T.PRIVSVR_CHECKSUM).offset + 4))).toEqual({ SERVER_CHECKSUM: true, PRIVSVR_CHECKSUM: false, TICKET_CHECKSUM: true });
    });

    it('a bit of the server signature fails the server and the KDC (its countersignature) signatures', () => {
      expect(verify(flip(sigAt(signed, T.SERVER_CHECKSUM).offset + 4))).toEqual({ SERVER_CHECKSUM: false, PRIVSVR_CHECKSUM: false, TICKET_CHECKSUM: true });
    });

    it('a bit of the ticket fails the ticket signature only', () => {
      const input = Uint8Array.from(TICKET_INPUT);
      input[0]! ^= 0x80;
      expect(verify(signed, input)).toEqual({ SERVER_CHECKSUM: true, PRIVSVR_CHECKSUM: true, TICKET_CHECKSUM: false });
    });
  });

  it('carries the RODC identifier on the krbtgt-keyed signatures, not on the server signature', () => {
    const serverKey = testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 9);
    const kdcKey = testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 10);
    const signed = signPac({ pac: samplePac(), serverKey, kdcKey, rodcId: 54271, ticketChecksumInput: TICKET_INPUT, includeFullChecksum: true });
    expect(sigAt(signed, T.SERVER_CHECKSUM).size).toBe(16);
    expect(sigAt(signed, T.PRIVSVR_CHECKSUM).size).toBe(18);
    const kdc = sigAt(signed, T.PRIVSVR_CHECKSUM);
    expect([signed[kdc.offset + 16], signed[kdc.offset + 17]]).toEqual([54271 & 0xff, 54271 >> 8]);
    const reports = verifyPac(signed, { serverKey, kdcKey, ticketChecksumInput: TICKET_INPUT }).signatures;
    expect(reports.map((s) => [s.type, s.rodcId, s.verified])).toEqual([
      ['SERVER_CHECKSUM', undefined, true],
      ['PRIVSVR_CHECKSUM', 54271, true],
      ['TICKET_CHECKSUM', 54271, true],
      ['FULL_CHECKSUM', 54271, true],
    ]);
    // Heimdal's krb5_pac_verify and MIT zero everything after SignatureType (RODC number included)
    // for the server checksum, and the KDC checksum covers only the server signature: no checksum
    // covers the number. It selects the krbtgt_N key; a wrong number means a wrong key.
    const other = Uint8Array.from(signed);
    other[kdc.offset + 16] = 1;
    expect(verdicts(verifyPac(other, { serverKey, kdcKey, ticketChecksumInput: TICKET_INPUT }).signatures)).toEqual({
      SERVER_CHECKSUM: true,
      PRIVSVR_CHECKSUM: true,
      TICKET_CHECKSUM: true,
      FULL_CHECKSUM: true,
    });
  });

  it('re-signing a signed PAC keeps the buffer order and gives the same bytes', () => {
    const serverKey = testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 11);
    const kdcKey = testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 12);
    const once = signPac({ pac: samplePac(), serverKey, kdcKey, rodcId: 7 });
    const twice = signPac({ pac: decodePac(once), serverKey, kdcKey, rodcId: 7 });
    expect(twice).toEqual(once);
  });

  it('reports wrong keys as false and missing or mismatched keys as not checked', () => {
    const serverKey = testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 13);
    const kdcKey = testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 14);
    const signed = signPac({ pac: samplePac(), serverKey, kdcKey, ticketChecksumInput: TICKET_INPUT });
    expect(verdicts(verifyPac(signed, { serverKey: kdcKey, kdcKey: serverKey, ticketChecksumInput: TICKET_INPUT }).signatures)).toEqual({
      SERVER_CHECKSUM: false,
      PRIVSVR_CHECKSUM: false,
      TICKET_CHECKSUM: false,
    });
    expect(verdicts(verifyPac(signed).signatures)).toEqual({ SERVER_CHECKSUM: 'not-checked', PRIVSVR_CHECKSUM: 'not-checked', TICKET_CHECKSUM: 'not-checked' });
    const aes128 = testKey(ETYPE.AES128_CTS_HMAC_SHA1_96, 15);
    const r = verifyPac(signed, { serverKey: aes128, kdcKey }).signatures;
    expect(r.map((s) => [s.type, s.verified])).toEqual([
      ['SERVER_CHECKSUM', 'not-checked'],
      ['PRIVSVR_CHECKSUM', true],
      ['TICKET_CHECKSUM', 'not-checked'],
    ]);
  });

  it('refuses to leave stale ticket or full signatures behind', () => {
    const serverKey = testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 16);
    const kdcKey = testKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 17);
    const signed = decodePac(signPac({ pac: samplePac(), serverKey, kdcKey, ticketChecksumInput: TICKET_INPUT, includeFullChecksum: true }));
    expect(() => signPac({ pac: signed, serverKey, kdcKey, includeFullChecksum: true })).toThrow(RangeError);
    expect(() => signPac({ pac: signed, serverKey, kdcKey, ticketChecksumInput: TICKET_INPUT, includeFullChecksum: false })).toThrow(RangeError);
    expect(() => signPac({ pac: samplePac(), serverKey, kdcKey, rodcId: 0x10000 })).toThrow(RangeError);
  });
});
