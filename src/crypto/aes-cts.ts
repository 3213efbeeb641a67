import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * AES in CBC mode with ciphertext stealing, the variant RFC 3962 §5 specifies (the same as
 * NIST SP 800-38A-addendum CS3): CBC over the zero-padded input, then the last two ciphertext
 * blocks swapped and the output cut to the input length. The swap happens even when the input is
 * a whole number of blocks; a single block is plain CBC. Node exposes no CTS mode, so this is
 * built from its AES-CBC and AES-ECB.
 *
 * Keys are 16 or 32 bytes. RFC 3962 never needs the cipher state across messages (Kerberos
 * messages start from a zero IV), but the next IV is returned so the Appendix B vectors can be
 * checked in full: it is the last CBC block, i.e. the next-to-last block of the output.
 */
const BLOCK = 16;
const ZERO_IV = new Uint8Array(BLOCK);

export interface CtsResult {
  readonly output: Uint8Array;
  readonly nextIv: Uint8Array;
}

function cbcName(key: Uint8Array): string {
  if (key.length === 16) return 'aes-128-cbc';
  if (key.length === 32) return 'aes-256-cbc';
  throw new RangeError('AES key must be 16 or 32 bytes');
}

function cbc(encrypting: boolean, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const c = encrypting ? createCipheriv(cbcName(key), key, iv) : createDecipheriv(cbcName(key), key, iv);
  c.setAutoPadding(false);
  const head = c.update(data);
  const tail = c.final();
  return tail.length === 0 ? head : Buffer.concat([head, tail]);
}

/** One raw AES block operation (ECB) — the "E" of RFC 3961's DR and of RFC 3962's PRF. */
export function aesEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  if (block.length !== BLOCK) throw new RangeError('aesEncryptBlock: one 16-byte block');
  return new Uint8Array(cbc(true, key, ZERO_IV, block));
}

export function aesCtsEncrypt(key: Uint8Array, input: Uint8Array, iv: Uint8Array = ZERO_IV): CtsResult {
  const n = Math.max(1, Math.ceil(input.length / BLOCK));
  // RFC 3962 §5: input shorter than one block is padded; Kerberos never produces it (confounder).
  const padded = input.length === n * BLOCK ? input : zeroPad(input, n * BLOCK);
  const c = cbc(true, key, iv, padded);
  if (n === 1) return { output: new Uint8Array(c), nextIv: new Uint8Array(c) };
  const last = input.length - (n - 1) * BLOCK; // bytes in the final, possibly partial block
  const out = new Uint8Array(input.length);
  out.set(c.subarray(0, (n - 2) * BLOCK));
  out.set(c.subarray((n - 1) * BLOCK), (n - 2) * BLOCK);
  out.set(c.subarray((n - 2) * BLOCK, (n - 2) * BLOCK + last), (n - 1) * BLOCK);
  return { output: out, nextIv: new Uint8Array(c.subarray((n - 1) * BLOCK)) };
}

/** Inverse of aesCtsEncrypt. The input must be at least one block (RangeError otherwise). */
export function aesCtsDecrypt(key: Uint8Array, input: Uint8Array, iv: Uint8Array = ZERO_IV): CtsResult {
  if (input.length < BLOCK) throw new RangeError('aesCtsDecrypt: input shorter than one block');
  const n = Math.ceil(input.length / BLOCK);
  if (n === 1) return { output: new Uint8Array(cbc(false, key, iv, input)), nextIv: Uint8Array.from(input) };
  const last = input.length - (n - 1) * BLOCK;
  // The full next-to-last output block X is the final CBC block; the short tail is the start of
  // the CBC block before it. Decrypting X alone (zero IV = ECB) yields that block's missing end.
  const x = input.subarray((n - 2) * BLOCK, (n - 1) * BLOCK);
  const dx = cbc(false, key, ZERO_IV, x);
  // Reassemble the plain CBC ciphertext; one CBC pass then gives every plaintext block, the last
  // one as (Pn ‖ zeros) because D(X) xor the rebuilt block cancels the stolen bytes.
  const rebuilt = new Uint8Array(n * BLOCK);
  rebuilt.set(input.subarray(0, (n - 2) * BLOCK));
  rebuilt.set(input.subarray((n - 1) * BLOCK), (n - 2) * BLOCK);
  rebuilt.set(dx.subarray(last), (n - 2) * BLOCK + last);
  rebuilt.set(x, (n - 1) * BLOCK);
  const p = cbc(false, key, iv, rebuilt);
  return { output: new Uint8Array(p.subarray(0, input.length)), nextIv: Uint8Array.from(x) };
}

function zeroPad(input: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(input);
  return out;
}
