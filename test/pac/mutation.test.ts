import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzzPac, pacCorpus } from '../../fuzz/pac.js';
import { decodePac, encodePac } from '../../src/pac/index.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('PAC decoder under 100,000 seeded mutations', () => {
  const { corpus, keys } = pacCorpus(ROOT);

  it('the corpus itself decodes and re-encodes exactly', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(6);
    for (const pac of corpus) expect(encodePac(decodePac(pac))).toEqual(pac);
    expect(decodePac(corpus[2]!).Buffers.length).toBe(15);
  });

  it('every mutation decodes (and re-encodes to itself) or fails with a typed error', () => {
    const result = fuzzPac({ corpus, iterations: 100_000, seed: 0x5eed_0004, describeEvery: 50, keys });
    expect(result.failures).toEqual([]);
    expect(result.decoded + result.rejected).toBe(100_000);
    // Both outcomes occur: the mutations reach past the layout checks into the buffer decoders.
    expect(result.decoded).toBeGreaterThan(1000);
    expect(result.rejected).toBeGreaterThan(1000);
  }, 60_000);
});
