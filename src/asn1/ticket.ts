import type { DerReader } from './der-reader.js';
import { application, explicit, sequence, type Der } from './der-writer.js';
import { decodeApplicationSequence, field, makeCodec } from './der-fields.js';
import { decodeInt32, decodeKerberosString, encodeInt32, encodeKerberosString } from './basic-types.js';
import { encodePrincipalName, readPrincipalName } from './principal-name.js';
import { encodeEncryptedData, readEncryptedData } from './encryption-key.js';
import type { Ticket } from './types.js';

/** APPLICATION tag numbers of RFC 4120 §5 and RFC 6113 messages and encrypted parts. */
export const APPLICATION_TAGS = {
  Ticket: 1,
  Authenticator: 2,
  EncTicketPart: 3,
  'AS-REQ': 10,
  'AS-REP': 11,
  'TGS-REQ': 12,
  'TGS-REP': 13,
  'AP-REQ': 14,
  'AP-REP': 15,
  'KRB-SAFE': 20,
  'KRB-PRIV': 21,
  'KRB-CRED': 22,
  EncASRepPart: 25,
  EncTGSRepPart: 26,
  EncAPRepPart: 27,
  EncKrbPrivPart: 28,
  EncKrbCredPart: 29,
  'KRB-ERROR': 30,
} as const;
export type ApplicationTagName = keyof typeof APPLICATION_TAGS;

/** pvno / tkt-vno / authenticator-vno of Kerberos 5 (RFC 4120 §5.3). */
export const KRB5_PVNO = 5;

/**
 * Ticket ::= [APPLICATION 1] SEQUENCE {
 *         tkt-vno         [0] INTEGER (5),
 *         realm           [1] Realm,
 *         sname           [2] PrincipalName,
 *         enc-part        [3] EncryptedData -- EncTicketPart
 * }
 * RFC 4120 §5.3. tkt-vno is returned as found (the record carries it); checking that it is 5
 * is the ticket consumer's job (KRB_AP_ERR_BADVERSION), not a decoding failure.
 */
export function readTicket(r: DerReader): Ticket {
  return decodeApplicationSequence(r, APPLICATION_TAGS.Ticket, 'Ticket', (f) => ({
    tktVno: field(f, 0, 'tkt-vno', decodeInt32),
    realm: field(f, 1, 'realm', decodeKerberosString),
    sname: field(f, 2, 'sname', readPrincipalName),
    encPart: field(f, 3, 'enc-part', readEncryptedData),
  }));
}

export function encodeTicket(t: Ticket): Der {
  return application(
    APPLICATION_TAGS.Ticket,
    sequence(
      explicit(0, encodeInt32(t.tktVno)),
      explicit(1, encodeKerberosString(t.realm)),
      explicit(2, encodePrincipalName(t.sname)),
      explicit(3, encodeEncryptedData(t.encPart)),
    ),
  );
}

export const ticketCodec = makeCodec('Ticket', readTicket, encodeTicket);
