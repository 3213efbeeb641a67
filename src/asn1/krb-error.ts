import { DecodeError } from '../errors/index.js';
import { DerReader, TAG, contextTag } from './der-reader.js';
import { application, encodeError, encodeInteger, explicit, sequence } from './der-writer.js';
import { compact, decodeApplicationSequence, decodeSequence, field, makeCodec, optionalField } from './der-fields.js';
import {
  decodeFixedInteger,
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
import { encodePrincipalName, readPrincipalName } from './principal-name.js';
import { APPLICATION_TAGS, KRB5_PVNO } from './ticket.js';
import { MESSAGE_TYPES } from './krb-cred.js';
import { methodDataCodec } from './pa-data.js';
import type { PaData, PrincipalName } from './types.js';

/**
 * KRB-ERROR       ::= [APPLICATION 30] SEQUENCE {
 *         pvno            [0] INTEGER (5),
 *         msg-type        [1] INTEGER (30),
 *         ctime           [2] KerberosTime OPTIONAL,
 *         cusec           [3] Microseconds OPTIONAL,
 *         stime           [4] KerberosTime,
 *         susec           [5] Microseconds,
 *         error-code      [6] Int32,
 *         crealm          [7] Realm OPTIONAL,
 *         cname           [8] PrincipalName OPTIONAL,
 *         realm           [9] Realm -- service realm --,
 *         sname           [10] PrincipalName -- service name --,
 *         e-text          [11] KerberosString OPTIONAL,
 *         e-data          [12] OCTET STRING OPTIONAL
 * }
 * RFC 4120 §5.9.1. error-code names: KRB_ERROR_CODES in src/errors. e-data is kept raw;
 * {@link classifyEData} opens the two forms KDCs send.
 */
export interface KrbErrorMessage {
  readonly ctime?: Date;
  readonly cusec?: number;
  readonly stime: Date;
  readonly susec: number;
  readonly errorCode: number;
  readonly crealm?: string;
  readonly cname?: PrincipalName;
  readonly realm: string;
  readonly sname: PrincipalName;
  readonly eText?: string;
  readonly eData?: Uint8Array;
}

export const krbErrorCodec = makeCodec<KrbErrorMessage>(
  'KRB-ERROR',
  (r: DerReader) =>
    decodeApplicationSequence(r, APPLICATION_TAGS['KRB-ERROR'], 'KRB-ERROR', (f) => {
      field(f, 0, 'pvno', (x) => decodeFixedInteger(x, KRB5_PVNO));
      field(f, 1, 'msg-type', (x) => decodeFixedInteger(x, MESSAGE_TYPES.KRB_ERROR));
      return compact({
        ctime: optionalField(f, 2, 'ctime', decodeKerberosTime),
        cusec: optionalField(f, 3, 'cusec', decodeMicroseconds),
        stime: field(f, 4, 'stime', decodeKerberosTime),
        susec: field(f, 5, 'susec', decodeMicroseconds),
        errorCode: field(f, 6, 'error-code', decodeInt32),
        crealm: optionalField(f, 7, 'crealm', decodeKerberosString),
        cname: optionalField(f, 8, 'cname', readPrincipalName),
        realm: field(f, 9, 'realm', decodeKerberosString),
        sname: field(f, 10, 'sname', readPrincipalName),
        eText: optionalField(f, 11, 'e-text', decodeKerberosString),
        eData: optionalField(f, 12, 'e-data', decodeOctetString),
      });
    }),
  (v) =>
    application(
      APPLICATION_TAGS['KRB-ERROR'],
      sequence(
        explicit(0, encodeInt32(KRB5_PVNO)),
        explicit(1, encodeInt32(MESSAGE_TYPES.KRB_ERROR)),
        explicit(2, v.ctime && encodeKerberosTime(v.ctime)),
        explicit(3, v.cusec === undefined ? undefined : encodeMicroseconds(v.cusec)),
        explicit(4, encodeKerberosTime(v.stime)),
        explicit(5, encodeMicroseconds(v.susec)),
        explicit(6, encodeInt32(v.errorCode)),
        explicit(7, v.crealm === undefined ? undefined : encodeKerberosString(v.crealm)),
        explicit(8, v.cname && encodePrincipalName(v.cname)),
        explicit(9, encodeKerberosString(v.realm)),
        explicit(10, encodePrincipalName(v.sname)),
        explicit(11, v.eText === undefined ? undefined : encodeKerberosString(v.eText)),
        explicit(12, v.eData && encodeOctetString(v.eData)),
      ),
    ),
);

/** KERB-ERROR-DATA data-type values — MS-KILE §2.2.1. */
export const KERB_ERROR_DATA_TYPES = {
  KERB_AP_ERR_TYPE_SKEW_RECOVERY: 2,
  KERB_ERR_TYPE_EXTENDED: 3,
} as const;

/**
 * KERB-EXT-ERROR ::= SEQUENCE { status NTSTATUS, reserved ULONG, flags ULONG } — MS-KILE §2.2.2,
 * carried as 12 octets, three little-endian 32-bit values, in KERB-ERROR-DATA.data-value.
 */
export interface KerbExtError {
  readonly status: number;
  readonly reserved: number;
  readonly flags: number;
}

export function decodeKerbExtError(bytes: Uint8Array, path = 'KERB-EXT-ERROR'): KerbExtError {
  if (bytes.length !== 12) {
    throw new DecodeError('ERR_ASN1_DECODE', path, Math.min(bytes.length, 12), `expected 12 octets, found ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, 12);
  return { status: view.getUint32(0, true), reserved: view.getUint32(4, true), flags: view.getUint32(8, true) };
}

export function encodeKerbExtError(e: KerbExtError): Uint8Array {
  const out = new Uint8Array(12);
  const view = new DataView(out.buffer);
  view.setUint32(0, e.status >>> 0, true);
  view.setUint32(4, e.reserved >>> 0, true);
  view.setUint32(8, e.flags >>> 0, true);
  return out;
}

/**
 * KERB-ERROR-DATA ::= SEQUENCE {
 *         data-type           [1] INTEGER,
 *         data-value          [2] OCTET STRING OPTIONAL
 * }
 * MS-KILE §2.2.1. For data-type 3 (KERB_ERR_TYPE_EXTENDED) the decoder also opens data-value as
 * KERB-EXT-ERROR (`extError`: NTSTATUS and the rest). Encode writes data-value, or `extError`
 * encoded when only that is given; both given and different is an encoding error.
 */
export interface KerbErrorData {
  readonly dataType: number;
  readonly dataValue?: Uint8Array;
  readonly extError?: KerbExtError;
}

export const kerbErrorDataCodec = makeCodec<KerbErrorData>(
  'KERB-ERROR-DATA',
  (r: DerReader) =>
    decodeSequence(r, 'KERB-ERROR-DATA', (f) => {
      const dataType = field(f, 1, 'data-type', decodeInt32);
      const valueStart = f.pos;
      const dataValue = optionalField(f, 2, 'data-value', decodeOctetString);
      let extError: KerbExtError | undefined;
      if (dataType === KERB_ERROR_DATA_TYPES.KERB_ERR_TYPE_EXTENDED && dataValue !== undefined) {
        try {
          extError = decodeKerbExtError(dataValue);
        } catch {
          f.child('data-value').fail(`KERB-EXT-ERROR must be 12 octets, found ${dataValue.length}`, valueStart);
        }
      }
      return compact({ dataType, dataValue, extError });
    }),
  (v) => {
    const fromExt = v.extError && encodeKerbExtError(v.extError);
    if (fromExt && v.dataValue && Buffer.compare(fromExt, v.dataValue) !== 0) {
      encodeError('KERB-ERROR-DATA', 'data-value and extError disagree');
    }
    const value = v.dataValue ?? fromExt;
    return sequence(explicit(1, encodeInteger(v.dataType)), explicit(2, value && encodeOctetString(value)));
  },
);

/** What a KRB-ERROR's e-data holds, told apart by its first octets. */
export type EData =
  | { readonly kind: 'METHOD-DATA'; readonly methodData: readonly PaData[] }
  | { readonly kind: 'KERB-ERROR-DATA'; readonly errorData: KerbErrorData }
  | { readonly kind: 'unknown'; readonly raw: Uint8Array };

/**
 * Opens e-data: METHOD-DATA (SEQUENCE OF PA-DATA, RFC 4120 §5.9.1 — after
 * KDC_ERR_PREAUTH_REQUIRED) starts `30 … 30 … a1`; KERB-ERROR-DATA (MS-KILE §2.2.1, Windows and
 * Samba) starts `30 … a1`. Anything else (TYPED-DATA, vendor data) is returned raw. A form that
 * is recognised but malformed throws DecodeError.
 */
export function classifyEData(eData: Uint8Array): EData {
  const r = DerReader.of(eData, 'e-data');
  if (r.peekTag() !== TAG.SEQUENCE) return { kind: 'unknown', raw: eData };
  let first: number | undefined;
  let firstInner: number | undefined;
  try {
    const outer = r.enter(r.readAny(), '');
    first = outer.peekTag();
    if (first === TAG.SEQUENCE) firstInner = outer.enter(outer.readAny(), '').peekTag();
  } catch {
    return { kind: 'unknown', raw: eData };
  }
  if (first === contextTag(1)) return { kind: 'KERB-ERROR-DATA', errorData: kerbErrorDataCodec.decode(eData) };
  if (first === undefined || (first === TAG.SEQUENCE && firstInner === contextTag(1))) {
    return { kind: 'METHOD-DATA', methodData: methodDataCodec.decode(eData) };
  }
  return { kind: 'unknown', raw: eData };
}

/** Where {@link kerbExtErrorOf} found the extended error. */
export type KerbExtErrorSource = 'KERB-ERROR-DATA' | 'PA-PW-SALT';

/**
 * The KERB-EXT-ERROR (NTSTATUS) an AD KDC attached to a KRB-ERROR, wherever it put it:
 * - KERB-ERROR-DATA with data-type 3 (MS-KILE §2.2.1), or
 * - an element PA-PW-SALT (3) of METHOD-DATA holding the same 12 octets. Measured: Samba 4.17's
 *   KDC answers a disabled account's AS-REQ with KDC_ERR_CLIENT_REVOKED and METHOD-DATA
 *   [PA-ETYPE-INFO2, PA-PW-SALT 72 00 00 c0 00 00 00 00 01 00 00 00] (STATUS_ACCOUNT_DISABLED).
 *   A real salt (RFC 4120 §5.2.7.3) could also be 12 octets, so the value is only read as an
 *   NTSTATUS when its status has the error severity (top two bits set, MS-ERREF §2.3): text
 *   salts never do.
 * Undefined when there is none; malformed e-data throws DecodeError.
 */
export function kerbExtErrorOf(eData: Uint8Array | undefined): { readonly extError: KerbExtError; readonly source: KerbExtErrorSource } | undefined {
  if (eData === undefined) return undefined;
  const opened = classifyEData(eData);
  if (opened.kind === 'KERB-ERROR-DATA') {
    return opened.errorData.extError && { extError: opened.errorData.extError, source: 'KERB-ERROR-DATA' };
  }
  if (opened.kind !== 'METHOD-DATA') return undefined;
  for (const pa of opened.methodData) {
    if (pa.padataType !== PA_PW_SALT || pa.padataValue.length !== 12) continue;
    const extError = decodeKerbExtError(pa.padataValue);
    if (extError.status >>> 30 === 3) return { extError, source: 'PA-PW-SALT' };
  }
  return undefined;
}

const PA_PW_SALT = 3;
