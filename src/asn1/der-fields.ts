import { applicationTag, contextTag, DerReader, MAX_ELEMENTS, TAG } from './der-reader.js';
import { toBytes, type Der } from './der-writer.js';

/**
 * Structure helpers for decoding RFC 4120 SEQUENCEs: every field there is EXPLICIT-tagged
 * `[n]`, fields appear in tag order, and there are no extension markers, so an element a
 * decoder did not consume is an error (reported by `expectEnd` with its offset).
 */

/** Decodes exactly one element at the reader's position and leaves the reader after it. */
export type FieldDecoder<T> = (r: DerReader) => T;

function enterExplicit(r: DerReader, n: number, name: string): DerReader | undefined {
  if (r.peekTag() !== contextTag(n)) return undefined;
  return r.enter(r.readAny(), name);
}

/** A required `name [n] T` field. */
export function field<T>(r: DerReader, n: number, name: string, decode: FieldDecoder<T>): T {
  const inner = enterExplicit(r, n, name);
  if (inner === undefined) {
    const got = r.peekTag();
    return r.child(name).fail(
      got === undefined
        ? `missing required field [${n}]`
        : `missing required field [${n}] (found tag 0x${got.toString(16).padStart(2, '0')})`,
    );
  }
  const value = decode(inner);
  inner.expectEnd();
  return value;
}

/** An OPTIONAL `name [n] T` field. */
export function optionalField<T>(r: DerReader, n: number, name: string, decode: FieldDecoder<T>): T | undefined {
  const inner = enterExplicit(r, n, name);
  if (inner === undefined) return undefined;
  const value = decode(inner);
  inner.expectEnd();
  return value;
}

/** `SEQUENCE { … }`: `body` reads the fields; anything it leaves is an error. */
export function decodeSequence<T>(r: DerReader, what: string, body: (fields: DerReader) => T): T {
  const inner = r.enter(r.read(TAG.SEQUENCE, what), '');
  const value = body(inner);
  inner.expectEnd('field');
  return value;
}

/** `[APPLICATION n] SEQUENCE { … }` — the form of every RFC 4120 message (§5.3–§5.8). */
export function decodeApplicationSequence<T>(
  r: DerReader,
  n: number,
  what: string,
  body: (fields: DerReader, start: number) => T,
): T {
  const app = r.read(applicationTag(n), `${what} [APPLICATION ${n}]`);
  const inner = r.enter(app, '');
  const value = decodeSequence(inner, what, (fields) => body(fields, app.start));
  inner.expectEnd();
  return value;
}

/** `SEQUENCE OF T`, each element's path suffixed `[i]`, at most {@link MAX_ELEMENTS} elements. */
export function decodeSequenceOf<T>(r: DerReader, what: string, decode: FieldDecoder<T>): T[] {
  const inner = r.enter(r.read(TAG.SEQUENCE, `SEQUENCE OF ${what}`), '');
  const out: T[] = [];
  while (!inner.atEnd()) {
    if (out.length >= MAX_ELEMENTS) inner.fail(`more than ${MAX_ELEMENTS} elements`);
    const element = inner.child(`[${out.length}]`);
    out.push(decode(element));
    inner.sync(element);
  }
  return out;
}

/** `SEQUENCE SIZE (1..MAX) OF T` (e.g. AuthorizationData, LastReq, ETYPE-INFO2). */
export function decodeNonEmptySequenceOf<T>(r: DerReader, what: string, decode: FieldDecoder<T>): T[] {
  const start = r.pos;
  const out = decodeSequenceOf(r, what, decode);
  if (out.length === 0) r.fail(`empty SEQUENCE OF ${what} (SIZE (1..MAX))`, start);
  return out;
}

/**
 * Runs a top-level decode over all of `bytes`: the value must fill the input exactly
 * (X.690 §8.1.1 — trailing octets are not part of any DER value).
 */
export function decodeAll<T>(bytes: Uint8Array, root: string, decode: FieldDecoder<T>, views = false): T {
  const r = DerReader.of(bytes, root, views);
  const value = decode(r);
  if (!r.atEnd()) r.fail(`${bytes.length - r.pos} trailing octets after the encoding`);
  return value;
}

/** A value with strict codecs both ways. `decode` throws DecodeError('ERR_ASN1_DECODE'). */
export interface Codec<T> {
  /** The ASN.1 type name, also the root of decode error paths. */
  readonly name: string;
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
  /**
   * `decode` without copies: OCTET STRING and raw fields are views into `bytes`. Only for a caller
   * that owns `bytes` (a received datagram, a plaintext it just decrypted) and never changes it.
   */
  decodeView(bytes: Uint8Array): T;
  /** Decodes one element at a reader's position (used when the type is nested in another). */
  read(r: DerReader): T;
}

export function makeCodec<T>(name: string, read: FieldDecoder<T>, encode: (value: T) => Der): Codec<T> {
  return {
    name,
    encode: (value) => toBytes(encode(value)),
    read,
    decode: (bytes) => decodeAll(bytes, name, read),
    decodeView: (bytes) => decodeAll(bytes, name, read, true),
  };
}

/** Records built field by field (util's Writable says why). */
export type { Writable } from '../util/index.js';

type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];
type OptionalKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];
/** `T` with every property that may be undefined turned into an optional (absent) property. */
export type Compact<T> = { [K in RequiredKeys<T>]: T[K] } & { [K in OptionalKeys<T>]?: Exclude<T[K], undefined> };

/**
 * Drops properties whose value is undefined, so a decoded OPTIONAL field that was absent is an
 * absent property (what `exactOptionalPropertyTypes` records expect), not `key: undefined`.
 */
export function compact<T extends object>(o: T): Compact<T> {
  // for-in rather than Object.entries: no [key, value] arrays per call (4x faster on a decoder's
  // record). Callers pass object literals, whose only enumerable keys are their own.
  const out: Record<string, unknown> = {};
  const from = o as Record<string, unknown>;
  for (const k in from) {
    const v = from[k];
    if (v !== undefined) out[k] = v;
  }
  return out as Compact<T>;
}
