/**
 * A little-endian NDR20 writer (C706 §14.2, MS-RPCE §2.2.5).
 *
 * Referent IDs follow what both MIDL-generated Windows code and Samba's pidl emit: the n-th
 * non-NULL pointer written gets 0x00020000 + 4n (MS-PAC §3 shows 0x00020000, 0x00020004, …).
 * NULL pointers take no number. Matching this is what makes a rebuilt buffer byte-identical to a
 * DC-issued one.
 *
 * Deferred pointees are the caller's job: structure codecs write their scalars first, then the
 * pointees in field order (C706 §14.3.12.3), the order MS-PAC §3's dump shows.
 */
export class NdrWriter {
  #buf = new Uint8Array(256);
  #view = new DataView(this.#buf.buffer);
  #len = 0;
  #nextReferent = 0x00020000;

  get length(): number {
    return this.#len;
  }

  #grow(n: number): number {
    const need = this.#len + n;
    if (need > this.#buf.length) {
      let size = this.#buf.length * 2;
      while (size < need) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.#buf.subarray(0, this.#len));
      this.#buf = next;
      this.#view = new DataView(next.buffer);
    }
    const at = this.#len;
    this.#len = need;
    return at;
  }

  /** Pad with zeros to a multiple of `n`. */
  align(n: 1 | 2 | 4 | 8): void {
    const pad = (n - (this.#len % n)) % n;
    this.#grow(pad);
  }

  u8(v: number): void {
    const at = this.#grow(1);
    this.#view.setUint8(at, v);
  }

  u16(v: number): void {
    this.align(2);
    const at = this.#grow(2);
    this.#view.setUint16(at, v, true);
  }

  u32(v: number): void {
    this.align(4);
    const at = this.#grow(4);
    this.#view.setUint32(at, v >>> 0, true);
  }

  u64(v: bigint): void {
    this.align(8);
    const at = this.#grow(8);
    this.#view.setBigUint64(at, BigInt.asUintN(64, v), true);
  }

  i64(v: bigint): void {
    this.align(8);
    const at = this.#grow(8);
    this.#view.setBigInt64(at, BigInt.asIntN(64, v), true);
  }

  /** FILETIME: two ULONGs, 4-byte aligned (MS-DTYP §2.3.3). */
  filetime(v: bigint): void {
    this.align(4);
    const at = this.#grow(8);
    const u = BigInt.asUintN(64, v);
    this.#view.setUint32(at, Number(u & 0xffffffffn), true);
    this.#view.setUint32(at + 4, Number(u >> 32n), true);
  }

  bytes(b: Uint8Array): void {
    const at = this.#grow(b.length);
    this.#buf.set(b, at);
  }

  /** Write a pointer: a fresh referent ID when present, 0 for NULL. Returns whether a pointee must follow. */
  pointer(present: boolean): boolean {
    if (!present) {
      this.u32(0);
      return false;
    }
    this.u32(this.#nextReferent);
    this.#nextReferent += 4;
    return true;
  }

  /** Overwrite a u32 already written (lengths known only after the body). */
  patchU32(at: number, v: number): void {
    this.#view.setUint32(at, v >>> 0, true);
  }

  toBytes(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}
