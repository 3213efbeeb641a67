/**
 * n-fold, RFC 3961 §5.1: stretch or shrink a constant to the cipher's block size.
 *
 * The input is repeated until the total length is the least common multiple of the input and output
 * lengths, each repetition rotated 13 bits further to the right than the previous one; the
 * result is cut into output-sized chunks that are summed with ones'-complement addition (the carry
 * out of the top byte is added back in at the bottom).
 *
 * Only used on short constants (usage numbers, "kerberos", "prf"), so it works bit by bit for
 * readability rather than speed.
 */
export function nFold(input: Uint8Array, outBytes: number): Uint8Array {
  if (input.length === 0 || outBytes <= 0) throw new RangeError('nFold: empty input or output');
  const inBits = input.length * 8;
  const total = lcm(input.length, outBytes);
  const sum = new Uint8Array(outBytes);
  for (let chunk = 0; chunk < total / outBytes; chunk++) {
    const block = new Uint8Array(outBytes);
    for (let bit = 0; bit < outBytes * 8; bit++) {
      const pos = chunk * outBytes * 8 + bit; // bit position in the repeated string
      const copy = Math.floor(pos / inBits);
      // Copy number `copy` is the input rotated right by 13*copy bits: its bit j is input bit j - r.
      const r = (13 * copy) % inBits;
      const src = (((pos % inBits) - r) % inBits + inBits) % inBits;
      if (((input[src >> 3]! >> (7 - (src & 7))) & 1) === 1) block[bit >> 3]! |= 0x80 >> (bit & 7);
    }
    onesComplementAdd(sum, block);
  }
  return sum;
}

/** sum += block, big-endian, with end-around carry. */
function onesComplementAdd(sum: Uint8Array, block: Uint8Array): void {
  let carry = 0;
  for (let i = sum.length - 1; i >= 0; i--) {
    const t = sum[i]! + block[i]! + carry;
    sum[i] = t & 0xff;
    carry = t >> 8;
  }
  // The end-around carry can itself overflow only when sum was all ones; loop until it settles.
  while (carry !== 0) {
    for (let i = sum.length - 1; i >= 0 && carry !== 0; i--) {
      const t = sum[i]! + carry;
      sum[i] = t & 0xff;
      carry = t >> 8;
    }
  }
}

function lcm(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return (a / x) * b;
}
