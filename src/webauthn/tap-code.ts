import type { RandomSource } from '../util/index.js';

// Crockford base32 (no I, L, O, U): easy to read aloud and to type from a printout.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A temporary access pass: 160 random bits as 32 Crockford-base32 characters in groups of 4. */
export function newTapCode(random: RandomSource): string {
  const bytes = random.bytes(20);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/** Canonical form for hashing: upper case, separators dropped, look-alike letters folded. */
export function normalizeTapCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

/** Could `input` be a pass (32 characters of the alphabet once normalized)? */
export function looksLikeTapCode(input: string): boolean {
  const n = normalizeTapCode(input.trim());
  return n.length === 32 && [...n].every((c) => ALPHABET.includes(c));
}
