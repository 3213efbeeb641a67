import { DecodeError } from '../errors/index.js';

/**
 * A strict DER reader (X.690 §10) with absolute byte offsets and field paths.
 *
 * Why not asn1js's `fromBER` for reading: measured with asn1js 4.0, it accepts BER that DER forbids
 * without an error or a warning — non-minimal lengths (`02 81 01 7f`), non-minimal INTEGERs
 * (`02 02 00 7f`), indefinite lengths (`30 80 … 00 00`) and BOOLEAN 0x01 — and its blocks do not
 * carry the absolute offset a caller needs to report where input broke. Kerberos checksums are
 * computed over DER bytes (RFC 4120 §5.2.6 KDC-REQ-BODY, MS-PAC §2.8.3 EncTicketPart), so two
 * encodings of one value must not both be accepted. asn1js stays in the test suite as an
 * independent parser of everything this module writes.
 *
 * Guarantees: a declared length never exceeds the bytes that are there (checked before anything
 * is read or allocated), nesting is capped at {@link MAX_DEPTH}, and every failure is a
 * DecodeError('ERR_ASN1_DECODE') carrying the field path and the offset of the offending octet.
 */

/** Nesting of constructed elements one decode may enter; real Kerberos messages stay below 20. */
export const MAX_DEPTH = 48;
/** Elements one SEQUENCE OF may hold (tickets, pa-data, etypes, name components…). */
export const MAX_ELEMENTS = 10_000;

/** Identifier octets used by RFC 4120 (class | constructed | number, low-tag-number form only). */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  GENERAL_STRING: 0x1b,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
} as const;

/** `[APPLICATION n]` constructed identifier octet (n ≤ 30). */
export function applicationTag(n: number): number {
  return 0x60 | n;
}

/** `[n]` context-specific constructed identifier octet (EXPLICIT tagging, RFC 4120 §5.2). */
export function contextTag(n: number): number {
  return 0xa0 | n;
}

/** One TLV: `start` is the identifier octet, `contentStart`..`end` the contents. */
export interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

export class DerReader {
  /** Next unread octet (absolute offset into `bytes`). */
  pos: number;

  private constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
    private readonly parent: DerReader | undefined,
    private readonly segment: string,
    readonly depth: number,
    /**
     * Whether decoded OCTET STRINGs (and `raw` fields) may be views into `bytes` instead of copies:
     * only for a caller that owns `bytes` and leaves it unchanged while the decoded value lives.
     * Copying a kilobyte ticket cipher costs a fresh off-heap ArrayBuffer (V8 keeps typed arrays
     * over 64 bytes outside the heap), a measurable part of a KDC's TGS-REQ (bench/profile-kdc.ts).
     */
    readonly views: boolean,
  ) {
    this.pos = start;
  }

  /** A reader over all of `bytes`; `root` names the top of the field path (e.g. `TGS-REQ`). */
  static of(bytes: Uint8Array, root: string, views = false): DerReader {
    // A Node Buffer's slice() is a view, not a copy: read through a plain Uint8Array so decoded
    // OCTET STRINGs are independent copies of plain type whatever the caller passed.
    const plain = Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new DerReader(plain, 0, plain.length, undefined, root, 0, views);
  }

  /** Octets `start..end` of the input: a copy, or a view when this reader was made with `views`. */
  octets(start: number, end: number): Uint8Array {
    return this.views ? this.bytes.subarray(start, end) : this.bytes.slice(start, end);
  }

  /** The field path, built only when an error needs it. */
  get path(): string {
    if (this.parent === undefined) return this.segment;
    if (this.segment === '') return this.parent.path;
    const base = this.parent.path;
    return this.segment.startsWith('[') ? base + this.segment : `${base}.${this.segment}`;
  }

  fail(reason: string, offset: number = this.pos): never {
    throw new DecodeError('ERR_ASN1_DECODE', this.path, offset, reason);
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Identifier octet of the next element, or undefined at the end. */
  peekTag(): number | undefined {
    return this.pos < this.end ? this.bytes[this.pos] : undefined;
  }

  /** Reads one whole TLV with the given identifier octet and moves past it. */
  read(tag: number, what: string): Tlv {
    const got = this.peekTag();
    if (got === undefined) this.fail(`missing ${what}`);
    if (got !== tag) {
      this.fail(`expected ${what} (tag 0x${hex2(tag)}), found tag 0x${hex2(got)}`);
    }
    return this.readAny();
  }

  /** Reads one whole TLV of any tag (DER: definite, minimal length) and moves past it. */
  readAny(): Tlv {
    const { bytes, end } = this;
    const start = this.pos;
    if (start >= end) this.fail('unexpected end of input');
    const tag = bytes[start]!;
    // Low-tag-number form only: no RFC 4120 type uses a tag number above 30 (X.690 §8.1.2.4).
    if ((tag & 0x1f) === 0x1f) this.fail('high-tag-number form is not used by Kerberos', start);
    let at = start + 1;
    if (at >= end) this.fail('missing length octet', at);
    const first = bytes[at++]!;
    let length: number;
    if (first < 0x80) {
      length = first;
    } else {
      const count = first & 0x7f;
      // X.690 §10.1: indefinite length (0x80) is not DER; more than 4 length octets would
      // declare more than 4 GiB, which no input here can hold.
      if (count === 0) this.fail('indefinite length is not DER', at - 1);
      if (count > 4) this.fail(`length of ${count} octets is absurd`, at - 1);
      if (at + count > end) this.fail('length octets run past the input', at - 1);
      if (bytes[at] === 0) this.fail('non-minimal length (leading zero octet)', at - 1);
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + bytes[at + i]!;
      at += count;
      if (length < 0x80) this.fail('non-minimal length (long form for a short length)', at - count - 1);
    }
    if (length > end - at) {
      this.fail(`declared length ${length} exceeds the ${end - at} octets available`, start);
    }
    this.pos = at + length;
    return { tag, start, contentStart: at, end: at + length };
  }

  /** A reader over the contents of a constructed `tlv`; `segment` extends the path. */
  enter(tlv: Tlv, segment: string): DerReader {
    if ((tlv.tag & 0x20) === 0) this.fail('expected a constructed element', tlv.start);
    if (this.depth + 1 > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`, tlv.start);
    return new DerReader(this.bytes, tlv.contentStart, tlv.end, this, segment, this.depth + 1, this.views);
  }

  /** A reader for a named sub-field at the current position (no new element consumed). */
  child(segment: string): DerReader {
    return new DerReader(this.bytes, this.pos, this.end, this, segment, this.depth, this.views);
  }

  /** Moves this reader to where a child reader stopped. */
  sync(child: DerReader): void {
    this.pos = child.pos;
  }

  /** DER: nothing may follow the last field (X.690 §8.1.1; RFC 4120 §5 has no extension markers). */
  expectEnd(what = 'element'): void {
    if (this.pos < this.end) {
      this.fail(`unexpected ${what} (tag 0x${hex2(this.bytes[this.pos]!)}) where the encoding should end`);
    }
  }

  contents(tlv: Tlv): Uint8Array {
    return this.bytes.subarray(tlv.contentStart, tlv.end);
  }
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
