import { TgtbridgeError } from '../errors/index.js';
import { TAG, type DerReader } from './der-reader.js';
import { encodeError, encodeInteger, encodeOctetString, tlv, type Der } from './der-writer.js';

/**
 * RFC 4120 §5.2.4 integer types, §5.2.1 KerberosString, OCTET STRING and BOOLEAN.
 * Decoders read one element at the reader's position.
 */

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/** Reads an INTEGER's content octets as a number; rejects non-minimal DER (X.690 §8.3.2). */
function readIntegerContents(r: DerReader, maxOctets: number): number {
  const t = r.read(TAG.INTEGER, 'INTEGER');
  const { bytes } = r;
  const len = t.end - t.contentStart;
  if (len === 0) r.fail('INTEGER with no content octets', t.start);
  const b0 = bytes[t.contentStart]!;
  if (len > 1) {
    const b1 = bytes[t.contentStart + 1]!;
    if ((b0 === 0x00 && b1 < 0x80) || (b0 === 0xff && b1 >= 0x80)) {
      r.fail('non-minimal INTEGER encoding', t.contentStart);
    }
  }
  if (len > maxOctets) r.fail(`INTEGER of ${len} octets is out of range`, t.start);
  let v = b0 >= 0x80 ? b0 - 0x100 : b0;
  for (let i = 1; i < len; i++) v = v * 256 + bytes[t.contentStart + i]!;
  return v;
}

/** Int32 ::= INTEGER (-2147483648..2147483647) */
export function decodeInt32(r: DerReader): number {
  return readIntegerContents(r, 4);
}

export function encodeInt32(value: number): Der {
  if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
    encodeError('Int32', `${value} is not a 32-bit signed integer`);
  }
  return encodeInteger(value);
}

/**
 * UInt32 ::= INTEGER (0..4294967295) — kvno, nonce, seq-number.
 *
 * Decode accepts both forms that peers send and returns the unsigned value: the RFC's
 * non-negative INTEGER (MIT encodes kvno and seq-number unsigned, up to 5 octets), and the
 * negative 4-octet two's complement that Windows and Samba use for values ≥ 2^31 (RODC kvnos
 * (N << 16) | v with N ≥ 0x8000; MIT's decoder accepts these too, "for interoperability").
 * Both are minimal DER INTEGERs; only the interpretation differs.
 *
 * Encode always writes the signed form (see {@link encodeUInt32AsInt32}): Samba 4.17
 * rejects the 5-octet unsigned kvno (DESIGN.md), and every peer reads the signed form.
 * A 5-octet value thus re-encodes in 4 octets: the one place a decoded record does not
 * re-encode byte-identically.
 */
export function decodeUInt32(r: DerReader): number {
  const start = r.pos;
  const v = readIntegerContents(r, 5);
  if (v < INT32_MIN || v > 0xffffffff) r.fail(`${v} is outside UInt32`, start);
  return v >>> 0;
}

/**
 * An unsigned 32-bit value written as the signed 32-bit INTEGER with the same bits, in minimal DER
 * (X.690 §8.3.2): kvno 0xD3FF0001 → 02 04 d3 ff 00 01; 0xFFFF0001 → 02 03 ff 00 01.
 */
export function encodeUInt32AsInt32(value: number): Der {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    encodeError('UInt32', `${value} is not a 32-bit unsigned integer`);
  }
  return encodeInteger(value | 0);
}

/** Microseconds ::= INTEGER (0..999999) */
export function decodeMicroseconds(r: DerReader): number {
  const start = r.pos;
  const v = readIntegerContents(r, 4);
  if (v < 0 || v > 999_999) r.fail(`${v} is outside Microseconds (0..999999)`, start);
  return v;
}

export function encodeMicroseconds(value: number): Der {
  if (!Number.isInteger(value) || value < 0 || value > 999_999) {
    encodeError('Microseconds', `${value} is outside 0..999999`);
  }
  return encodeInteger(value);
}

/** An INTEGER that must equal `expected` (pvno 5, msg-type). */
export function decodeFixedInteger(r: DerReader, expected: number): number {
  const start = r.pos;
  const v = readIntegerContents(r, 4);
  if (v !== expected) r.fail(`expected ${expected}, found ${v}`, start);
  return v;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * KerberosString ::= GeneralString (IA5String) — RFC 4120 §5.2.1 asks for IA5 but MIT, Heimdal,
 * Windows and Samba carry UTF-8 in it. Decode requires valid UTF-8, so the string re-encodes
 * to the same octets; anything else is rejected rather than silently altered.
 */
export function decodeKerberosString(r: DerReader): string {
  const t = r.read(TAG.GENERAL_STRING, 'KerberosString (GeneralString)');
  const { bytes } = r;
  let ascii = true;
  for (let i = t.contentStart; i < t.end; i++) {
    if (bytes[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return Buffer.from(bytes.buffer, bytes.byteOffset + t.contentStart, t.end - t.contentStart).toString('latin1');
  try {
    return utf8Strict.decode(bytes.subarray(t.contentStart, t.end));
  } catch {
    return r.fail('KerberosString is not valid UTF-8', t.contentStart);
  }
}

export function encodeKerberosString(value: string): Der {
  // ASCII (every realm and principal name in practice): one array holding tag, length and
  // contents, no UTF-8 encoder and no surrogate check (ASCII has none).
  const n = value.length;
  if (n < 0x80) {
    const out = new Uint8Array(2 + n);
    let i = 0;
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) break;
      out[2 + i] = c;
    }
    if (i === n) {
      out[0] = TAG.GENERAL_STRING;
      out[1] = n;
      return out;
    }
  }
  if (LONE_SURROGATE.test(value)) {
    throw new TgtbridgeError('ERR_ASN1_ENCODE', 'KerberosString: lone surrogate');
  }
  return tlv(TAG.GENERAL_STRING, utf8Encoder.encode(value));
}

/** OCTET STRING, primitive only (DER forbids the constructed form, X.690 §10.2). A copy, unless the reader hands out views. */
export function decodeOctetString(r: DerReader): Uint8Array {
  const t = r.read(TAG.OCTET_STRING, 'OCTET STRING');
  return r.octets(t.contentStart, t.end);
}

export { encodeOctetString };

/** BOOLEAN: one octet, 0x00 or 0xFF in DER (X.690 §11.1). */
export function decodeBoolean(r: DerReader): boolean {
  const t = r.read(TAG.BOOLEAN, 'BOOLEAN');
  if (t.end - t.contentStart !== 1) r.fail('BOOLEAN must have one content octet', t.start);
  const v = r.bytes[t.contentStart]!;
  if (v !== 0x00 && v !== 0xff) r.fail('BOOLEAN must be 0x00 or 0xFF in DER', t.contentStart);
  return v === 0xff;
}
