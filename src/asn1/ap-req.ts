import type { DerReader } from './der-reader.js';
import { application, explicit, sequence, type Der } from './der-writer.js';
import { decodeApplicationSequence, field, makeCodec, optionalField, type Writable } from './der-fields.js';
import {
  decodeFixedInteger,
  decodeKerberosString,
  decodeMicroseconds,
  decodeUInt32,
  encodeInt32,
  encodeKerberosString,
  encodeMicroseconds,
  encodeUInt32AsInt32,
} from './basic-types.js';
import { decodeKerberosTime, encodeKerberosTime } from './kerberos-time.js';
import { decodeKerberosFlags, encodeKerberosFlags } from './kerberos-flags.js';
import { encodePrincipalName, readPrincipalName } from './principal-name.js';
import { encodeEncryptedData, encodeEncryptionKey, readEncryptedData, readEncryptionKey } from './encryption-key.js';
import { encodeChecksum, readChecksum, type Checksum } from './checksum.js';
import { encodeAuthorizationData, readAuthorizationData } from './authorization-data.js';
import { APPLICATION_TAGS, KRB5_PVNO, encodeTicket, readTicket } from './ticket.js';
import { MESSAGE_TYPES } from './krb-cred.js';
import type { AuthorizationDataEntry, EncryptedData, EncryptionKey, PrincipalName, Ticket } from './types.js';

/**
 * AP-REQ          ::= [APPLICATION 14] SEQUENCE {
 *         pvno            [0] INTEGER (5),
 *         msg-type        [1] INTEGER (14),
 *         ap-options      [2] APOptions,
 *         ticket          [3] Ticket,
 *         authenticator   [4] EncryptedData -- Authenticator
 * }
 * RFC 4120 §5.5.1. Also the value of PA-TGS-REQ (RFC 4120 §5.2.7.1).
 */
export interface ApReq {
  readonly apOptions: number;
  readonly ticket: Ticket;
  readonly authenticator: EncryptedData;
}

export function readApReq(r: DerReader): ApReq {
  return decodeApplicationSequence(r, APPLICATION_TAGS['AP-REQ'], 'AP-REQ', (f) => {
    field(f, 0, 'pvno', (x) => decodeFixedInteger(x, KRB5_PVNO));
    field(f, 1, 'msg-type', (x) => decodeFixedInteger(x, MESSAGE_TYPES.KRB_AP_REQ));
    return {
      apOptions: field(f, 2, 'ap-options', decodeKerberosFlags),
      ticket: field(f, 3, 'ticket', readTicket),
      authenticator: field(f, 4, 'authenticator', readEncryptedData),
    };
  });
}

export function encodeApReq(v: ApReq): Der {
  return application(
    APPLICATION_TAGS['AP-REQ'],
    sequence(
      explicit(0, encodeInt32(KRB5_PVNO)),
      explicit(1, encodeInt32(MESSAGE_TYPES.KRB_AP_REQ)),
      explicit(2, encodeKerberosFlags(v.apOptions)),
      explicit(3, encodeTicket(v.ticket)),
      explicit(4, encodeEncryptedData(v.authenticator)),
    ),
  );
}

export const apReqCodec = makeCodec('AP-REQ', readApReq, encodeApReq);

/**
 * Authenticator   ::= [APPLICATION 2] SEQUENCE  {
 *         authenticator-vno       [0] INTEGER (5),
 *         crealm                  [1] Realm,
 *         cname                   [2] PrincipalName,
 *         cksum                   [3] Checksum OPTIONAL,
 *         cusec                   [4] Microseconds,
 *         ctime                   [5] KerberosTime,
 *         subkey                  [6] EncryptionKey OPTIONAL,
 *         seq-number              [7] UInt32 OPTIONAL,
 *         authorization-data      [8] AuthorizationData OPTIONAL
 * }
 * RFC 4120 §5.5.1. In a TGS-REQ, cksum covers the DER KDC-REQ-BODY (key usage 6).
 */
export interface Authenticator {
  readonly crealm: string;
  readonly cname: PrincipalName;
  readonly cksum?: Checksum;
  readonly cusec: number;
  readonly ctime: Date;
  readonly subkey?: EncryptionKey;
  readonly seqNumber?: number;
  readonly authorizationData?: readonly AuthorizationDataEntry[];
}

export function readAuthenticator(r: DerReader): Authenticator {
  return decodeApplicationSequence(r, APPLICATION_TAGS.Authenticator, 'Authenticator', (f) => {
    field(f, 0, 'authenticator-vno', (x) => decodeFixedInteger(x, KRB5_PVNO));
    // Built field by field, in tag order (util's Writable says why).
    const crealm = field(f, 1, 'crealm', decodeKerberosString);
    const cname = field(f, 2, 'cname', readPrincipalName);
    const cksum = optionalField(f, 3, 'cksum', readChecksum);
    const cusec = field(f, 4, 'cusec', decodeMicroseconds);
    const ctime = field(f, 5, 'ctime', decodeKerberosTime);
    const subkey = optionalField(f, 6, 'subkey', readEncryptionKey);
    const seqNumber = optionalField(f, 7, 'seq-number', decodeUInt32);
    const authorizationData = optionalField(f, 8, 'authorization-data', readAuthorizationData);
    const out: Writable<Authenticator> = { crealm, cname, cusec, ctime };
    if (cksum !== undefined) out.cksum = cksum;
    if (subkey !== undefined) out.subkey = subkey;
    if (seqNumber !== undefined) out.seqNumber = seqNumber;
    if (authorizationData !== undefined) out.authorizationData = authorizationData;
    return out;
  });
}

export function encodeAuthenticator(a: Authenticator): Der {
  return application(
    APPLICATION_TAGS.Authenticator,
    sequence(
      explicit(0, encodeInt32(KRB5_PVNO)),
      explicit(1, encodeKerberosString(a.crealm)),
      explicit(2, encodePrincipalName(a.cname)),
      explicit(3, a.cksum && encodeChecksum(a.cksum)),
      explicit(4, encodeMicroseconds(a.cusec)),
      explicit(5, encodeKerberosTime(a.ctime)),
      explicit(6, a.subkey && encodeEncryptionKey(a.subkey)),
      explicit(7, a.seqNumber === undefined ? undefined : encodeUInt32AsInt32(a.seqNumber)),
      explicit(8, a.authorizationData && encodeAuthorizationData(a.authorizationData)),
    ),
  );
}

export const authenticatorCodec = makeCodec('Authenticator', readAuthenticator, encodeAuthenticator);
