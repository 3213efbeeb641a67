import type { DerReader } from './der-reader.js';
import { application, explicit, sequence } from './der-writer.js';
import { compact, decodeApplicationSequence, field, makeCodec, optionalField } from './der-fields.js';
import {
  decodeFixedInteger,
  decodeMicroseconds,
  decodeUInt32,
  encodeInt32,
  encodeMicroseconds,
  encodeUInt32AsInt32,
} from './basic-types.js';
import { decodeKerberosTime, encodeKerberosTime } from './kerberos-time.js';
import { encodeEncryptedData, encodeEncryptionKey, readEncryptedData, readEncryptionKey } from './encryption-key.js';
import { APPLICATION_TAGS, KRB5_PVNO } from './ticket.js';
import { MESSAGE_TYPES } from './krb-cred.js';
import type { EncryptedData, EncryptionKey } from './types.js';

/**
 * AP-REP          ::= [APPLICATION 15] SEQUENCE {
 *         pvno            [0] INTEGER (5),
 *         msg-type        [1] INTEGER (15),
 *         enc-part        [2] EncryptedData -- EncAPRepPart
 * }
 * RFC 4120 §5.5.2.
 */
export interface ApRep {
  readonly encPart: EncryptedData;
}

export const apRepCodec = makeCodec<ApRep>(
  'AP-REP',
  (r: DerReader) =>
    decodeApplicationSequence(r, APPLICATION_TAGS['AP-REP'], 'AP-REP', (f) => {
      field(f, 0, 'pvno', (x) => decodeFixedInteger(x, KRB5_PVNO));
      field(f, 1, 'msg-type', (x) => decodeFixedInteger(x, MESSAGE_TYPES.KRB_AP_REP));
      return { encPart: field(f, 2, 'enc-part', readEncryptedData) };
    }),
  (v) =>
    application(
      APPLICATION_TAGS['AP-REP'],
      sequence(
        explicit(0, encodeInt32(KRB5_PVNO)),
        explicit(1, encodeInt32(MESSAGE_TYPES.KRB_AP_REP)),
        explicit(2, encodeEncryptedData(v.encPart)),
      ),
    ),
);

/**
 * EncAPRepPart    ::= [APPLICATION 27] SEQUENCE {
 *         ctime           [0] KerberosTime,
 *         cusec           [1] Microseconds,
 *         subkey          [2] EncryptionKey OPTIONAL,
 *         seq-number      [3] UInt32 OPTIONAL
 * }
 * RFC 4120 §5.5.2.
 */
export interface EncApRepPart {
  readonly ctime: Date;
  readonly cusec: number;
  readonly subkey?: EncryptionKey;
  readonly seqNumber?: number;
}

export const encApRepPartCodec = makeCodec<EncApRepPart>(
  'EncAPRepPart',
  (r: DerReader) =>
    decodeApplicationSequence(r, APPLICATION_TAGS.EncAPRepPart, 'EncAPRepPart', (f) =>
      compact({
        ctime: field(f, 0, 'ctime', decodeKerberosTime),
        cusec: field(f, 1, 'cusec', decodeMicroseconds),
        subkey: optionalField(f, 2, 'subkey', readEncryptionKey),
        seqNumber: optionalField(f, 3, 'seq-number', decodeUInt32),
      }),
    ),
  (v) =>
    application(
      APPLICATION_TAGS.EncAPRepPart,
      sequence(
        explicit(0, encodeKerberosTime(v.ctime)),
        explicit(1, encodeMicroseconds(v.cusec)),
        explicit(2, v.subkey && encodeEncryptionKey(v.subkey)),
        explicit(3, v.seqNumber === undefined ? undefined : encodeUInt32AsInt32(v.seqNumber)),
      ),
    ),
);
