import type { NdrReader } from './ndr-reader.js';
import type { NdrWriter } from './ndr-writer.js';

/**
 * RPC_UNICODE_STRING, MS-DTYP §2.3.10:
 *
 *   typedef struct _RPC_UNICODE_STRING {
 *     unsigned short Length;          // bytes, without a terminating NUL
 *     unsigned short MaximumLength;   // bytes
 *     [size_is(MaximumLength/2), length_is(Length/2)] WCHAR* Buffer;
 *   } RPC_UNICODE_STRING;
 *
 * `Buffer` is null for a NULL pointer. Windows sends non-NULL empty strings (MS-PAC §3:
 * ProfilePath has referent 0x00020010 and a zero-length array), so NULL and "" are kept apart.
 * Strings hold UTF-16 code units as read (lone surrogates included) so re-encoding is exact.
 */
export interface RpcUnicodeString {
  readonly Length: number;
  readonly MaximumLength: number;
  readonly Buffer: string | null;
}

/** A string as Windows writes it: Length = MaximumLength = 2 × code units; null → NULL pointer. */
export function rpcUnicodeString(value: string | null): RpcUnicodeString {
  if (value === null) return { Length: 0, MaximumLength: 0, Buffer: null };
  return { Length: value.length * 2, MaximumLength: value.length * 2, Buffer: value };
}

/** UTF-16LE bytes → string, code unit by code unit (TextDecoder would replace lone surrogates). */
export function utf16leToString(bytes: Uint8Array): string {
  let out = '';
  const CHUNK = 4096;
  for (let i = 0; i + 1 < bytes.length; i += CHUNK * 2) {
    const n = Math.min(CHUNK, (bytes.length - i) >> 1);
    const units = new Array<number>(n);
    for (let k = 0; k < n; k++) units[k] = bytes[i + 2 * k]! | (bytes[i + 2 * k + 1]! << 8);
    out += String.fromCharCode(...units);
  }
  return out;
}

export function stringToUtf16le(value: string): Uint8Array {
  const out = new Uint8Array(value.length * 2);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >> 8;
  }
  return out;
}

/**
 * Read the scalar part (Length, MaximumLength, pointer) and queue the deferred conformant-varying
 * array. The returned object's Buffer is filled in when the queue runs.
 */
export function readRpcUnicodeString(r: NdrReader, queue: Array<() => void>): RpcUnicodeString {
  const s: { Length: number; MaximumLength: number; Buffer: string | null } = {
    Length: r.at('Length', () => r.u16()),
    MaximumLength: r.at('MaximumLength', () => r.u16()),
    Buffer: null,
  };
  const ref = r.at('Buffer', () => r.referent());
  if (ref !== 0) {
    r.defer(queue, () => {
      s.Buffer = r.at('Buffer', () => readConformantVaryingWchars(r, s.MaximumLength >> 1, s.Length >> 1));
    });
  } else if (s.Length !== 0) {
    r.at('Length', () => r.fail(`Length ${s.Length} with a NULL Buffer`));
  }
  return s;
}

/** The deferred WCHAR array: MaximumCount, Offset, ActualCount, then the code units (C706 §14.3.3.4). */
function readConformantVaryingWchars(r: NdrReader, expectMax: number, expectActual: number): string {
  const maxAt = r.pos;
  const max = r.u32();
  if (max !== expectMax) r.fail(`array size ${max} does not match MaximumLength/2 = ${expectMax}`, maxAt);
  const offsetAt = r.pos;
  if (r.u32() !== 0) r.fail('non-zero array offset', offsetAt);
  const actualAt = r.pos;
  const actual = r.count(2);
  if (actual !== expectActual) r.fail(`array length ${actual} does not match Length/2 = ${expectActual}`, actualAt);
  if (actual > max) r.fail(`array length ${actual} exceeds its size ${max}`, actualAt);
  return utf16leToString(r.bytes(actual * 2));
}

export function writeRpcUnicodeString(w: NdrWriter, s: RpcUnicodeString, queue: Array<() => void>): void {
  w.u16(s.Length);
  w.u16(s.MaximumLength);
  if (w.pointer(s.Buffer !== null)) {
    const text = s.Buffer as string;
    queue.push(() => writeConformantVaryingWchars(w, s.MaximumLength >> 1, s.Length >> 1, text));
  }
}

function writeConformantVaryingWchars(w: NdrWriter, max: number, actual: number, text: string): void {
  if (text.length !== actual || actual > max) {
    throw new RangeError('RPC_UNICODE_STRING: Length/MaximumLength do not match Buffer');
  }
  w.u32(max);
  w.u32(0);
  w.u32(actual);
  w.bytes(stringToUtf16le(text));
}

/** Run a deferred queue in order (pointees in field order, C706 §14.3.12.3). */
export function drain(queue: Array<() => void>): void {
  for (let i = 0; i < queue.length; i++) queue[i]!();
  queue.length = 0;
}
