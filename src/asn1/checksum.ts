import type { DerReader } from './der-reader.js';
import { explicit, sequence, type Der } from './der-writer.js';
import { decodeSequence, field, makeCodec } from './der-fields.js';
import { decodeInt32, decodeOctetString, encodeInt32, encodeOctetString } from './basic-types.js';

/**
 * Checksum ::= SEQUENCE {
 *         cksumtype       [0] Int32,
 *         checksum        [1] OCTET STRING
 * }
 * RFC 4120 §5.2.9.
 */
export interface Checksum {
  readonly cksumtype: number;
  readonly checksum: Uint8Array;
}

export function readChecksum(r: DerReader): Checksum {
  return decodeSequence(r, 'Checksum', (f) => ({
    cksumtype: field(f, 0, 'cksumtype', decodeInt32),
    checksum: field(f, 1, 'checksum', decodeOctetString),
  }));
}

export function encodeChecksum(c: Checksum): Der {
  return sequence(explicit(0, encodeInt32(c.cksumtype)), explicit(1, encodeOctetString(c.checksum)));
}

export const checksumCodec = makeCodec('Checksum', readChecksum, encodeChecksum);
