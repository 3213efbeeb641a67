import {
  decodeTypeSerialization1,
  drain,
  encodeTypeSerialization1,
  stringToUtf16le,
  utf16leToString,
  type NdrReader,
  type NdrWriter,
} from '../ndr/index.js';
import { readPointer } from './security-types.js';

/**
 * Claims buffers (MS-PAC §2.11 client claims, ulType 13; §2.13 device claims, ulType 15): a
 * type-serialized CLAIMS_SET_METADATA (MS-ADTS §2.2.18.8) whose ClaimsSet bytes are, when
 * uncompressed, a second type-serialized CLAIMS_SET (MS-ADTS §2.2.18.7). Compressed sets (LZNT1,
 * XPRESS, XPRESS_HUFF) are reported with their format and kept as bytes: we do not decompress.
 *
 * NDR facts checked against Samba's ndrdump vectors (krb-fixtures/pac/samba-*-claims.hex): the
 * enums are 16-bit, a CLAIM_ENTRY's union discriminant is a second 16-bit copy of Type, 64-bit
 * value arrays are 8-byte aligned after their count, and CLAIM_ID / string values are `[string]`
 * LPWSTRs (conformant-varying, NUL included).
 */
export const CLAIMS_COMPRESSION_FORMAT = {
  NONE: 0,
  LZNT1: 2,
  XPRESS: 3,
  XPRESS_HUFF: 4,
} as const;

export const CLAIM_TYPE = {
  INT64: 1,
  UINT64: 2,
  STRING: 3,
  BOOLEAN: 6,
} as const;

export const CLAIMS_SOURCE_TYPE = {
  AD: 1,
  CERTIFICATE: 2,
} as const;

/** CLAIM_ENTRY (MS-ADTS §2.2.18.3) with its union arm flattened into `Values`. */
export type ClaimEntry =
  | { readonly Id: string | null; readonly Type: 1; readonly Values: readonly bigint[] | null }
  | { readonly Id: string | null; readonly Type: 2 | 6; readonly Values: readonly bigint[] | null }
  | { readonly Id: string | null; readonly Type: 3; readonly Values: readonly (string | null)[] | null };

/** CLAIMS_ARRAY, MS-ADTS §2.2.18.2. */
export interface ClaimsArray {
  readonly usClaimsSourceType: number;
  readonly ClaimEntries: readonly ClaimEntry[] | null;
}

/** CLAIMS_SET, MS-ADTS §2.2.18.7. */
export interface ClaimsSet {
  readonly ClaimsArrays: readonly ClaimsArray[] | null;
  readonly usReservedType: number;
  readonly ReservedField: Uint8Array | null;
}

/** CLAIMS_SET_METADATA, MS-ADTS §2.2.18.8, plus the decoded set when it is uncompressed. */
export interface ClaimsSetMetadata {
  readonly ClaimsSet: Uint8Array | null;
  readonly usCompressionFormat: number;
  readonly ulUncompressedClaimsSetSize: number;
  readonly usReservedType: number;
  readonly ReservedField: Uint8Array | null;
  /** Decoded from ClaimsSet when usCompressionFormat is NONE; undefined otherwise. */
  readonly claimsSet?: ClaimsSet;
}

export function decodeClaimsSetMetadata(bytes: Uint8Array, base = 0): ClaimsSetMetadata {
  let setAt = 0;
  const meta = decodeTypeSerialization1(bytes, base, 'CLAIMS_SET_METADATA', (r) => {
    const q: Array<() => void> = [];
    const size = r.at('ulClaimsSetSize', () => r.u32());
    let ClaimsSet: Uint8Array | null = null;
    readPointer(r, 'ClaimsSet', q, () => byteArray(r, size), (v) => {
      ClaimsSet = v;
      setAt = r.pos - v.length;
    });
    const usCompressionFormat = r.at('usCompressionFormat', () => r.u16());
    const ulUncompressedClaimsSetSize = r.at('ulUncompressedClaimsSetSize', () => r.u32());
    const usReservedType = r.at('usReservedType', () => r.u16());
    const reservedSize = r.at('ulReservedFieldSize', () => r.u32());
    let ReservedField: Uint8Array | null = null;
    readPointer(r, 'ReservedField', q, () => byteArray(r, reservedSize), (v) => (ReservedField = v));
    drain(q);
    return { ClaimsSet: ClaimsSet as Uint8Array | null, usCompressionFormat, ulUncompressedClaimsSetSize, usReservedType, ReservedField: ReservedField as Uint8Array | null };
  });
  if (meta.ClaimsSet === null || meta.usCompressionFormat !== CLAIMS_COMPRESSION_FORMAT.NONE) return meta;
  return { ...meta, claimsSet: decodeTypeSerialization1(meta.ClaimsSet, base + setAt, 'CLAIMS_SET', readClaimsSet) };
}

/** Encode; when `claimsSet` is given it is serialized into ClaimsSet (uncompressed) first. */
export function encodeClaimsSetMetadata(meta: ClaimsSetMetadata): Uint8Array {
  let m = meta;
  if (meta.claimsSet !== undefined) {
    const set = encodeTypeSerialization1(meta.claimsSet, writeClaimsSet);
    m = { ...meta, ClaimsSet: set, usCompressionFormat: CLAIMS_COMPRESSION_FORMAT.NONE, ulUncompressedClaimsSetSize: set.length };
  }
  return encodeTypeSerialization1(m, (w, v) => {
    const q: Array<() => void> = [];
    w.u32(v.ClaimsSet?.length ?? 0);
    if (w.pointer(v.ClaimsSet !== null)) q.push(() => writeByteArray(w, v.ClaimsSet as Uint8Array));
    w.u16(v.usCompressionFormat);
    w.u32(v.ulUncompressedClaimsSetSize);
    w.u16(v.usReservedType);
    w.u32(v.ReservedField?.length ?? 0);
    if (w.pointer(v.ReservedField !== null)) q.push(() => writeByteArray(w, v.ReservedField as Uint8Array));
    drain(q);
  });
}

function byteArray(r: NdrReader, expect: number): Uint8Array {
  const at = r.pos;
  const n = r.count(1);
  if (n !== expect) r.fail(`array size ${n} does not match its size field ${expect}`, at);
  return r.bytes(n);
}

function writeByteArray(w: NdrWriter, b: Uint8Array): void {
  w.u32(b.length);
  w.bytes(b);
}

function readClaimsSet(r: NdrReader): ClaimsSet {
  const q: Array<() => void> = [];
  const count = r.at('ulClaimsArrayCount', () => r.u32());
  let ClaimsArrays: ClaimsArray[] | null = null;
  readPointer(r, 'ClaimsArrays', q, () => readArrays(r, count), (v) => (ClaimsArrays = v));
  const usReservedType = r.at('usReservedType', () => r.u16());
  const reservedSize = r.at('ulReservedFieldSize', () => r.u32());
  let ReservedField: Uint8Array | null = null;
  readPointer(r, 'ReservedField', q, () => byteArray(r, reservedSize), (v) => (ReservedField = v));
  drain(q);
  return { ClaimsArrays, usReservedType, ReservedField };
}

function readArrays(r: NdrReader, expect: number): ClaimsArray[] {
  const at = r.pos;
  const n = r.count(12);
  if (n !== expect) r.fail(`array size ${n} does not match ulClaimsArrayCount ${expect}`, at);
  const q: Array<() => void> = [];
  const out: { usClaimsSourceType: number; ClaimEntries: ClaimEntry[] | null }[] = [];
  for (let i = 0; i < n; i++) {
    r.at(i, () => {
      const a: { usClaimsSourceType: number; ClaimEntries: ClaimEntry[] | null } = {
        usClaimsSourceType: r.at('usClaimsSourceType', () => r.u16()),
        ClaimEntries: null,
      };
      const c = r.at('ulClaimsCount', () => r.u32());
      readPointer(r, 'ClaimEntries', q, () => readEntries(r, c), (v) => (a.ClaimEntries = v));
      out.push(a);
    });
  }
  drain(q);
  return out;
}

function readEntries(r: NdrReader, expect: number): ClaimEntry[] {
  const at = r.pos;
  const n = r.count(16);
  if (n !== expect) r.fail(`array size ${n} does not match ulClaimsCount ${expect}`, at);
  const q: Array<() => void> = [];
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    r.at(i, () => {
      const e: Record<string, unknown> = { Id: null, Type: 0, Values: null };
      readPointer(r, 'Id', q, () => readLpwstr(r), (v) => (e.Id = v));
      const typeAt = r.pos;
      const type = r.at('Type', () => r.u16());
      const disc = r.at('Values', () => r.u16());
      if (disc !== type) r.at('Values', () => r.fail(`union discriminant ${disc} differs from Type ${type}`, typeAt + 2));
      e.Type = type;
      const count = r.at('ValueCount', () => r.u32());
      const isString = type === CLAIM_TYPE.STRING;
      if (!isString && type !== CLAIM_TYPE.INT64 && type !== CLAIM_TYPE.UINT64 && type !== CLAIM_TYPE.BOOLEAN) {
        r.at('Type', () => r.fail(`unknown CLAIM_TYPE ${type}`, typeAt));
      }
      const read = (): unknown[] => (isString ? readLpwstrArray(r, count) : readU64Array(r, count, type === CLAIM_TYPE.INT64));
      const present = readPointer(r, 'Values', q, read, (v) => (e.Values = v));
      if (!present && count !== 0) r.at('ValueCount', () => r.fail(`ValueCount ${count} with NULL values`));
      out.push(e);
    });
  }
  drain(q);
  return out as unknown as ClaimEntry[];
}

function readU64Array(r: NdrReader, expect: number, signed: boolean): bigint[] {
  const at = r.pos;
  const n = r.count(8);
  if (n !== expect) r.fail(`array size ${n} does not match ValueCount ${expect}`, at);
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) out.push(r.at(i, () => (signed ? r.i64() : r.u64())));
  return out;
}

function readLpwstrArray(r: NdrReader, expect: number): (string | null)[] {
  const at = r.pos;
  const n = r.count(4);
  if (n !== expect) r.fail(`array size ${n} does not match ValueCount ${expect}`, at);
  const q: Array<() => void> = [];
  const out: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const k = out.length;
    out.push(null);
    r.at(i, () => readPointer(r, '', q, () => readLpwstr(r), (v) => (out[k] = v)));
  }
  drain(q);
  return out;
}

/** `[string] wchar_t*`: MaximumCount, Offset 0, ActualCount, code units ending with NUL (C706 §14.3.4). */
function readLpwstr(r: NdrReader): string {
  const at = r.pos;
  const max = r.u32();
  if (r.u32() !== 0) r.fail('non-zero string offset', at + 4);
  const actual = r.count(2);
  if (actual === 0 || actual > max) r.fail(`string length ${actual} of size ${max}`, at + 8);
  const text = utf16leToString(r.bytes(actual * 2));
  if (text.charCodeAt(actual - 1) !== 0) r.fail('string without its terminating NUL', at + 12);
  return text.slice(0, -1);
}

function writeLpwstr(w: NdrWriter, s: string): void {
  const n = s.length + 1;
  w.u32(n);
  w.u32(0);
  w.u32(n);
  w.bytes(stringToUtf16le(`${s}\u0000`));
}

function writeClaimsSet(w: NdrWriter, set: ClaimsSet): void {
  const q: Array<() => void> = [];
  const arrays = set.ClaimsArrays;
  w.u32(arrays?.length ?? 0);
  if (w.pointer(arrays !== null)) {
    q.push(() => {
      const inner: Array<() => void> = [];
      w.u32(arrays?.length ?? 0);
      for (const a of arrays ?? []) {
        w.u16(a.usClaimsSourceType);
        w.u32(a.ClaimEntries?.length ?? 0);
        if (w.pointer(a.ClaimEntries !== null)) inner.push(() => writeEntries(w, a.ClaimEntries ?? []));
      }
      drain(inner);
    });
  }
  w.u16(set.usReservedType);
  w.u32(set.ReservedField?.length ?? 0);
  if (w.pointer(set.ReservedField !== null)) q.push(() => writeByteArray(w, set.ReservedField as Uint8Array));
  drain(q);
}

function writeEntries(w: NdrWriter, entries: readonly ClaimEntry[]): void {
  const q: Array<() => void> = [];
  w.u32(entries.length);
  for (const e of entries) {
    if (w.pointer(e.Id !== null)) q.push(() => writeLpwstr(w, e.Id as string));
    w.u16(e.Type);
    w.u16(e.Type);
    w.u32(e.Values?.length ?? 0);
    if (w.pointer(e.Values !== null)) {
      if (e.Type === CLAIM_TYPE.STRING) {
        const values = e.Values ?? [];
        q.push(() => {
          const inner: Array<() => void> = [];
          w.u32(values.length);
          for (const v of values) if (w.pointer(v !== null)) inner.push(() => writeLpwstr(w, v as string));
          drain(inner);
        });
      } else {
        const values = e.Values ?? [];
        const signed = e.Type === CLAIM_TYPE.INT64;
        q.push(() => {
          w.u32(values.length);
          for (const v of values) (signed ? w.i64(v) : w.u64(v));
        });
      }
    }
  }
  drain(q);
}
