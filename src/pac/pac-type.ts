import { DecodeError } from '../errors/index.js';
import { decodePacBufferValue, encodePacBufferValue, type PacBufferValue } from './pac-buffer-value.js';

/**
 * One PAC_INFO_BUFFER (MS-PAC §2.4) with its bytes. `data` is exactly cbBufferSize bytes;
 * `padding` is what followed it before the next buffer in the original layout (written back
 * verbatim so decode → encode is byte-identical; zeros to the next 8-byte boundary when absent).
 * `value` is the decoded content for known types, undefined for unknown ones (kept raw, §2.4:
 * "Types that are not understood MUST be ignored").
 *
 * `data` is what encodePac writes; `value` is a decoded view of it. To change a buffer, replace it
 * with `pacBuffer(newValue)`, which encodes the value into fresh `data`.
 */
export interface PacBuffer {
  readonly ulType: number;
  readonly data: Uint8Array;
  readonly padding?: Uint8Array;
  readonly value?: PacBufferValue;
}

/**
 * PACTYPE, MS-PAC §2.3:
 *
 *   typedef struct _PACTYPE {
 *     ULONG cBuffers;
 *     ULONG Version;                 // MUST be 0
 *     PAC_INFO_BUFFER Buffers[1];    // { ULONG ulType; ULONG cbBufferSize; ULONG64 Offset; }
 *   } PACTYPE;
 *
 * Buffer data follows the array, each on an 8-byte boundary. `dataOrder` is the order the data
 * blocks sat in (indices into Buffers) when it differs from the array order — §2 allows blocks "in
 * any particular order" — so such PACs re-encode identically too.
 */
export interface Pac {
  readonly Version: number;
  readonly Buffers: readonly PacBuffer[];
  readonly dataOrder?: readonly number[];
  /** Bytes between the PAC_INFO_BUFFER array and the first data block, when there were any. */
  readonly headerPadding?: Uint8Array;
}

export const PAC_ALIGNMENT = 8;
const PACTYPE_LENGTH = 8;
const PAC_INFO_BUFFER_LENGTH = 16;
/** MIT's MAX_BUFFERS (src/lib/krb5/krb/pac.c): a bound on cBuffers before anything is allocated. */
export const PAC_MAX_BUFFERS = 4096;

function fail(path: string, offset: number, reason: string): never {
  throw new DecodeError('ERR_PAC_FORMAT', path, offset, reason);
}

/**
 * Decode a PAC strictly: layout, then every known buffer. Errors carry the PAC-absolute offset.
 * Buffer data and paddings are copies, unless `views` is set: then they are views into `bytes`, for
 * a caller that owns `bytes` and leaves it unchanged (a KDC checking a PAC it just decrypted saves
 * an off-heap allocation per buffer).
 */
export function decodePac(bytes: Uint8Array, options: { readonly views?: boolean } = {}): Pac {
  const part = options.views === true ? (from: number, to: number) => bytes.subarray(from, to) : (from: number, to: number) => bytes.slice(from, to);
  if (bytes.length < PACTYPE_LENGTH) fail('PACTYPE', 0, `${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cBuffers = view.getUint32(0, true);
  const Version = view.getUint32(4, true);
  if (Version !== 0) fail('PACTYPE.Version', 4, `version ${Version}`);
  if (cBuffers < 1 || cBuffers > PAC_MAX_BUFFERS) fail('PACTYPE.cBuffers', 0, `${cBuffers} buffers`);
  const headerLength = PACTYPE_LENGTH + cBuffers * PAC_INFO_BUFFER_LENGTH;
  if (headerLength > bytes.length) fail('PACTYPE.cBuffers', 0, `${cBuffers} buffers need ${headerLength} bytes, PAC has ${bytes.length}`);

  const entries: { ulType: number; size: number; offset: number }[] = [];
  for (let i = 0; i < cBuffers; i++) {
    const at = PACTYPE_LENGTH + i * PAC_INFO_BUFFER_LENGTH;
    const path = `PACTYPE.Buffers[${i}]`;
    const ulType = view.getUint32(at, true);
    const size = view.getUint32(at + 4, true);
    // The 64-bit Offset as two 32-bit halves: a high half other than 0 is past any PAC anyway, and
    // numbers spare a BigInt per buffer.
    const low = view.getUint32(at + 8, true);
    const high = view.getUint32(at + 12, true);
    const offset = high * 2 ** 32 + low;
    const shown = high === 0 ? String(low) : String((BigInt(high) << 32n) | BigInt(low));
    if (low % PAC_ALIGNMENT !== 0) fail(`${path}.Offset`, at + 8, `offset ${shown} is not a multiple of 8`);
    if (offset < headerLength || offset > bytes.length) {
      fail(`${path}.Offset`, at + 8, `offset ${shown} outside the data area ${headerLength}..${bytes.length}`);
    }
    if (size > bytes.length - offset) fail(`${path}.cbBufferSize`, at + 4, `${size} bytes at ${offset} run past the ${bytes.length}-byte PAC`);
    entries.push({ ulType, size, offset });
  }

  // Data blocks "are not to overlap" (MS-PAC §2). Sorting by offset also gives the layout order.
  const order = entries.map((_, i) => i).sort((a, b) => entries[a]!.offset - entries[b]!.offset || a - b);
  let end = headerLength;
  let previous = -1;
  for (const i of order) {
    const e = entries[i]!;
    if (e.offset < end) fail(`PACTYPE.Buffers[${i}].Offset`, PACTYPE_LENGTH + i * PAC_INFO_BUFFER_LENGTH + 8, `overlaps Buffers[${previous}]`);
    end = e.offset + e.size;
    previous = i;
  }

  const paddings = new Map<number, Uint8Array>();
  order.forEach((i, k) => {
    const e = entries[i]!;
    const next = k + 1 < order.length ? entries[order[k + 1]!]!.offset : bytes.length;
    paddings.set(i, part(e.offset + e.size, next));
  });
  const Buffers = entries.map((e, i): PacBuffer => {
    const data = part(e.offset, e.offset + e.size);
    const value = decodePacBufferValue(e.ulType, data, e.offset);
    const padding = paddings.get(i) as Uint8Array;
    return value === undefined ? { ulType: e.ulType, data, padding } : { ulType: e.ulType, data, padding, value };
  });
  const firstOffset = entries[order[0]!]!.offset;
  const inOrder = order.every((v, k) => v === k);
  return {
    Version,
    Buffers,
    ...(inOrder ? {} : { dataOrder: order }),
    ...(firstOffset > headerLength ? { headerPadding: part(headerLength, firstOffset) } : {}),
  };
}

/** A PacBuffer from a typed value, encoded as Windows/Samba do. */
export function pacBuffer(value: PacBufferValue): PacBuffer {
  return { ...encodePacBufferValue(value), value };
}

/** Encode a PAC: the header, then each buffer's data and padding in layout order. */
export function encodePac(pac: Pac): Uint8Array {
  const n = pac.Buffers.length;
  if (n < 1 || n > PAC_MAX_BUFFERS) throw new RangeError(`a PAC holds 1..${PAC_MAX_BUFFERS} buffers`);
  const order = validOrder(pac.dataOrder, n) ?? pac.Buffers.map((_, i) => i);
  const headerLength = PACTYPE_LENGTH + n * PAC_INFO_BUFFER_LENGTH;
  const offsets = new Array<number>(n);
  const chunks: Uint8Array[] = [];
  let pos = headerLength;
  const push = (b: Uint8Array): void => {
    chunks.push(b);
    pos += b.length;
  };
  if (pac.headerPadding !== undefined && pac.headerPadding.length % PAC_ALIGNMENT === 0) push(pac.headerPadding);
  order.forEach((i, k) => {
    const b = pac.Buffers[i]!;
    offsets[i] = pos;
    push(b.data);
    const last = k === order.length - 1;
    const keep = b.padding !== undefined && (last || (pos + b.padding.length) % PAC_ALIGNMENT === 0);
    push(keep ? (b.padding as Uint8Array) : new Uint8Array((PAC_ALIGNMENT - (pos % PAC_ALIGNMENT)) % PAC_ALIGNMENT));
  });
  const out = new Uint8Array(pos);
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true);
  view.setUint32(4, pac.Version, true);
  pac.Buffers.forEach((b, i) => {
    const at = PACTYPE_LENGTH + i * PAC_INFO_BUFFER_LENGTH;
    view.setUint32(at, b.ulType, true);
    view.setUint32(at + 4, b.data.length, true);
    view.setBigUint64(at + 8, BigInt(offsets[i]!), true);
  });
  let at = headerLength;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function validOrder(order: readonly number[] | undefined, n: number): readonly number[] | undefined {
  if (order === undefined || order.length !== n) return undefined;
  const seen = new Set(order);
  return seen.size === n && order.every((i) => Number.isInteger(i) && i >= 0 && i < n) ? order : undefined;
}

/** The offset of each buffer's data in `encodePac(pac)`'s output (signing writes into these). */
export function pacBufferOffsets(encoded: Uint8Array): { ulType: number; offset: number; size: number }[] {
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const n = view.getUint32(0, true);
  const out: { ulType: number; offset: number; size: number }[] = [];
  for (let i = 0; i < n; i++) {
    const at = PACTYPE_LENGTH + i * PAC_INFO_BUFFER_LENGTH;
    out.push({ ulType: view.getUint32(at, true), size: view.getUint32(at + 4, true), offset: Number(view.getBigUint64(at + 8, true)) });
  }
  return out;
}
