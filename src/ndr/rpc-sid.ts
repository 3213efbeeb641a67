import type { NdrReader } from './ndr-reader.js';
import type { NdrWriter } from './ndr-writer.js';

/**
 * A security identifier, MS-DTYP §2.4.2 (fields named as in RPC_SID, §2.4.2.3).
 * IdentifierAuthority is the 48-bit big-endian value of RPC_SID_IDENTIFIER_AUTHORITY (5 for
 * NT AUTHORITY); SubAuthorityCount is SubAuthority.length.
 */
export interface Sid {
  readonly Revision: number;
  readonly IdentifierAuthority: number;
  readonly SubAuthority: readonly number[];
}

/** MS-DTYP §2.4.2: "SubAuthorityCount … MUST be less than or equal to 15". */
export const SID_MAX_SUB_AUTHORITIES = 15;

/**
 * RPC_SID in NDR, MS-DTYP §2.4.2.3:
 *
 *   typedef struct _RPC_SID {
 *     unsigned char Revision;
 *     unsigned char SubAuthorityCount;
 *     RPC_SID_IDENTIFIER_AUTHORITY IdentifierAuthority;   // 6 bytes
 *     [size_is(SubAuthorityCount)] unsigned long SubAuthority[];
 *   } RPC_SID;
 *
 * A conformant structure: the array's size comes first (C706 §14.3.7.1), then the fields.
 */
export function readRpcSid(r: NdrReader): Sid {
  const countAt = r.pos;
  const conformance = r.count(4);
  if (conformance > SID_MAX_SUB_AUTHORITIES) r.fail(`SubAuthority size ${conformance} exceeds 15`, countAt);
  if (8 + 4 * conformance > r.remaining) r.fail(`a SID with ${conformance} sub-authorities needs ${8 + 4 * conformance} bytes, ${r.remaining} left`, countAt);
  const Revision = r.at('Revision', () => r.u8());
  const subAt = r.pos;
  const SubAuthorityCount = r.at('SubAuthorityCount', () => r.u8());
  if (SubAuthorityCount !== conformance) {
    r.at('SubAuthorityCount', () => r.fail(`SubAuthorityCount ${SubAuthorityCount} does not match array size ${conformance}`, subAt));
  }
  const auth = r.at('IdentifierAuthority', () => r.bytes(6));
  // The whole SID was checked to fit above, so these reads cannot fail.
  const SubAuthority: number[] = new Array<number>(SubAuthorityCount);
  for (let i = 0; i < SubAuthorityCount; i++) SubAuthority[i] = r.u32();
  return { Revision, IdentifierAuthority: identifierAuthorityValue(auth), SubAuthority };
}

export function writeRpcSid(w: NdrWriter, sid: Sid): void {
  checkSid(sid);
  w.u32(sid.SubAuthority.length);
  w.u8(sid.Revision);
  w.u8(sid.SubAuthority.length);
  w.bytes(identifierAuthorityBytes(sid.IdentifierAuthority));
  for (const s of sid.SubAuthority) w.u32(s);
}

/** Programmer errors (a SID we were asked to write) are RangeErrors, not decode errors. */
export function checkSid(sid: Sid): void {
  if (sid.SubAuthority.length > SID_MAX_SUB_AUTHORITIES) throw new RangeError('SID with more than 15 sub-authorities');
  if (!Number.isInteger(sid.IdentifierAuthority) || sid.IdentifierAuthority < 0 || sid.IdentifierAuthority > 0xffffffffffff) {
    throw new RangeError('SID IdentifierAuthority out of range');
  }
}

export function identifierAuthorityValue(bytes: Uint8Array): number {
  let v = 0;
  for (const b of bytes) v = v * 256 + b;
  return v;
}

export function identifierAuthorityBytes(value: number): Uint8Array {
  const out = new Uint8Array(6);
  let v = value;
  for (let i = 5; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}
