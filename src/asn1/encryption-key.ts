import type { DerReader } from './der-reader.js';
import { explicit, sequence, type Der } from './der-writer.js';
import { decodeSequence, field, makeCodec, optionalField } from './der-fields.js';
import {
  decodeInt32,
  decodeOctetString,
  decodeUInt32,
  encodeInt32,
  encodeOctetString,
  encodeUInt32AsInt32,
} from './basic-types.js';
import type { EncryptedData, EncryptionKey } from './types.js';

/**
 * EncryptionKey ::= SEQUENCE {
 *         keytype         [0] Int32 -- actually encryption type --,
 *         keyvalue        [1] OCTET STRING
 * }
 * RFC 4120 §5.2.9.
 */
export function readEncryptionKey(r: DerReader): EncryptionKey {
  return decodeSequence(r, 'EncryptionKey', (f) => ({
    keytype: field(f, 0, 'keytype', decodeInt32),
    keyvalue: field(f, 1, 'keyvalue', decodeOctetString),
  }));
}

export function encodeEncryptionKey(key: EncryptionKey): Der {
  return sequence(explicit(0, encodeInt32(key.keytype)), explicit(1, encodeOctetString(key.keyvalue)));
}

export const encryptionKeyCodec = makeCodec('EncryptionKey', readEncryptionKey, encodeEncryptionKey);

/**
 * EncryptedData ::= SEQUENCE {
 *         etype   [0] Int32 -- EncryptionType --,
 *         kvno    [1] UInt32 OPTIONAL,
 *         cipher  [2] OCTET STRING -- ciphertext
 * }
 * RFC 4120 §5.2.9. kvno is written as a signed 32-bit INTEGER and read in either form; the
 * record holds it unsigned, so an RODC kvno is `(N << 16 | v) >>> 0` (see basic-types.ts).
 */
export function readEncryptedData(r: DerReader): EncryptedData {
  return decodeSequence(r, 'EncryptedData', (f) => {
    const etype = field(f, 0, 'etype', decodeInt32);
    let unsignedForm = false;
    const kvno = optionalField(f, 1, 'kvno', (k) => {
      const start = k.pos;
      const v = decodeUInt32(k);
      unsignedForm = k.pos - start > 6; // tag + length + 5 content octets
      return v;
    });
    const cipher = field(f, 2, 'cipher', decodeOctetString);
    if (kvno === undefined) return { etype, cipher };
    return unsignedForm ? { etype, kvno, kvnoUnsignedForm: true, cipher } : { etype, kvno, cipher };
  });
}

export function encodeEncryptedData(data: EncryptedData): Der {
  return sequence(
    explicit(0, encodeInt32(data.etype)),
    explicit(1, data.kvno === undefined ? undefined : encodeUInt32AsInt32(data.kvno)),
    explicit(2, encodeOctetString(data.cipher)),
  );
}

export const encryptedDataCodec = makeCodec('EncryptedData', readEncryptedData, encodeEncryptedData);

/** Splits an AD RODC kvno (MS-KILE §3.1.5.8): high 16 bits = RODC number N, low 16 = key version. */
export function splitKvno(kvno: number): { readonly rodcNumber: number; readonly keyVersion: number } {
  return { rodcNumber: kvno >>> 16, keyVersion: kvno & 0xffff };
}

/** The kvno of key version `keyVersion` of krbtgt_N. */
export function rodcKvno(rodcNumber: number, keyVersion: number): number {
  if (!Number.isInteger(rodcNumber) || rodcNumber < 0 || rodcNumber > 0xffff) throw new RangeError('RODC number is 16 bits');
  if (!Number.isInteger(keyVersion) || keyVersion < 0 || keyVersion > 0xffff) throw new RangeError('key version is 16 bits');
  return ((rodcNumber << 16) | keyVersion) >>> 0;
}
