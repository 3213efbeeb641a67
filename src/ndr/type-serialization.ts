import { NdrReader } from './ndr-reader.js';
import { NdrWriter } from './ndr-writer.js';

/**
 * MS-RPCE §2.2.6 type serialization version 1, the framing of every NDR-encoded PAC buffer
 * (MS-PAC §2.5, §3.1):
 *
 *   Common header (§2.2.6.1), 8 bytes: Version = 1, Endianness = 0x10 (little-endian),
 *     CommonHeaderLength = 8, Filler = 0xCCCCCCCC
 *   Private header (§2.2.6.2), 8 bytes: ObjectBufferLength (u32, the serialized body including
 *     its padding to 8 bytes), Filler = 0
 *   Body: a top-level unique pointer's referent, then the pointed-to type and its deferred pointees.
 */
export const TYPE_SERIALIZATION_1 = {
  Version: 1,
  LittleEndian: 0x10,
  CommonHeaderLength: 8,
  CommonFiller: 0xcccccccc,
  HeaderLength: 16,
} as const;

/**
 * Decode a type-serialized top-level unique pointer. A NULL top-level pointer is an error: every
 * PAC buffer that uses this framing carries its structure.
 * `base` is the absolute offset of `bytes` (for errors); `root` names the type in error paths.
 */
export function decodeTypeSerialization1<T>(
  bytes: Uint8Array,
  base: number,
  root: string,
  body: (r: NdrReader) => T,
): T {
  const r = new NdrReader(bytes, base, root);
  const version = r.u8();
  if (version !== TYPE_SERIALIZATION_1.Version) r.fail(`type serialization version ${version}`, 0);
  const endianness = r.u8();
  if (endianness !== TYPE_SERIALIZATION_1.LittleEndian) r.fail(`unsupported data representation 0x${endianness.toString(16)}`, 1);
  const headerLength = r.u16();
  if (headerLength !== TYPE_SERIALIZATION_1.CommonHeaderLength) r.fail(`common header length ${headerLength}`, 2);
  r.u32();
  const objectBufferLength = r.u32();
  r.u32();
  if (objectBufferLength > r.remaining) r.fail(`ObjectBufferLength ${objectBufferLength} exceeds the ${r.remaining} bytes left`, 8);
  if (r.referent() === 0) r.fail('NULL top-level pointer', TYPE_SERIALIZATION_1.HeaderLength);
  const value = body(r);
  const used = r.pos - TYPE_SERIALIZATION_1.HeaderLength;
  if (used > objectBufferLength) r.fail(`body of ${used} bytes overruns ObjectBufferLength ${objectBufferLength}`);
  // §2.2.6.2: the body is padded to a multiple of 8; allow that padding and nothing more, either
  // inside ObjectBufferLength or after it; a writer that stops at the last body byte is accepted too.
  r.end(7);
  return value;
}

/** Encode a top-level unique pointer to a value written by `body`. */
export function encodeTypeSerialization1<T>(value: T, body: (w: NdrWriter, value: T) => void): Uint8Array {
  const w = new NdrWriter();
  w.u8(TYPE_SERIALIZATION_1.Version);
  w.u8(TYPE_SERIALIZATION_1.LittleEndian);
  w.u16(TYPE_SERIALIZATION_1.CommonHeaderLength);
  w.u32(TYPE_SERIALIZATION_1.CommonFiller);
  w.u32(0); // ObjectBufferLength, patched below
  w.u32(0);
  w.pointer(true);
  body(w, value);
  w.align(8);
  w.patchU32(8, w.length - TYPE_SERIALIZATION_1.HeaderLength);
  return w.toBytes();
}
