/**
 * Zero-filled byte arrays carved one after another from shared slabs, for the many short-lived
 * buffers of a KDC exchange (DER encodings, cipher buffers).
 *
 * Why: V8 keeps a typed array over 64 bytes outside its heap, so each `new Uint8Array(n)` costs a
 * backing-store allocation with its own bookkeeping and later sweeping — about 0.5–1 µs each, and a
 * TGS-REQ made some twenty of them (measured on Node 20, .tmp bench, 28 Nov 2026). A view into a
 * slab costs a few tens of nanoseconds. Regions are never handed out twice, so they are zero as the
 * fresh ArrayBuffer was.
 *
 * The price: a view keeps its whole slab alive. Whatever is kept long (a cache entry) must be
 * copied out of the slab first (`Uint8Array.from`), and `.buffer` of a result is the slab, not the
 * array — read it only with `byteOffset`/`byteLength`, as for any Node Buffer.
 */
const SLAB_BYTES = 32 * 1024;
/** Larger requests get their own ArrayBuffer: they would waste most of a slab. */
const MAX_POOLED = 4 * 1024;

let slab = new ArrayBuffer(SLAB_BYTES);
let used = 0;

export function allocFromSlab(length: number): Uint8Array {
  if (length > MAX_POOLED) return new Uint8Array(length);
  if (used + length > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const out = new Uint8Array(slab, used, length);
  // 8-aligned starts, so views of 32-/64-bit words over a region stay aligned.
  used += (length + 7) & ~7;
  return out;
}
