import { describe, expect, it } from 'vitest';
import { nFold } from '../../src/crypto/n-fold.js';
import { toHex, utf8 } from '../../src/util/index.js';
import { hex, loadFixture } from './fixtures.js';

interface NFoldVectors {
  vectors: { input: string; bits: number; output: string }[];
}

describe('n-fold (RFC 3961 §5.1)', () => {
  const { vectors } = loadFixture<NFoldVectors>('rfc3961-a1-nfold.json');

  it('has every Appendix A.1 vector', () => expect(vectors).toHaveLength(11));

  for (const v of vectors) {
    it(`${v.bits}-fold("${v.input}")`, () => {
      expect(toHex(nFold(utf8(v.input), v.bits / 8))).toBe(toHex(hex(v.output)));
    });
  }

  it('rejects empty input', () => expect(() => nFold(new Uint8Array(0), 16)).toThrow(RangeError));
});
