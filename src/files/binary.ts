import { DecodeError, type LocalErrorCode } from '../errors/index.js';
import { concatBytes } from '../util/index.js';

/**
 * Bounds-checked reader for MIT's binary credential formats (ccache, keytab). Every read checks
 * the bytes that remain first, so a hostile length can never make us read past the end, allocate
 * more than the file holds, or loop: each failure is a DecodeError with the field path and the
 * absolute offset where it broke.
 */
export class BinaryReader {
  private readonly view: DataView;
  private pos: number;

  constructor(
    private readonly input: Uint8Array,
    private readonly code: LocalErrorCode,
    /** MIT ccache v1/v2 and keytab v1 use the writer's native order; x86 is little-endian. */
    public littleEndian = false,
    start = 0,
    private readonly end = input.length,
  ) {
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** A reader over the next `length` bytes, which this reader skips. */
  sub(length: number, path: string): BinaryReader {
    this.need(length, path);
    const r = new BinaryReader(this.input, this.code, this.littleEndian, this.pos, this.pos + length);
    this.pos += length;
    return r;
  }

  fail(path: string, reason: string, at: number = this.pos): never {
    throw new DecodeError(this.code, path, at, reason);
  }

  need(length: number, path: string): void {
    if (length < 0 || length > this.remaining) {
      this.fail(path, `needs ${length} byte(s), ${this.remaining} remain`);
    }
  }

  u8(path: string): number {
    this.need(1, path);
    return this.view.getUint8(this.pos++);
  }

  u16(path: string): number {
    this.need(2, path);
    const v = this.view.getUint16(this.pos, this.littleEndian);
    this.pos += 2;
    return v;
  }

  u32(path: string): number {
    this.need(4, path);
    const v = this.view.getUint32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  i32(path: string): number {
    this.need(4, path);
    const v = this.view.getInt32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  /** A copy of the next `length` bytes (the caller owns it; the input may be reused). */
  bytes(length: number, path: string): Uint8Array {
    this.need(length, path);
    const out = this.input.slice(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  skip(length: number, path: string): void {
    this.need(length, path);
    this.pos += length;
  }

  /**
   * A count of elements that each take at least `minSize` bytes: bounded by what remains, so a
   * count of 0xFFFFFFFF is refused before any loop or allocation.
   */
  count(width: 2 | 4, minSize: number, path: string): number {
    const at = this.pos;
    const n = width === 2 ? this.u16(path) : this.u32(path);
    if (n * minSize > this.remaining) {
      this.fail(path, `count ${n} cannot fit in the ${this.remaining} byte(s) that remain`, at);
    }
    return n;
  }

  /** Bytes decoded as UTF-8; invalid UTF-8 is refused, so encoding the string gives the same bytes back. */
  text(length: number, path: string): string {
    const at = this.pos;
    const raw = this.bytes(length, path);
    try {
      return UTF8_STRICT.decode(raw);
    } catch {
      return this.fail(path, 'not valid UTF-8', at);
    }
  }
}

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF8_ENCODER = new TextEncoder();

/** Big-endian writer for the formats we emit (ccache v4, keytab 0x502). */
export class BinaryWriter {
  private readonly parts: Uint8Array[] = [];

  u8(v: number): this {
    return this.int(v, 1, 0xff);
  }

  u16(v: number): this {
    return this.int(v, 2, 0xffff);
  }

  u32(v: number): this {
    return this.int(v, 4, 0xffffffff);
  }

  i32(v: number): this {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new RangeError(`not a signed 32-bit integer: ${v}`);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, v);
    this.parts.push(b);
    return this;
  }

  bytes(b: Uint8Array): this {
    this.parts.push(b.slice());
    return this;
  }

  /** u32 length + bytes (ccache `data`). */
  data32(b: Uint8Array): this {
    return this.u32(b.length).bytes(b);
  }

  /** u16 length + bytes (keytab `data`). */
  data16(b: Uint8Array): this {
    return this.u16(b.length).bytes(b);
  }

  get length(): number {
    let n = 0;
    for (const p of this.parts) n += p.length;
    return n;
  }

  finish(): Uint8Array {
    return concatBytes(...this.parts);
  }

  private int(v: number, size: 1 | 2 | 4, max: number): this {
    if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`not an unsigned ${size * 8}-bit integer: ${v}`);
    const b = new Uint8Array(size);
    const dv = new DataView(b.buffer);
    if (size === 1) dv.setUint8(0, v);
    else if (size === 2) dv.setUint16(0, v);
    else dv.setUint32(0, v);
    this.parts.push(b);
    return this;
  }
}

export function encodeText(s: string): Uint8Array {
  return UTF8_ENCODER.encode(s);
}
