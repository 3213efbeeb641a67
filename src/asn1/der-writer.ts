import { TgtbridgeError } from '../errors/index.js';
import { allocFromSlab } from '../util/index.js';
import { applicationTag, contextTag, TAG } from './der-reader.js';

/**
 * DER writing (X.690 §10): definite lengths in the fewest octets. Encoders return a tree of
 * TLV nodes that know their content length; {@link toBytes} writes the tree once, so every length
 * is known when its header is written and no child is copied more than once.
 */

export function encodeError(what: string, reason: string): never {
  throw new TgtbridgeError('ERR_ASN1_ENCODE', `${what}: ${reason}`);
}

/**
 * An encoding under construction: finished octets, or a TLV whose children are not yet copied.
 * Nodes know their length, so the whole tree is written into one buffer at the end
 * ({@link toBytes}) instead of copying each child into every enclosing TLV.
 */
export type Der = Uint8Array | DerNode;

export class DerNode {
  constructor(
    readonly tag: number,
    readonly parts: readonly Der[],
    /** Length of the contents (what the length octets say). */
    readonly contentLength: number,
  ) {}
}

function lengthOctetCount(length: number): number {
  if (length < 0x80) return 1;
  if (length < 0x100) return 2;
  if (length < 0x10000) return 3;
  if (length < 0x1000000) return 4;
  if (length <= 0xffffffff) return 5;
  return encodeError('DER', 'element longer than 4 GiB');
}

/** Total encoded size of `der`. */
export function derLength(der: Der): number {
  // `instanceof DerNode` rather than Uint8Array: leaves may be Buffers or views, and the one class
  // of this module is the cheaper check (every node of every encoding passes here twice).
  if (!(der instanceof DerNode)) return der.length;
  return 1 + lengthOctetCount(der.contentLength) + der.contentLength;
}

/** One TLV whose contents are the concatenation of `parts` (undefined parts are absent OPTIONAL fields). */
export function tlv(tag: number, ...parts: readonly (Der | undefined)[]): DerNode {
  let length = 0;
  let all = true;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p === undefined) all = false;
    else length += derLength(p);
  }
  // The rest array itself when no OPTIONAL field is absent (most nodes): no second array.
  return new DerNode(tag, all ? (parts as readonly Der[]) : parts.filter((p): p is Der => p !== undefined), length);
}

function writeInto(der: Der, out: Uint8Array, at: number): number {
  if (!(der instanceof DerNode)) {
    out.set(der, at);
    return at + der.length;
  }
  out[at++] = der.tag;
  const length = der.contentLength;
  const count = lengthOctetCount(length);
  if (count === 1) {
    out[at++] = length;
  } else {
    out[at++] = 0x80 | (count - 1);
    for (let i = count - 2; i >= 0; i--) out[at++] = Math.floor(length / 2 ** (8 * i)) & 0xff;
  }
  const parts = der.parts;
  for (let i = 0; i < parts.length; i++) at = writeInto(parts[i]!, out, at);
  return at;
}

/** The octets of a finished encoding (in a shared slab, util/slab.ts: copy before keeping it long). */
export function toBytes(der: Der): Uint8Array {
  if (der instanceof Uint8Array) return der;
  const out = allocFromSlab(derLength(der));
  writeInto(der, out, 0);
  return out;
}

export function sequence(...fields: readonly (Der | undefined)[]): DerNode {
  return tlv(TAG.SEQUENCE, ...fields);
}

/** `[n] EXPLICIT` around an encoded element; `undefined` stays absent (OPTIONAL). */
export function explicit(n: number, inner: Der): DerNode;
export function explicit(n: number, inner: Der | undefined): DerNode | undefined;
export function explicit(n: number, inner: Der | undefined): DerNode | undefined {
  return inner === undefined ? undefined : new DerNode(contextTag(n), [inner], derLength(inner));
}

export function application(n: number, inner: Der): DerNode {
  return new DerNode(applicationTag(n), [inner], derLength(inner));
}

export function sequenceOf<T>(items: readonly T[], encode: (item: T) => Der): DerNode {
  return tlv(TAG.SEQUENCE, ...items.map(encode));
}

/**
 * X.690 §8.3: two's-complement, minimal octets. `value` must be a safe integer. Returns the whole
 * TLV as one array: INTEGERs (etypes, kvnos, name types) are the most frequent element.
 */
export function encodeInteger(value: number): Der {
  if (!Number.isSafeInteger(value)) encodeError('INTEGER', `${value} is not a safe integer`);
  // Count the content octets: stop once what remains is only the sign extension of the last octet.
  let count = 1;
  let v = value;
  for (;;) {
    const low = ((v % 256) + 256) % 256;
    v = (v - low) / 256;
    if ((v === 0 && (low & 0x80) === 0) || (v === -1 && (low & 0x80) !== 0)) break;
    count++;
  }
  const out = new Uint8Array(2 + count);
  out[0] = TAG.INTEGER;
  out[1] = count;
  v = value;
  for (let i = count + 1; i >= 2; i--) {
    const low = ((v % 256) + 256) % 256;
    out[i] = low;
    v = (v - low) / 256;
  }
  return out;
}

export function encodeBoolean(value: boolean): Uint8Array {
  return Uint8Array.of(TAG.BOOLEAN, 1, value ? 0xff : 0x00);
}

export function encodeOctetString(bytes: Uint8Array): DerNode {
  return tlv(TAG.OCTET_STRING, bytes);
}
