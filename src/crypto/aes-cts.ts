import { type Cipher, type Decipher, createCipheriv, createDecipheriv } from 'node:crypto';
import { allocFromSlab } from '../util/index.js';

/**
 * AES in CBC mode with ciphertext stealing, the variant RFC 3962 §5 specifies (the same as
 * NIST SP 800-38A-addendum CS3): CBC over the zero-padded input, then the last two ciphertext
 * blocks swapped and the output cut to the input length. The swap happens even when the input is
 * a whole number of blocks; a single block is plain CBC. Node exposes no CTS mode, so this is
 * built on its AES-CBC.
 *
 * RFC 3962 never carries cipher state across Kerberos messages (each starts from a zero IV);
 * ctsNextIv gives it anyway so the Appendix B vectors can be checked in full.
 */
const BLOCK = 16;
const ZERO_IV = new Uint8Array(BLOCK);

function xorInto(target: Uint8Array, at: number, a: Uint8Array, b: Uint8Array): void {
  for (let i = 0; i < BLOCK; i++) target[at + i]! ^= a[i]! ^ b[i]!;
}

/**
 * AES-CBC over whole blocks with one long-lived OpenSSL context per direction.
 *
 * Creating a cipher context (key schedule included) costs about as much as encrypting a
 * kilobyte, and a derived key Ke encrypts many messages. CBC chains: after a call the context's
 * state is the last ciphertext block S. Feeding the next message's first block as P1 ⊕ S ⊕ IV
 * (encrypt), or ⊕-ing S ⊕ IV into the first output block (decrypt), gives exactly the output a
 * fresh context with that IV would give, so one context serves every message. Only whole blocks
 * are ever fed, so OpenSSL never buffers a partial block between calls.
 */
export class AesCbc {
  readonly #name: string;
  readonly #key: Uint8Array;
  // Each context is made on first use (a key schedule, a few µs): derivation keys only ever
  // encrypt, and the Ke of a request's authenticator usage only ever decrypts.
  #encryptor: Cipher | undefined;
  #decryptor: Decipher | undefined;
  #encState = new Uint8Array(BLOCK);
  #decState = new Uint8Array(BLOCK);

  constructor(key: Uint8Array) {
    const name = key.length === 16 ? 'aes-128-cbc' : key.length === 32 ? 'aes-256-cbc' : undefined;
    if (name === undefined) throw new RangeError('AES key must be 16 or 32 bytes');
    this.#name = name;
    this.#key = Uint8Array.from(key);
  }

  /** CBC-encrypt `blocks` (a whole number of blocks, modified in place) from `iv`. */
  encryptInPlace(blocks: Uint8Array, iv: Uint8Array): Buffer {
    if (blocks.length === 0 || blocks.length % BLOCK !== 0) throw new RangeError('AesCbc: whole blocks only');
    xorInto(blocks, 0, this.#encState, iv);
    this.#encryptor ??= createCipheriv(this.#name, this.#key, ZERO_IV).setAutoPadding(false);
    const out = this.#encryptor.update(blocks);
    this.#encState = Uint8Array.from(out.subarray(out.length - BLOCK));
    return out;
  }

  /** CBC-decrypt `blocks` (a whole number of blocks, not modified) from `iv`. */
  decrypt(blocks: Uint8Array, iv: Uint8Array): Buffer {
    if (blocks.length === 0 || blocks.length % BLOCK !== 0) throw new RangeError('AesCbc: whole blocks only');
    this.#decryptor ??= createDecipheriv(this.#name, this.#key, ZERO_IV).setAutoPadding(false);
    const out = this.#decryptor.update(blocks);
    xorInto(out, 0, this.#decState, iv);
    this.#decState = Uint8Array.from(blocks.subarray(blocks.length - BLOCK));
    return out;
  }

  /** One raw AES block encryption: the "E" of RFC 3961's DR and RFC 3962's PRF. */
  encryptBlock(block: Uint8Array): Uint8Array {
    if (block.length !== BLOCK) throw new RangeError('encryptBlock: one 16-byte block');
    return new Uint8Array(this.encryptInPlace(block.slice(), ZERO_IV));
  }
}

/**
 * A plain Uint8Array over a Buffer node:crypto returned, without copying when the Buffer owns its
 * whole ArrayBuffer (cipher output does); a copy otherwise, so no caller ever holds a view into
 * memory shared with unrelated data.
 */
function plain(b: Buffer, length = b.length): Uint8Array {
  if (b.byteOffset === 0 && b.buffer.byteLength === b.length) return new Uint8Array(b.buffer, 0, length);
  return new Uint8Array(b.subarray(0, length));
}

/**
 * CTS-encrypt `input` (any length >= 1 block in Kerberos use). RFC 3962 §5: input shorter than
 * one block is zero-padded to one; Kerberos never produces it (there is always a confounder).
 */
export function aesCtsEncrypt(cbc: AesCbc, input: Uint8Array, iv: Uint8Array = ZERO_IV): Uint8Array {
  const n = Math.max(1, Math.ceil(input.length / BLOCK));
  const padded = allocFromSlab(n * BLOCK);
  padded.set(input);
  const c = cbc.encryptInPlace(padded, iv);
  if (n === 1) return plain(c);
  // Swap the last two blocks in place, then cut to the input length: the last CBC block moves
  // forward whole, and only the first `last` bytes of the one before it remain.
  const last = input.length - (n - 1) * BLOCK; // bytes in the final, possibly partial block
  const stolen = Uint8Array.from(c.subarray((n - 2) * BLOCK, (n - 2) * BLOCK + last));
  c.copyWithin((n - 2) * BLOCK, (n - 1) * BLOCK, n * BLOCK);
  c.set(stolen, (n - 1) * BLOCK);
  return plain(c, input.length);
}

/**
 * aesCtsEncrypt for a caller that already holds the input zero-padded to whole blocks (`padded`,
 * `length` octets of input, at least one block; modified): the result goes straight into
 * `out[0..length)`, saving the padding copy and the cut (the RFC 3962 profile lays out
 * confounder ‖ plaintext once and MACs it before encrypting).
 */
export function aesCtsEncryptInto(cbc: AesCbc, padded: Uint8Array, length: number, out: Uint8Array): void {
  const n = padded.length / BLOCK;
  if (length < BLOCK || n !== Math.ceil(length / BLOCK)) throw new RangeError('aesCtsEncryptInto: padded must be the input zero-padded to whole blocks, at least one');
  const c = cbc.encryptInPlace(padded, ZERO_IV);
  if (n === 1) {
    out.set(c);
    return;
  }
  // The same swap as aesCtsEncrypt: the last CBC block moves forward whole, then the first
  // `last` bytes of the one before it.
  const last = length - (n - 1) * BLOCK;
  out.set(c.subarray(0, (n - 2) * BLOCK));
  out.set(c.subarray((n - 1) * BLOCK, n * BLOCK), (n - 2) * BLOCK);
  out.set(c.subarray((n - 2) * BLOCK, (n - 2) * BLOCK + last), (n - 1) * BLOCK);
}

/** Inverse of aesCtsEncrypt. The input must be at least one block (RangeError otherwise). */
export function aesCtsDecrypt(cbc: AesCbc, input: Uint8Array, iv: Uint8Array = ZERO_IV): Uint8Array {
  if (input.length < BLOCK) throw new RangeError('aesCtsDecrypt: input shorter than one block');
  const n = Math.ceil(input.length / BLOCK);
  if (n === 1) return plain(cbc.decrypt(input, iv));
  const last = input.length - (n - 1) * BLOCK;
  const x = input.subarray((n - 2) * BLOCK, (n - 1) * BLOCK);
  const y = input.subarray((n - 1) * BLOCK);
  const rebuilt = allocFromSlab(n * BLOCK); // scratch: the output is the decipher's own buffer
  rebuilt.set(input.subarray(0, (n - 2) * BLOCK));
  rebuilt.set(y, (n - 2) * BLOCK);
  rebuilt.set(x, (n - 1) * BLOCK);
  if (last < BLOCK) {
    // The full block X is the final CBC block; the short tail Y is the start of the CBC block
    // before it. D(X) (X decrypted alone, zero IV) = (Pn ‖ 0) ⊕ that block, so its bytes past
    // `last` complete the block. With the block whole, one CBC pass over (…, block, X) yields
    // every plaintext block, the last one as Pn ‖ zeros.
    const dx = cbc.decrypt(x, ZERO_IV);
    rebuilt.set(dx.subarray(last), (n - 2) * BLOCK + last);
  }
  return plain(cbc.decrypt(rebuilt, iv), input.length);
}

/**
 * The cipher state after a CTS operation (RFC 3962 §5: "the next-to-last block of the
 * ciphertext"), computed from the ciphertext: Kerberos never chains it, the RFC vectors list it.
 */
export function ctsNextIv(ciphertext: Uint8Array): Uint8Array {
  const n = Math.max(1, Math.ceil(ciphertext.length / BLOCK));
  const at = n === 1 ? 0 : (n - 2) * BLOCK;
  return Uint8Array.from(ciphertext.subarray(at, at + BLOCK));
}
