import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex } from '../../src/util/index.js';

/** Loads krb-fixtures/crypto/<name>.json (see krb-fixtures/README.md for where each came from). */
export function loadFixture<T>(name: string): T {
  const path = join(import.meta.dirname, '..', '..', 'krb-fixtures', 'crypto', name);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export const hex = fromHex;

/** A copy of `bytes` with bit `bit` of byte `index` flipped. */
export function flipBit(bytes: Uint8Array, index: number, bit = 0): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[index]! ^= 1 << bit;
  return out;
}

/** A RandomSource that hands out the given bytes (the confounder of a known-answer vector). */
export function fixedRandom(bytes: Uint8Array) {
  return {
    bytes(length: number): Uint8Array {
      if (length !== bytes.length) throw new RangeError(`fixedRandom: asked ${length}, have ${bytes.length}`);
      return Uint8Array.from(bytes);
    },
  };
}
