import type { DerReader } from './der-reader.js';
import { application, explicit, sequence, sequenceOf, type Der } from './der-writer.js';
import {
  compact,
  decodeApplicationSequence,
  decodeSequence,
  decodeSequenceOf,
  field,
  makeCodec,
  optionalField,
} from './der-fields.js';
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
import { encodeHostAddress, encodeHostAddresses, readHostAddress, readHostAddresses } from './host-address.js';
import { APPLICATION_TAGS, KRB5_PVNO, encodeTicket, readTicket } from './ticket.js';
import type { EncryptedData, EncryptionKey, HostAddress, PrincipalName, Ticket } from './types.js';

/** msg-type numbers — RFC 4120 §5.10 (equal to the message's APPLICATION tag). */
export const MESSAGE_TYPES = {
  'KRB_AS_REQ': 10,
  'KRB_AS_REP': 11,
  'KRB_TGS_REQ': 12,
  'KRB_TGS_REP': 13,
  'KRB_AP_REQ': 14,
  'KRB_AP_REP': 15,
  'KRB_SAFE': 20,
  'KRB_PRIV': 21,
  'KRB_CRED': 22,
  'KRB_ERROR': 30,
} as const;

/**
 * KRB-CRED        ::= [APPLICATION 22] SEQUENCE {
 *         pvno            [0] INTEGER (5),
 *         msg-type        [1] INTEGER (22),
 *         tickets         [2] SEQUENCE OF Ticket,
 *         enc-part        [3] EncryptedData -- EncKrbCredPart
 * }
 * RFC 4120 §5.8.1. A .kirbi file is one with enc-part etype 0 and the DER EncKrbCredPart as
 * cipher (RFC 6448).
 */
export interface KrbCred {
  readonly tickets: readonly Ticket[];
  readonly encPart: EncryptedData;
}

export function readKrbCred(r: DerReader): KrbCred {
  return decodeApplicationSequence(r, APPLICATION_TAGS['KRB-CRED'], 'KRB-CRED', (f) => {
    field(f, 0, 'pvno', (x) => decodeFixedInteger(x, KRB5_PVNO));
    field(f, 1, 'msg-type', (x) => decodeFixedInteger(x, MESSAGE_TYPES.KRB_CRED));
    return {
      tickets: field(f, 2, 'tickets', (x) => decodeSequenceOf(x, 'Ticket', readTicket)),
      encPart: field(f, 3, 'enc-part', readEncryptedData),
    };
  });
}

export function encodeKrbCred(c: KrbCred): Der {
  return application(
    APPLICATION_TAGS['KRB-CRED'],
    sequence(
      explicit(0, encodeInt32(KRB5_PVNO)),
      explicit(1, encodeInt32(MESSAGE_TYPES.KRB_CRED)),
      explicit(2, sequenceOf(c.tickets, encodeTicket)),
      explicit(3, encodeEncryptedData(c.encPart)),
    ),
  );
}

export const krbCredCodec = makeCodec('KRB-CRED', readKrbCred, encodeKrbCred);

/**
 * KrbCredInfo     ::= SEQUENCE {
 *         key             [0] EncryptionKey,
 *         prealm          [1] Realm OPTIONAL,
 *         pname           [2] PrincipalName OPTIONAL,
 *         flags           [3] TicketFlags OPTIONAL,
 *         authtime        [4] KerberosTime OPTIONAL,
 *         starttime       [5] KerberosTime OPTIONAL,
 *         endtime         [6] KerberosTime OPTIONAL,
 *         renew-till      [7] KerberosTime OPTIONAL,
 *         srealm          [8] Realm OPTIONAL,
 *         sname           [9] PrincipalName OPTIONAL,
 *         caddr           [10] HostAddresses OPTIONAL
 * }
 * RFC 4120 §5.8.1.
 */
export interface KrbCredInfo {
  readonly key: EncryptionKey;
  readonly prealm?: string;
  readonly pname?: PrincipalName;
  readonly flags?: number;
  readonly authtime?: Date;
  readonly starttime?: Date;
  readonly endtime?: Date;
  readonly renewTill?: Date;
  readonly srealm?: string;
  readonly sname?: PrincipalName;
  readonly caddr?: readonly HostAddress[];
}

export function readKrbCredInfo(r: DerReader): KrbCredInfo {
  return decodeSequence(r, 'KrbCredInfo', (f) =>
    compact({
      key: field(f, 0, 'key', readEncryptionKey),
      prealm: optionalField(f, 1, 'prealm', decodeKerberosString),
      pname: optionalField(f, 2, 'pname', readPrincipalName),
      flags: optionalField(f, 3, 'flags', decodeKerberosFlags),
      authtime: optionalField(f, 4, 'authtime', decodeKerberosTime),
      starttime: optionalField(f, 5, 'starttime', decodeKerberosTime),
      endtime: optionalField(f, 6, 'endtime', decodeKerberosTime),
      renewTill: optionalField(f, 7, 'renew-till', decodeKerberosTime),
      srealm: optionalField(f, 8, 'srealm', decodeKerberosString),
      sname: optionalField(f, 9, 'sname', readPrincipalName),
      caddr: optionalField(f, 10, 'caddr', readHostAddresses),
    }),
  );
}

export function encodeKrbCredInfo(i: KrbCredInfo): Der {
  return sequence(
    explicit(0, encodeEncryptionKey(i.key)),
    explicit(1, i.prealm === undefined ? undefined : encodeKerberosString(i.prealm)),
    explicit(2, i.pname && encodePrincipalName(i.pname)),
    explicit(3, i.flags === undefined ? undefined : encodeKerberosFlags(i.flags)),
    explicit(4, i.authtime && encodeKerberosTime(i.authtime)),
    explicit(5, i.starttime && encodeKerberosTime(i.starttime)),
    explicit(6, i.endtime && encodeKerberosTime(i.endtime)),
    explicit(7, i.renewTill && encodeKerberosTime(i.renewTill)),
    explicit(8, i.srealm === undefined ? undefined : encodeKerberosString(i.srealm)),
    explicit(9, i.sname && encodePrincipalName(i.sname)),
    explicit(10, i.caddr && encodeHostAddresses(i.caddr)),
  );
}

export const krbCredInfoCodec = makeCodec('KrbCredInfo', readKrbCredInfo, encodeKrbCredInfo);

/**
 * EncKrbCredPart  ::= [APPLICATION 29] SEQUENCE {
 *         ticket-info     [0] SEQUENCE OF KrbCredInfo,
 *         nonce           [1] UInt32 OPTIONAL,
 *         timestamp       [2] KerberosTime OPTIONAL,
 *         usec            [3] Microseconds OPTIONAL,
 *         s-address       [4] HostAddress OPTIONAL,
 *         r-address       [5] HostAddress OPTIONAL
 * }
 * RFC 4120 §5.8.1.
 */
export interface EncKrbCredPart {
  readonly ticketInfo: readonly KrbCredInfo[];
  readonly nonce?: number;
  readonly timestamp?: Date;
  readonly usec?: number;
  readonly sAddress?: HostAddress;
  readonly rAddress?: HostAddress;
}

export function readEncKrbCredPart(r: DerReader): EncKrbCredPart {
  return decodeApplicationSequence(r, APPLICATION_TAGS.EncKrbCredPart, 'EncKrbCredPart', (f) =>
    compact({
      ticketInfo: field(f, 0, 'ticket-info', (x) => decodeSequenceOf(x, 'KrbCredInfo', readKrbCredInfo)),
      nonce: optionalField(f, 1, 'nonce', decodeUInt32),
      timestamp: optionalField(f, 2, 'timestamp', decodeKerberosTime),
      usec: optionalField(f, 3, 'usec', decodeMicroseconds),
      sAddress: optionalField(f, 4, 's-address', readHostAddress),
      rAddress: optionalField(f, 5, 'r-address', readHostAddress),
    }),
  );
}

export function encodeEncKrbCredPart(p: EncKrbCredPart): Der {
  return application(
    APPLICATION_TAGS.EncKrbCredPart,
    sequence(
      explicit(0, sequenceOf(p.ticketInfo, encodeKrbCredInfo)),
      explicit(1, p.nonce === undefined ? undefined : encodeUInt32AsInt32(p.nonce)),
      explicit(2, p.timestamp && encodeKerberosTime(p.timestamp)),
      explicit(3, p.usec === undefined ? undefined : encodeMicroseconds(p.usec)),
      explicit(4, p.sAddress && encodeHostAddress(p.sAddress)),
      explicit(5, p.rAddress && encodeHostAddress(p.rAddress)),
    ),
  );
}

export const encKrbCredPartCodec = makeCodec('EncKrbCredPart', readEncKrbCredPart, encodeEncKrbCredPart);
