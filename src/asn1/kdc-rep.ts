import type { DerReader } from './der-reader.js';
import { applicationTag } from './der-reader.js';
import { application, explicit, sequence, sequenceOf, type Der } from './der-writer.js';
import {
  compact,
  decodeApplicationSequence,
  decodeSequence,
  decodeSequenceOf,
  field,
  makeCodec,
  type Codec,
  optionalField,
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
import { encodeEncryptedData, encodeEncryptionKey, readEncryptedData, readEncryptionKey } from './encryption-key.js';
import { encodeHostAddresses, readHostAddresses } from './host-address.js';
import { APPLICATION_TAGS, KRB5_PVNO, encodeTicket, readTicket } from './ticket.js';
import { MESSAGE_TYPES } from './krb-cred.js';
import { encodePaDataList, readPaDataList } from './pa-data.js';
import type { EncryptedData, EncryptionKey, HostAddress, PaData, PrincipalName, Ticket } from './types.js';

/**
 * KDC-REP         ::= SEQUENCE {
 *         pvno            [0] INTEGER (5),
 *         msg-type        [1] INTEGER (11 -- AS -- | 13 -- TGS --),
 *         padata          [2] SEQUENCE OF PA-DATA OPTIONAL
 *                                 -- NOTE: not empty --,
 *         crealm          [3] Realm,
 *         cname           [4] PrincipalName,
 *         ticket          [5] Ticket,
 *         enc-part        [6] EncryptedData
 *                                 -- EncASRepPart or EncTGSRepPart,
 *                                 -- as appropriate
 * }
 * AS-REP ::= [APPLICATION 11] KDC-REP;  TGS-REP ::= [APPLICATION 13] KDC-REP
 * RFC 4120 §5.4.2.
 */
export interface KdcRep {
  readonly padata?: readonly PaData[];
  readonly crealm: string;
  readonly cname: PrincipalName;
  readonly ticket: Ticket;
  readonly encPart: EncryptedData;
}
export type AsRep = KdcRep;
export type TgsRep = KdcRep;

function kdcRepCodec(name: 'AS-REP' | 'TGS-REP'): Codec<KdcRep> {
  const tag = APPLICATION_TAGS[name];
  const msgType = name === 'AS-REP' ? MESSAGE_TYPES.KRB_AS_REP : MESSAGE_TYPES.KRB_TGS_REP;
  return makeCodec<KdcRep>(
    name,
    (r) =>
      decodeApplicationSequence(r, tag, name, (f) => {
        field(f, 0, 'pvno', (x) => decodeFixedInteger(x, KRB5_PVNO));
        field(f, 1, 'msg-type', (x) => decodeFixedInteger(x, msgType));
        return compact({
          padata: optionalField(f, 2, 'padata', readPaDataList),
          crealm: field(f, 3, 'crealm', decodeKerberosString),
          cname: field(f, 4, 'cname', readPrincipalName),
          ticket: field(f, 5, 'ticket', readTicket),
          encPart: field(f, 6, 'enc-part', readEncryptedData),
        });
      }),
    (v) =>
      application(
        tag,
        sequence(
          explicit(0, encodeInt32(KRB5_PVNO)),
          explicit(1, encodeInt32(msgType)),
          explicit(2, v.padata && encodePaDataList(v.padata)),
          explicit(3, encodeKerberosString(v.crealm)),
          explicit(4, encodePrincipalName(v.cname)),
          explicit(5, encodeTicket(v.ticket)),
          explicit(6, encodeEncryptedData(v.encPart)),
        ),
      ),
  );
}

export const asRepCodec = kdcRepCodec('AS-REP');
export const tgsRepCodec = kdcRepCodec('TGS-REP');

/**
 * LastReq         ::=     SEQUENCE OF SEQUENCE {
 *         lr-type         [0] Int32,
 *         lr-value        [1] KerberosTime
 * }
 * RFC 4120 §5.4.2.
 */
export interface LastReqEntry {
  readonly lrType: number;
  readonly lrValue: Date;
}

function readLastReqEntry(r: DerReader): LastReqEntry {
  return decodeSequence(r, 'LastReq element', (f) => ({
    lrType: field(f, 0, 'lr-type', decodeInt32),
    lrValue: field(f, 1, 'lr-value', decodeKerberosTime),
  }));
}

function encodeLastReqEntry(e: LastReqEntry): Der {
  return sequence(explicit(0, encodeInt32(e.lrType)), explicit(1, encodeKerberosTime(e.lrValue)));
}

/** The two APPLICATION tags an EncKDCRepPart travels under. */
export type EncKdcRepPartTag = typeof APPLICATION_TAGS.EncASRepPart | typeof APPLICATION_TAGS.EncTGSRepPart;

/**
 * EncKDCRepPart   ::= SEQUENCE {
 *         key             [0] EncryptionKey,
 *         last-req        [1] LastReq,
 *         nonce           [2] UInt32,
 *         key-expiration  [3] KerberosTime OPTIONAL,
 *         flags           [4] TicketFlags,
 *         authtime        [5] KerberosTime,
 *         starttime       [6] KerberosTime OPTIONAL,
 *         endtime         [7] KerberosTime,
 *         renew-till      [8] KerberosTime OPTIONAL,
 *         srealm          [9] Realm,
 *         sname           [10] PrincipalName,
 *         caddr           [11] HostAddresses OPTIONAL,
 *         encrypted-pa-data [12] SEQUENCE OF PA-DATA OPTIONAL -- RFC 6806 §11
 * }
 * EncASRepPart ::= [APPLICATION 25] EncKDCRepPart
 * EncTGSRepPart ::= [APPLICATION 26] EncKDCRepPart
 * RFC 4120 §5.4.2. Its compatibility note says some implementations send EncTGSRepPart (26)
 * in AS-REPs too (MIT's KDC does) and that receivers MAY relax the tag check; so decode accepts
 * both tags for either reply and records the one it saw in `applicationTag`, and encode writes
 * `applicationTag`. Which tag is acceptable where is the caller's decision.
 */
export interface EncKdcRepPart {
  readonly applicationTag: EncKdcRepPartTag;
  readonly key: EncryptionKey;
  readonly lastReq: readonly LastReqEntry[];
  readonly nonce: number;
  readonly keyExpiration?: Date;
  readonly flags: number;
  readonly authtime: Date;
  readonly starttime?: Date;
  readonly endtime: Date;
  readonly renewTill?: Date;
  readonly srealm: string;
  readonly sname: PrincipalName;
  readonly caddr?: readonly HostAddress[];
  readonly encryptedPaData?: readonly PaData[];
}

function readEncKdcRepPart(r: DerReader): EncKdcRepPart {
  const applicationTagValue: EncKdcRepPartTag =
    r.peekTag() === applicationTag(APPLICATION_TAGS.EncASRepPart) ? APPLICATION_TAGS.EncASRepPart : APPLICATION_TAGS.EncTGSRepPart;
  const name = applicationTagValue === APPLICATION_TAGS.EncASRepPart ? 'EncASRepPart' : 'EncTGSRepPart';
  return decodeApplicationSequence(r, applicationTagValue, name, (f) =>
    compact({
      applicationTag: applicationTagValue,
      key: field(f, 0, 'key', readEncryptionKey),
      lastReq: field(f, 1, 'last-req', (x) => decodeSequenceOf(x, 'LastReq element', readLastReqEntry)),
      nonce: field(f, 2, 'nonce', decodeUInt32),
      keyExpiration: optionalField(f, 3, 'key-expiration', decodeKerberosTime),
      flags: field(f, 4, 'flags', decodeKerberosFlags),
      authtime: field(f, 5, 'authtime', decodeKerberosTime),
      starttime: optionalField(f, 6, 'starttime', decodeKerberosTime),
      endtime: field(f, 7, 'endtime', decodeKerberosTime),
      renewTill: optionalField(f, 8, 'renew-till', decodeKerberosTime),
      srealm: field(f, 9, 'srealm', decodeKerberosString),
      sname: field(f, 10, 'sname', readPrincipalName),
      caddr: optionalField(f, 11, 'caddr', readHostAddresses),
      encryptedPaData: optionalField(f, 12, 'encrypted-pa-data', readPaDataList),
    }),
  );
}

function encodeEncKdcRepPart(p: EncKdcRepPart): Der {
  if (p.applicationTag !== APPLICATION_TAGS.EncASRepPart && p.applicationTag !== APPLICATION_TAGS.EncTGSRepPart) {
    throw new RangeError('EncKDCRepPart.applicationTag must be 25 or 26');
  }
  return application(
    p.applicationTag,
    sequence(
      explicit(0, encodeEncryptionKey(p.key)),
      explicit(1, sequenceOf(p.lastReq, encodeLastReqEntry)),
      explicit(2, encodeUInt32AsInt32(p.nonce)),
      explicit(3, p.keyExpiration && encodeKerberosTime(p.keyExpiration)),
      explicit(4, encodeKerberosFlags(p.flags)),
      explicit(5, encodeKerberosTime(p.authtime)),
      explicit(6, p.starttime && encodeKerberosTime(p.starttime)),
      explicit(7, encodeKerberosTime(p.endtime)),
      explicit(8, p.renewTill && encodeKerberosTime(p.renewTill)),
      explicit(9, encodeKerberosString(p.srealm)),
      explicit(10, encodePrincipalName(p.sname)),
      explicit(11, p.caddr && encodeHostAddresses(p.caddr)),
      explicit(12, p.encryptedPaData && encodePaDataList(p.encryptedPaData)),
    ),
  );
}

export const encKdcRepPartCodec = makeCodec('EncKDCRepPart', readEncKdcRepPart, encodeEncKdcRepPart);
