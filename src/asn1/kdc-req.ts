import type { DerReader } from './der-reader.js';
import { application, explicit, sequence, sequenceOf, type Der } from './der-writer.js';
import {
  decodeApplicationSequence,
  decodeSequence,
  decodeSequenceOf,
  field,
  makeCodec,
  type Codec,
  optionalField,
  type Writable,
} from './der-fields.js';
import {
  decodeFixedInteger,
  decodeInt32,
  decodeKerberosString,
  decodeUInt32,
  encodeInt32,
  encodeKerberosString,
  encodeUInt32AsInt32,
} from './basic-types.js';
import { decodeKerberosTime, encodeKerberosTime } from './kerberos-time.js';
import { decodeKerberosFlags, encodeKerberosFlags } from './kerberos-flags.js';
import { encodePrincipalName, readPrincipalName } from './principal-name.js';
import { encodeEncryptedData, readEncryptedData } from './encryption-key.js';
import { encodeHostAddresses, readHostAddresses } from './host-address.js';
import { APPLICATION_TAGS, KRB5_PVNO, encodeTicket, readTicket } from './ticket.js';
import { MESSAGE_TYPES } from './krb-cred.js';
import { encodePaDataList, readPaDataList } from './pa-data.js';
import type { EncryptedData, HostAddress, PaData, PrincipalName, Ticket } from './types.js';

/**
 * KDC-REQ-BODY    ::= SEQUENCE {
 *         kdc-options             [0] KDCOptions,
 *         cname                   [1] PrincipalName OPTIONAL
 *                                     -- Used only in AS-REQ --,
 *         realm                   [2] Realm
 *                                     -- Server's realm
 *                                     -- Also client's in AS-REQ --,
 *         sname                   [3] PrincipalName OPTIONAL,
 *         from                    [4] KerberosTime OPTIONAL,
 *         till                    [5] KerberosTime,
 *         rtime                   [6] KerberosTime OPTIONAL,
 *         nonce                   [7] UInt32,
 *         etype                   [8] SEQUENCE OF Int32 -- EncryptionType
 *                                     -- in preference order --,
 *         addresses               [9] HostAddresses OPTIONAL,
 *         enc-authorization-data  [10] EncryptedData OPTIONAL
 *                                     -- AuthorizationData --,
 *         additional-tickets      [11] SEQUENCE OF Ticket OPTIONAL
 *                                        -- NOTE: not empty
 * }
 * RFC 4120 §5.4.1. `raw` holds the exact DER of a decoded body: the TGS-REQ authenticator's
 * checksum (key usage 6) and FAST's request checksum are computed over those octets, so a
 * verifier must use `raw`, never a re-encoding. Encode writes from the fields and ignores `raw`.
 * The nonce is written as a signed 32-bit INTEGER: MIT decodes nonce as Int32 and refuses the
 * 5-octet form.
 */
export interface KdcReqBody {
  readonly kdcOptions: number;
  readonly cname?: PrincipalName;
  readonly realm: string;
  readonly sname?: PrincipalName;
  readonly from?: Date;
  readonly till: Date;
  readonly rtime?: Date;
  readonly nonce: number;
  readonly etype: readonly number[];
  readonly addresses?: readonly HostAddress[];
  readonly encAuthorizationData?: EncryptedData;
  readonly additionalTickets?: readonly Ticket[];
  readonly raw?: Uint8Array;
}

export function readKdcReqBody(r: DerReader): KdcReqBody {
  const start = r.pos;
  const body = decodeSequence(r, 'KDC-REQ-BODY', (f) => {
    // Read in tag order; the record is built field by field (util's Writable says why).
    const kdcOptions = field(f, 0, 'kdc-options', decodeKerberosFlags);
    const cname = optionalField(f, 1, 'cname', readPrincipalName);
    const realm = field(f, 2, 'realm', decodeKerberosString);
    const sname = optionalField(f, 3, 'sname', readPrincipalName);
    const from = optionalField(f, 4, 'from', decodeKerberosTime);
    const till = field(f, 5, 'till', decodeKerberosTime);
    const rtime = optionalField(f, 6, 'rtime', decodeKerberosTime);
    const nonce = field(f, 7, 'nonce', decodeUInt32);
    const etype = field(f, 8, 'etype', (x) => decodeSequenceOf(x, 'Int32', decodeInt32));
    const addresses = optionalField(f, 9, 'addresses', readHostAddresses);
    const encAuthorizationData = optionalField(f, 10, 'enc-authorization-data', readEncryptedData);
    const additionalTickets = optionalField(f, 11, 'additional-tickets', (x) => decodeSequenceOf(x, 'Ticket', readTicket));
    const out: Writable<KdcReqBody> = { kdcOptions, realm, till, nonce, etype };
    if (cname !== undefined) out.cname = cname;
    if (sname !== undefined) out.sname = sname;
    if (from !== undefined) out.from = from;
    if (rtime !== undefined) out.rtime = rtime;
    if (addresses !== undefined) out.addresses = addresses;
    if (encAuthorizationData !== undefined) out.encAuthorizationData = encAuthorizationData;
    if (additionalTickets !== undefined) out.additionalTickets = additionalTickets;
    return out;
  });
  body.raw = r.octets(start, r.pos);
  return body;
}

export function encodeKdcReqBody(b: KdcReqBody): Der {
  return sequence(
    explicit(0, encodeKerberosFlags(b.kdcOptions)),
    explicit(1, b.cname && encodePrincipalName(b.cname)),
    explicit(2, encodeKerberosString(b.realm)),
    explicit(3, b.sname && encodePrincipalName(b.sname)),
    explicit(4, b.from && encodeKerberosTime(b.from)),
    explicit(5, encodeKerberosTime(b.till)),
    explicit(6, b.rtime && encodeKerberosTime(b.rtime)),
    explicit(7, encodeUInt32AsInt32(b.nonce)),
    explicit(8, sequenceOf(b.etype, encodeInt32)),
    explicit(9, b.addresses && encodeHostAddresses(b.addresses)),
    explicit(10, b.encAuthorizationData && encodeEncryptedData(b.encAuthorizationData)),
    explicit(11, b.additionalTickets && sequenceOf(b.additionalTickets, encodeTicket)),
  );
}

export const kdcReqBodyCodec = makeCodec('KDC-REQ-BODY', readKdcReqBody, encodeKdcReqBody);

/**
 * KDC-REQ         ::= SEQUENCE {
 *         -- NOTE: first tag is [1], not [0]
 *         pvno            [1] INTEGER (5) ,
 *         msg-type        [2] INTEGER (10 -- AS -- | 12 -- TGS --),
 *         padata          [3] SEQUENCE OF PA-DATA OPTIONAL
 *                             -- NOTE: not empty --,
 *         req-body        [4] KDC-REQ-BODY
 * }
 * AS-REQ ::= [APPLICATION 10] KDC-REQ;  TGS-REQ ::= [APPLICATION 12] KDC-REQ
 * RFC 4120 §5.4.1. pvno must be 5 and msg-type must match the APPLICATION tag.
 */
export interface KdcReq {
  readonly padata?: readonly PaData[];
  readonly reqBody: KdcReqBody;
}
export type AsReq = KdcReq;
export type TgsReq = KdcReq;

function kdcReqCodec(name: 'AS-REQ' | 'TGS-REQ'): Codec<KdcReq> {
  const tag = APPLICATION_TAGS[name];
  const msgType = name === 'AS-REQ' ? MESSAGE_TYPES.KRB_AS_REQ : MESSAGE_TYPES.KRB_TGS_REQ;
  return makeCodec<KdcReq>(
    name,
    (r) =>
      decodeApplicationSequence(r, tag, name, (f) => {
        field(f, 1, 'pvno', (x) => decodeFixedInteger(x, KRB5_PVNO));
        field(f, 2, 'msg-type', (x) => decodeFixedInteger(x, msgType));
        const padata = optionalField(f, 3, 'padata', readPaDataList);
        const reqBody = field(f, 4, 'req-body', readKdcReqBody);
        return padata === undefined ? { reqBody } : { padata, reqBody };
      }),
    (v) =>
      application(
        tag,
        sequence(
          explicit(1, encodeInt32(KRB5_PVNO)),
          explicit(2, encodeInt32(msgType)),
          explicit(3, v.padata && encodePaDataList(v.padata)),
          explicit(4, encodeKdcReqBody(v.reqBody)),
        ),
      ),
  );
}

export const asReqCodec = kdcReqCodec('AS-REQ');
export const tgsReqCodec = kdcReqCodec('TGS-REQ');
