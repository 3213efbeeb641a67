import { describe, expect, it } from 'vitest';
import {
  AD_TYPES,
  authorizationDataCodec,
  decodeAdIfRelevant,
  extractPac,
  findPacs,
  pacAuthorizationData,
  replacePac,
} from '../../src/asn1/index.js';
import { expectDecodeError, hex, toHex } from './support.js';

const PAC = Uint8Array.of(0x04, 0, 0, 0, 0, 0, 0, 0);

describe('AD-IF-RELEVANT[ AD-WIN2K-PAC ]', () => {
  it('is built as RFC 4120 §5.2.6.1 / MS-PAC §2 nest it, by hand', () => {
    const entry = pacAuthorizationData(PAC);
    expect(entry.adType).toBe(1);
    // SEQUENCE OF { SEQUENCE { ad-type [0] 128 (02 02 00 80), ad-data [1] OCTET STRING (8 octets) } }
    expect(toHex(entry.adData)).toBe('3014' + '3012' + 'a00402020080' + 'a10a0408' + toHex(PAC));
  });

  it('extractPac finds the PAC inside the container; other entries are kept raw', () => {
    const ad = [
      { adType: 142, adData: Uint8Array.of(1, 2, 3) },
      pacAuthorizationData(PAC),
    ];
    const decoded = authorizationDataCodec.decode(authorizationDataCodec.encode(ad));
    expect(decoded).toStrictEqual(ad);
    expect(extractPac(decoded)).toStrictEqual(PAC);
    expect(findPacs(decoded)).toStrictEqual([{ pac: PAC, indexes: [1, 0] }]);
  });

  it('a top-level AD-WIN2K-PAC outside any container is not a PAC', () => {
    expect(extractPac([{ adType: AD_TYPES['AD-WIN2K-PAC'], adData: PAC }])).toBeUndefined();
    expect(extractPac(undefined)).toBeUndefined();
  });

  it('two PACs are refused', () => {
    expect(() => extractPac([pacAuthorizationData(PAC), pacAuthorizationData(PAC)])).toThrow(
      expect.objectContaining({ code: 'ERR_ASN1_DECODE' }),
    );
  });

  it('replacePac swaps only the PAC bytes (MS-PAC §2.8.3 ticket-signature form)', () => {
    const inner = authorizationDataCodec.encode([
      { adType: 141, adData: Uint8Array.of(9) },
      { adType: AD_TYPES['AD-WIN2K-PAC'], adData: PAC },
    ]);
    const ad = [{ adType: 142, adData: Uint8Array.of(7) }, { adType: 1, adData: inner }];
    const zeroed = replacePac(ad, Uint8Array.of(0));
    expect(zeroed[0]).toStrictEqual(ad[0]);
    expect(decodeAdIfRelevant(zeroed[1]!)).toStrictEqual([
      { adType: 141, adData: Uint8Array.of(9) },
      { adType: 128, adData: Uint8Array.of(0) },
    ]);
    expect(extractPac(replacePac(zeroed, PAC))).toStrictEqual(PAC);
    expect(authorizationDataCodec.encode(replacePac(zeroed, PAC))).toStrictEqual(authorizationDataCodec.encode(ad));
  });

  it('a malformed AD-IF-RELEVANT payload is a DecodeError naming the element', () => {
    // The inner element holds an INTEGER where ad-type [0] belongs (offset 4 of the ad-data).
    const ad = [{ adType: 1, adData: hex('30053003020100') }];
    expectDecodeError(() => findPacs(ad), 'AuthorizationData[0].ad-data(AD-IF-RELEVANT)[0].ad-type', 4);
  });

  it('decodeAdIfRelevant refuses an entry of another ad-type', () => {
    expectDecodeError(() => decodeAdIfRelevant({ adType: 128, adData: PAC }), 'AD-IF-RELEVANT', 0);
  });
});
