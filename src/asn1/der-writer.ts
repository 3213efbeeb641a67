import { TgtbridgeError } from '../errors/index.js';
import { applicationTag, contextTag, TAG } from './der-reader.js';

/**
 * DER writing (X.690 §10): definite, minimal lengths; callers pass already-encoded children, so a
 * structure is written inside-out and every length is known when its header is written.
 */

export function encodeError(what: string, reason: string): never {
  throw new TgtbridgeError('ERR_ASN1_ENCODE', `${what}: ${reason}`);
}

function lengthOctets(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  if (length < 0x100) return Uint8Array.of(0x81, length);
  if (length < 0x10000) return Uint8Array.of(0x82, length >>> 8, length & 0xff);
  if (length < 0x1000000) return Uint8Array.of(0x83, length >>> 16, (length >>> 8) & 0xff, length & 0xff);
  if (length <= 0xffffffff) {
    return Uint8Array.of(0x84, length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff);
  }
  return encodeError('DER', 'element longer than 4 GiB');
}

/** One TLV whose contents are the concatenation of `parts` (undefined parts are absent OPTIONAL fields). */
export function tlv(tag: number, ...parts: readonly (Uint8Array | undefined)[]): Uint8Array {
  let length = 0;
  for (const p of parts) if (p !== undefined) length += p.length;
  const header = lengthOctets(length);
  const out = new Uint8Array(1 + header.length + length);
  out[0] = tag;
  out.set(header, 1);
  let at = 1 + header.length;
  for (const p of parts) {
    if (p === undefined) continue;
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function sequence(...fields: readonly (Uint8Array | undefined)[]): Uint8Array {
  return tlv(TAG.SEQUENCE, ...fields);
}

/** `[n] EXPLICIT` around an encoded element; `undefined` stays absent (OPTIONAL). */
export function explicit(n: number, inner: Uint8Array): Uint8Array;
export function explicit(n: number, inner: Uint8Array | undefined): Uint8Array | undefined;
export function explicit(n: number, inner: Uint8Array | undefined): Uint8Array | undefined {
  return inner === undefined ? undefined : tlv(contextTag(n), inner);
}

export function application(n: number, inner: Uint8Array): Uint8Array {
  return tlv(applicationTag(n), inner);
}

export function sequenceOf<T>(items: readonly T[], encode: (item: T) => Uint8Array): Uint8Array {
  return tlv(TAG.SEQUENCE, ...items.map(encode));
}

/** X.690 §8.3: two's-complement, minimal octets. `value` must be a safe integer. */
export function encodeInteger(value: number): Uint8Array {
  if (!Number.isSafeInteger(value)) encodeError('INTEGER', `${value} is not a safe integer`);
  const octets: number[] = [];
  let v = value;
  // Emit low octets until what remains is only the sign extension of the last octet emitted.
  for (;;) {
    const low = ((v % 256) + 256) % 256;
    octets.unshift(low);
    v = (v - low) / 256;
    if ((v === 0 && (low & 0x80) === 0) || (v === -1 && (low & 0x80) !== 0)) break;
  }
  return tlv(TAG.INTEGER, Uint8Array.from(octets));
}

export function encodeBoolean(value: boolean): Uint8Array {
  return Uint8Array.of(TAG.BOOLEAN, 1, value ? 0xff : 0x00);
}

export function encodeOctetString(bytes: Uint8Array): Uint8Array {
  return tlv(TAG.OCTET_STRING, bytes);
}
