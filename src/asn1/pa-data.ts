import type { DerReader } from './der-reader.js';
import { encodeBoolean, explicit, sequence, sequenceOf, type Der } from './der-writer.js';
import {
  compact,
  decodeNonEmptySequenceOf,
  decodeSequence,
  decodeSequenceOf,
  field,
  makeCodec,
  optionalField,
} from './der-fields.js';
import {
  decodeBoolean,
  decodeInt32,
  decodeKerberosString,
  decodeMicroseconds,
  decodeOctetString,
  encodeInt32,
  encodeKerberosString,
  encodeMicroseconds,
  encodeOctetString,
} from './basic-types.js';
import { decodeKerberosTime, encodeKerberosTime } from './kerberos-time.js';
import { decodeKerberosFlags, encodeKerberosFlags } from './kerberos-flags.js';
import type { PaData } from './types.js';

/**
 * padata-type numbers — RFC 4120 §7.5.2, RFC 6113 §7.1 (FAST), RFC 4556 (PKINIT), RFC 6806,
 * MS-KILE §2.2 / MS-SFU §2.2. Values of unlisted types are kept raw.
 */
export const PA_DATA_TYPES = {
  'PA-TGS-REQ': 1,
  'PA-ENC-TIMESTAMP': 2,
  'PA-PW-SALT': 3,
  'PA-ENC-UNIX-TIME': 5,
  'PA-ETYPE-INFO': 11,
  'PA-PK-AS-REQ-OLD': 14,
  'PA-PK-AS-REP-OLD': 15,
  'PA-PK-AS-REQ': 16,
  'PA-PK-AS-REP': 17,
  'PA-ETYPE-INFO2': 19,
  'PA-SVR-REFERRAL-INFO': 20,
  'PA-SERVER-REFERRAL': 25,
  'PA-PAC-REQUEST': 128,
  'PA-FOR-USER': 129,
  'PA-FOR-X509-USER': 130,
  'PA-FOR-CHECK-DUPS': 131,
  'PA-AS-CHECKSUM': 132,
  'PA-FX-COOKIE': 133,
  'PA-AUTHENTICATION-SET': 134,
  'PA-AUTH-SET-SELECTED': 135,
  'PA-FX-FAST': 136,
  'PA-FX-ERROR': 137,
  'PA-ENCRYPTED-CHALLENGE': 138,
  'PA-REQ-ENC-PA-REP': 149,
  'PA-AS-FRESHNESS': 150,
  'PA-SPAKE': 151,
  'PA-REDHAT-IDP-OAUTH2': 152,
  'PA-REDHAT-PASSKEY': 153,
  'PA-SUPPORTED-ENCTYPES': 165,
  'PA-EXTENDED-ERROR': 166,
  'PA-PAC-OPTIONS': 167,
} as const;
export type PaDataTypeName = keyof typeof PA_DATA_TYPES;

/**
 * PA-DATA         ::= SEQUENCE {
 *         -- NOTE: first tag is [1], not [0]
 *         padata-type     [1] Int32,
 *         padata-value    [2] OCTET STRING -- might be encoded AP-REQ
 * }
 * RFC 4120 §5.2.7. The value stays opaque here (FAST containers included); the codecs below
 * open the values this project uses. PA-TGS-REQ's value is an AP-REQ (apReqCodec).
 */
export function readPaData(r: DerReader): PaData {
  return decodeSequence(r, 'PA-DATA', (f) => ({
    padataType: field(f, 1, 'padata-type', decodeInt32),
    padataValue: field(f, 2, 'padata-value', decodeOctetString),
  }));
}

export function encodePaData(p: PaData): Der {
  return sequence(explicit(1, encodeInt32(p.padataType)), explicit(2, encodeOctetString(p.padataValue)));
}

export function readPaDataList(r: DerReader): PaData[] {
  return decodeSequenceOf(r, 'PA-DATA', readPaData);
}

export function encodePaDataList(list: readonly PaData[]): Der {
  return sequenceOf(list, encodePaData);
}

export const paDataCodec = makeCodec('PA-DATA', readPaData, encodePaData);

/** METHOD-DATA ::= SEQUENCE OF PA-DATA — RFC 4120 §5.9.1 (e-data of KDC_ERR_PREAUTH_REQUIRED). */
export const methodDataCodec = makeCodec('METHOD-DATA', readPaDataList, encodePaDataList);

/** The first pa-data element of a type, if any. */
export function findPaData(list: readonly PaData[] | undefined, padataType: number): PaData | undefined {
  return list?.find((p) => p.padataType === padataType);
}

/**
 * PA-ENC-TS-ENC           ::= SEQUENCE {
 *         patimestamp     [0] KerberosTime -- client's time --,
 *         pausec          [1] Microseconds OPTIONAL
 * }
 * RFC 4120 §5.2.7.2 (the plaintext of PA-ENC-TIMESTAMP, key usage 1).
 */
export interface PaEncTsEnc {
  readonly patimestamp: Date;
  readonly pausec?: number;
}

export const paEncTsEncCodec = makeCodec<PaEncTsEnc>(
  'PA-ENC-TS-ENC',
  (r) =>
    decodeSequence(r, 'PA-ENC-TS-ENC', (f) =>
      compact({
        patimestamp: field(f, 0, 'patimestamp', decodeKerberosTime),
        pausec: optionalField(f, 1, 'pausec', decodeMicroseconds),
      }),
    ),
  (v) =>
    sequence(
      explicit(0, encodeKerberosTime(v.patimestamp)),
      explicit(1, v.pausec === undefined ? undefined : encodeMicroseconds(v.pausec)),
    ),
);

/**
 * ETYPE-INFO2-ENTRY       ::= SEQUENCE {
 *         etype           [0] Int32,
 *         salt            [1] KerberosString OPTIONAL,
 *         s2kparams       [2] OCTET STRING OPTIONAL
 * }
 * ETYPE-INFO2             ::= SEQUENCE SIZE (1..MAX) OF ETYPE-INFO2-ENTRY
 * RFC 4120 §5.2.7.5.
 */
export interface EtypeInfo2Entry {
  readonly etype: number;
  readonly salt?: string;
  readonly s2kparams?: Uint8Array;
}

function readEtypeInfo2Entry(r: DerReader): EtypeInfo2Entry {
  return decodeSequence(r, 'ETYPE-INFO2-ENTRY', (f) =>
    compact({
      etype: field(f, 0, 'etype', decodeInt32),
      salt: optionalField(f, 1, 'salt', decodeKerberosString),
      s2kparams: optionalField(f, 2, 's2kparams', decodeOctetString),
    }),
  );
}

function encodeEtypeInfo2Entry(e: EtypeInfo2Entry): Der {
  return sequence(
    explicit(0, encodeInt32(e.etype)),
    explicit(1, e.salt === undefined ? undefined : encodeKerberosString(e.salt)),
    explicit(2, e.s2kparams && encodeOctetString(e.s2kparams)),
  );
}

export const etypeInfo2Codec = makeCodec<readonly EtypeInfo2Entry[]>(
  'ETYPE-INFO2',
  (r) => decodeNonEmptySequenceOf(r, 'ETYPE-INFO2-ENTRY', readEtypeInfo2Entry),
  (list) => sequenceOf(list, encodeEtypeInfo2Entry),
);

/**
 * KERB-PA-PAC-REQUEST ::= SEQUENCE {
 *         include-pac[0] BOOLEAN --If TRUE, and no pac present, include PAC.
 *                                --If FALSE, and PAC present, remove PAC
 * }
 * MS-KILE §2.2.3 (padata-type 128).
 */
export interface PaPacRequest {
  readonly includePac: boolean;
}

export const paPacRequestCodec = makeCodec<PaPacRequest>(
  'KERB-PA-PAC-REQUEST',
  (r) => decodeSequence(r, 'KERB-PA-PAC-REQUEST', (f) => ({ includePac: field(f, 0, 'include-pac', decodeBoolean) })),
  (v) => sequence(explicit(0, encodeBoolean(v.includePac))),
);

/**
 * PA-PAC-OPTIONS ::= SEQUENCE {
 *         KerberosFlags
 *         -- Claims(0)
 *         -- Branch Aware(1)
 *         -- Forward to Full DC(2)
 *         -- Resource-based Constrained Delegation (3)
 * }
 * MS-KILE §2.2.10 (padata-type 167). Windows and Samba write the flags under context tag [0];
 * flag masks are PA_PAC_OPTIONS_FLAGS.
 */
export interface PaPacOptions {
  readonly flags: number;
}

export const paPacOptionsCodec = makeCodec<PaPacOptions>(
  'PA-PAC-OPTIONS',
  (r) => decodeSequence(r, 'PA-PAC-OPTIONS', (f) => ({ flags: field(f, 0, 'flags', decodeKerberosFlags) })),
  (v) => sequence(explicit(0, encodeKerberosFlags(v.flags))),
);
