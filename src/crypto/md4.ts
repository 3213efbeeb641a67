/**
 * MD4, RFC 1320. Needed only for the rc4-hmac string-to-key (RFC 4757 §4: the key is
 * MD4(UTF-16LE(password)), the NT hash). Node 20's OpenSSL 3 keeps MD4 in the legacy provider,
 * which is not loaded, so this is a small implementation of the RFC's three rounds.
 * MD4 is broken as a hash; it is used here because the protocol defines the key that way.
 */
const S1 = [3, 7, 11, 19] as const;
const S2 = [3, 5, 9, 13] as const;
const S3 = [3, 9, 11, 15] as const;
const ORDER2 = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15] as const;
const ORDER3 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15] as const;

const rotl = (x: number, s: number): number => (x << s) | (x >>> (32 - s));

export function md4(message: Uint8Array): Uint8Array {
  // RFC 1320 §3.1–3.2: append 0x80, zeros to 56 mod 64, then the bit length, 64-bit little-endian.
  const padded = new Uint8Array((((message.length + 8) >> 6) + 1) << 6);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bits = message.length * 8;
  view.setUint32(padded.length - 8, bits >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(bits / 2 ** 32), true);

  // RFC 1320 §3.3: initial state.
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const x = new Array<number>(16);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) x[i] = view.getUint32(block + 4 * i, true);
    const v = h.slice();
    // Each step updates one of a, b, c, d in turn: v[(16 - step) % 4] with the other three as (b, c, d).
    const step = (i: number, f: (b: number, c: number, d: number) => number, k: number, s: number, add: number) => {
      const a = (4 - (i % 4)) % 4;
      const b = v[(a + 1) % 4]!;
      const c = v[(a + 2) % 4]!;
      const d = v[(a + 3) % 4]!;
      v[a] = rotl((v[a]! + f(b, c, d) + x[k]! + add) | 0, s);
    };
    // §3.4 round 1: F(X,Y,Z) = XY v not(X) Z.
    for (let i = 0; i < 16; i++) step(i, (b, c, d) => (b & c) | (~b & d), i, S1[i % 4]!, 0);
    // Round 2: G(X,Y,Z) = XY v XZ v YZ, plus the square root of 2.
    for (let i = 0; i < 16; i++) step(i, (b, c, d) => (b & c) | (b & d) | (c & d), ORDER2[i]!, S2[i % 4]!, 0x5a827999);
    // Round 3: H(X,Y,Z) = X xor Y xor Z, plus the square root of 3.
    for (let i = 0; i < 16; i++) step(i, (b, c, d) => b ^ c ^ d, ORDER3[i]!, S3[i % 4]!, 0x6ed9eba1);
    for (let i = 0; i < 4; i++) h[i] = (h[i]! + v[i]!) | 0;
  }
  const out = new Uint8Array(16);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) outView.setUint32(4 * i, h[i]! >>> 0, true);
  return out;
}
