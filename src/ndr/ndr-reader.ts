import { DecodeError } from '../errors/index.js';

/**
 * A strict little-endian NDR20 reader (C706 §14.2, MS-RPCE §2.2.5). Every read is bounds-checked;
 * a failure is a DecodeError 'ERR_NDR_DECODE' carrying the field path (e.g.
 * `KERB_VALIDATION_INFO.GroupIds[3].RelativeId`) and the absolute byte offset (`base` is where
 * these bytes sit in the enclosing PAC, so offsets in errors point into the PAC).
 *
 * Alignment is relative to the start of the NDR stream: the type-serialization headers are 16 bytes,
 * a multiple of every NDR alignment, so aligning on `pos` is the same as aligning on the body.
 */
export class NdrReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #base: number;
  #path: string[] = [];
  #pos = 0;

  constructor(bytes: Uint8Array, base = 0, root = '') {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#base = base;
    if (root !== '') this.#path.push(root);
  }

  get pos(): number {
    return this.#pos;
  }

  get remaining(): number {
    return this.#bytes.length - this.#pos;
  }

  /** The dotted field path at this point, for errors. */
  get path(): string {
    return this.#path.join('').replace(/^\./, '');
  }

  /** Run `fn` with `name` appended to the path (`.Field` or `[i]`). */
  at<T>(name: string | number, fn: () => T): T {
    this.#path.push(typeof name === 'number' ? `[${name}]` : `.${name}`);
    try {
      return fn();
    } finally {
      this.#path.pop();
    }
  }

  /**
   * Queue `fn` to run later (a deferred pointee, C706 §14.3.12.3) with the field path as it is now,
   * so errors inside the pointee still name the field that pointed to it.
   */
  defer(queue: Array<() => void>, fn: () => void): void {
    const captured = [...this.#path];
    queue.push(() => {
      const saved = this.#path;
      this.#path = captured;
      try {
        fn();
      } finally {
        this.#path = saved;
      }
    });
  }

  fail(reason: string, at = this.#pos): never {
    throw new DecodeError('ERR_NDR_DECODE', this.path, this.#base + at, reason);
  }

  #need(n: number): number {
    if (n > this.remaining) this.fail(`needs ${n} bytes, ${this.remaining} left`);
    const at = this.#pos;
    this.#pos += n;
    return at;
  }

  /** Skip to the next multiple of `n`. Padding content is not checked: Windows and Samba both write zeros, and readers ignore it. */
  align(n: 1 | 2 | 4 | 8): void {
    const pad = (n - (this.#pos % n)) % n;
    this.#need(pad);
  }

  u8(): number {
    return this.#view.getUint8(this.#need(1));
  }

  u16(): number {
    this.align(2);
    return this.#view.getUint16(this.#need(2), true);
  }

  u32(): number {
    this.align(4);
    return this.#view.getUint32(this.#need(4), true);
  }

  /** NDR hyper (8-byte aligned). */
  u64(): bigint {
    this.align(8);
    return this.#view.getBigUint64(this.#need(8), true);
  }

  i64(): bigint {
    this.align(8);
    return this.#view.getBigInt64(this.#need(8), true);
  }

  /** A FILETIME is a struct of two ULONGs (MS-DTYP §2.3.3): 4-byte aligned, low word first. */
  filetime(): bigint {
    this.align(4);
    const at = this.#need(8);
    const low = this.#view.getUint32(at, true);
    const high = this.#view.getUint32(at + 4, true);
    return (BigInt(high) << 32n) | BigInt(low);
  }

  bytes(n: number): Uint8Array {
    const at = this.#need(n);
    return this.#bytes.slice(at, at + n);
  }

  /**
   * A pointer's referent ID (C706 §14.3.10). 0 is NULL. Unique pointers need not be distinct in
   * value order, so only NULL-ness is meaningful to the decoder.
   */
  referent(): number {
    return this.u32();
  }

  /**
   * A conformance or variance count for an array whose elements are at least `elementSize` bytes.
   * Checked against the bytes left before anything is allocated, so a forged count cannot make
   * the decoder allocate or loop beyond the input.
   */
  count(elementSize: number): number {
    const at = this.#pos;
    const n = this.u32();
    if (n * elementSize > this.remaining) this.fail(`count ${n} exceeds the ${this.remaining} bytes left`, at);
    return n;
  }

  /** Fail unless every byte has been consumed, allowing trailing alignment padding up to `slack`. */
  end(slack = 0): void {
    if (this.remaining > slack) this.fail(`${this.remaining} trailing bytes`);
  }
}
