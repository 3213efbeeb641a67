import { describe, expect, it } from 'vitest';
import { CLAIMS_COMPRESSION_FORMAT, CLAIM_TYPE, decodeClaimsSetMetadata, encodeClaimsSetMetadata } from '../../src/pac/index.js';
import { toHex } from '../../src/util/index.js';
import { hexFixture } from './fixtures.js';

/** Claims vectors from samba python/samba/tests/blackbox/ndrdump.py; expected values from its ndrdump output files. */
describe('CLAIMS_SET_METADATA (MS-ADTS §2.2.18.8)', () => {
  it('decodes an uncompressed claims set as Samba’s ndrdump does', () => {
    const bytes = hexFixture('samba-uncompressed-claims.hex');
    const m = decodeClaimsSetMetadata(bytes);
    expect(m.usCompressionFormat).toBe(CLAIMS_COMPRESSION_FORMAT.NONE);
    expect(m.ClaimsSet?.length).toBe(344);
    expect(m.ulUncompressedClaimsSetSize).toBe(344);
    expect(m.ReservedField).toBeNull();
    expect(m.claimsSet?.ClaimsArrays).toEqual([
      {
        usClaimsSourceType: 1,
        ClaimEntries: [
          { Id: '720fd3c3_9', Type: CLAIM_TYPE.BOOLEAN, Values: [1n] },
          { Id: '720fd3c3_7', Type: CLAIM_TYPE.STRING, Values: ['foo', 'bar', 'baz'] },
          { Id: '720fd3c3_8', Type: CLAIM_TYPE.UINT64, Values: [0xa0009n, 0x10007n, 0x10006n, 0x10000n] },
        ],
      },
    ]);
    // Kept bytes re-encode exactly.
    const { claimsSet: _decoded, ...raw } = m;
    expect(toHex(encodeClaimsSetMetadata(raw))).toBe(toHex(bytes));
  });

  it('re-encodes a claims set from its values to the same structure', () => {
    const m = decodeClaimsSetMetadata(hexFixture('samba-uncompressed-claims.hex'));
    const again = decodeClaimsSetMetadata(encodeClaimsSetMetadata(m));
    // The sample numbers referents depth-first; we number them in wire order like Samba's pidl,
    // so bytes differ in referent values only and the decoded structure is the same.
    expect(again.claimsSet).toEqual(m.claimsSet);
    expect(again.ClaimsSet?.length).toBe(m.ClaimsSet?.length);
  });

  it('reports a compressed set with its format and keeps it as bytes', () => {
    const bytes = hexFixture('samba-compressed-claims.hex');
    const m = decodeClaimsSetMetadata(bytes);
    expect(m.usCompressionFormat).toBe(CLAIMS_COMPRESSION_FORMAT.XPRESS_HUFF);
    expect(m.ClaimsSet?.length).toBe(553);
    expect(m.ulUncompressedClaimsSetSize).toBe(8232);
    expect(m.claimsSet).toBeUndefined();
    expect(toHex(encodeClaimsSetMetadata(m))).toBe(toHex(bytes));
  });

  it('rejects a union discriminant that differs from the claim Type', () => {
    const bytes = hexFixture('samba-uncompressed-claims.hex');
    // First CLAIM_ENTRY: Id pointer, Type 6, discriminant 6 — set the discriminant to 3.
    const at = toHex(bytes).indexOf('0c00020006000600') / 2 + 6;
    bytes[at] = 3;
    expect(() => decodeClaimsSetMetadata(bytes)).toThrow(expect.objectContaining({ code: 'ERR_NDR_DECODE' }));
  });
});
