import { DecodeError } from '../errors/index.js';

/**
 * Bounds-checked little-endian reads for the PAC buffers that are not NDR (PACTYPE, PAC_CLIENT_INFO,
 * UPN_DNS_INFO, PAC_SIGNATURE_DATA, …). Failures are DecodeError 'ERR_PAC_FORMAT' with the PAC-absolute offset.
 */
export class LeReader {
  readonly #bytes: Uint8Array;
  readonly #base: number;
  readonly #root: string;
  #pos = 0;

  constructor(bytes: Uint8Array, base: number, root: string) {
    // Reads assemble bytes directly: a DataView per reader cost more than the reads themselves
    // for the small buffers an exchange decodes (CLIENT_INFO, signatures, REQUESTOR).
    this.#bytes = bytes;
    this.#base = base;
    this.#root = root;
  }

  get pos(): number {
    return this.#pos;
  }

  get length(): number {
    return this.#bytes.length;
  }

  get remaining(): number {
    return this.#bytes.length - this.#pos;
  }

  fail(field: string, reason: string, at = this.#pos): never {
    throw new DecodeError('ERR_PAC_FORMAT', field === '' ? this.#root : `${this.#root}.${field}`, this.#base + at, reason);
  }

  #take(field: string, n: number): number {
    if (n > this.remaining) this.fail(field, `needs ${n} bytes, ${this.remaining} left`);
    const at = this.#pos;
    this.#pos += n;
    return at;
  }

  u16(field: string): number {
    const at = this.#take(field, 2);
    const b = this.#bytes;
    return b[at]! | (b[at + 1]! << 8);
  }

  u32(field: string): number {
    const at = this.#take(field, 4);
    const b = this.#bytes;
    return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  }

  u64(field: string): bigint {
    const at = this.#take(field, 8);
    const b = this.#bytes;
    const low = (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
    const high = (b[at + 4]! | (b[at + 5]! << 8) | (b[at + 6]! << 16) | (b[at + 7]! << 24)) >>> 0;
    return (BigInt(high) << 32n) | BigInt(low);
  }

  bytes(field: string, n: number): Uint8Array {
    const at = this.#take(field, n);
    return this.#bytes.slice(at, at + n);
  }

  /** `n` bytes at an absolute position inside this buffer (offset/length pairs, MS-PAC §2.10). */
  slice(field: string, at: number, n: number): Uint8Array {
    if (at > this.#bytes.length || n > this.#bytes.length - at) {
      this.fail(field, `${n} bytes at ${at} run past the ${this.#bytes.length}-byte buffer`, Math.min(at, this.#bytes.length));
    }
    return this.#bytes.slice(at, at + n);
  }

  end(): void {
    if (this.remaining !== 0) this.fail('', `${this.remaining} trailing bytes`);
  }
}
