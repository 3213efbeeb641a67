import type { DerReader } from './der-reader.js';
import { application, explicit, sequence, toBytes, type Der } from './der-writer.js';
import { decodeApplicationSequence, decodeSequence, field, makeCodec, optionalField, type Writable } from './der-fields.js';
import { decodeInt32, decodeKerberosString, decodeOctetString, encodeInt32, encodeKerberosString, encodeOctetString } from './basic-types.js';
import { decodeKerberosTime, encodeKerberosTime } from './kerberos-time.js';
import { decodeKerberosFlags, encodeKerberosFlags } from './kerberos-flags.js';
import { encodePrincipalName, readPrincipalName } from './principal-name.js';
import { encodeEncryptionKey, readEncryptionKey } from './encryption-key.js';
import { encodeHostAddresses, readHostAddresses } from './host-address.js';
import { encodeAuthorizationData, readAuthorizationData } from './authorization-data.js';
import { APPLICATION_TAGS } from './ticket.js';
import type { AuthorizationDataEntry, EncryptionKey, HostAddress, PrincipalName } from './types.js';

/**
 * TransitedEncoding ::= SEQUENCE {
 *         tr-type         [0] Int32 -- must be registered --,
 *         contents        [1] OCTET STRING
 * }
 * RFC 4120 §5.3 (tr-type 1 = DOMAIN-X500-COMPRESS, §3.3.3.2).
 */
export interface TransitedEncoding {
  readonly trType: number;
  readonly contents: Uint8Array;
}

export function readTransitedEncoding(r: DerReader): TransitedEncoding {
  return decodeSequence(r, 'TransitedEncoding', (f) => ({
    trType: field(f, 0, 'tr-type', decodeInt32),
    contents: field(f, 1, 'contents', decodeOctetString),
  }));
}

export function encodeTransitedEncoding(t: TransitedEncoding): Der {
  return sequence(explicit(0, encodeInt32(t.trType)), explicit(1, encodeOctetString(t.contents)));
}

/**
 * EncTicketPart   ::= [APPLICATION 3] SEQUENCE {
 *         flags                   [0] TicketFlags,
 *         key                     [1] EncryptionKey,
 *         crealm                  [2] Realm,
 *         cname                   [3] PrincipalName,
 *         transited               [4] TransitedEncoding,
 *         authtime                [5] KerberosTime,
 *         starttime               [6] KerberosTime OPTIONAL,
 *         endtime                 [7] KerberosTime,
 *         renew-till              [8] KerberosTime OPTIONAL,
 *         caddr                   [9] HostAddresses OPTIONAL,
 *         authorization-data      [10] AuthorizationData OPTIONAL
 * }
 * RFC 4120 §5.3. `raw` is the exact DER a decoded record came from: the MS-PAC §2.8.3 ticket
 * signature is computed over an encoding of this structure. Encode always writes from the
 * fields and ignores `raw`.
 */
export interface EncTicketPart {
  readonly flags: number;
  readonly key: EncryptionKey;
  readonly crealm: string;
  readonly cname: PrincipalName;
  readonly transited: TransitedEncoding;
  readonly authtime: Date;
  readonly starttime?: Date;
  readonly endtime: Date;
  readonly renewTill?: Date;
  readonly caddr?: readonly HostAddress[];
  readonly authorizationData?: readonly AuthorizationDataEntry[];
  readonly raw?: Uint8Array;
}

export function readEncTicketPart(r: DerReader): EncTicketPart {
  const start = r.pos;
  const value = decodeApplicationSequence(r, APPLICATION_TAGS.EncTicketPart, 'EncTicketPart', (f) => {
    // Built field by field, in tag order (util's Writable says why).
    const flags = field(f, 0, 'flags', decodeKerberosFlags);
    const key = field(f, 1, 'key', readEncryptionKey);
    const crealm = field(f, 2, 'crealm', decodeKerberosString);
    const cname = field(f, 3, 'cname', readPrincipalName);
    const transited = field(f, 4, 'transited', readTransitedEncoding);
    const authtime = field(f, 5, 'authtime', decodeKerberosTime);
    const starttime = optionalField(f, 6, 'starttime', decodeKerberosTime);
    const endtime = field(f, 7, 'endtime', decodeKerberosTime);
    const renewTill = optionalField(f, 8, 'renew-till', decodeKerberosTime);
    const caddr = optionalField(f, 9, 'caddr', readHostAddresses);
    const authorizationData = optionalField(f, 10, 'authorization-data', readAuthorizationData);
    const out: Writable<EncTicketPart> = { flags, key, crealm, cname, transited, authtime, endtime };
    if (starttime !== undefined) out.starttime = starttime;
    if (renewTill !== undefined) out.renewTill = renewTill;
    if (caddr !== undefined) out.caddr = caddr;
    if (authorizationData !== undefined) out.authorizationData = authorizationData;
    return out;
  });
  value.raw = r.octets(start, r.pos);
  return value;
}

/** Fields [0]–[9]: everything but authorization-data (absent OPTIONAL fields are undefined). */
function encodeHead(p: Omit<EncTicketPart, 'authorizationData' | 'raw'>): readonly (Der | undefined)[] {
  return [
    explicit(0, encodeKerberosFlags(p.flags)),
    explicit(1, encodeEncryptionKey(p.key)),
    explicit(2, encodeKerberosString(p.crealm)),
    explicit(3, encodePrincipalName(p.cname)),
    explicit(4, encodeTransitedEncoding(p.transited)),
    explicit(5, encodeKerberosTime(p.authtime)),
    explicit(6, p.starttime && encodeKerberosTime(p.starttime)),
    explicit(7, encodeKerberosTime(p.endtime)),
    explicit(8, p.renewTill && encodeKerberosTime(p.renewTill)),
    explicit(9, p.caddr && encodeHostAddresses(p.caddr)),
  ];
}

function withAuthorizationData(head: readonly (Der | undefined)[], ad: readonly AuthorizationDataEntry[] | undefined): Der {
  return application(APPLICATION_TAGS.EncTicketPart, sequence(...head, explicit(10, ad && encodeAuthorizationData(ad))));
}

export function encodeEncTicketPart(p: EncTicketPart): Der {
  return withAuthorizationData(encodeHead(p), p.authorizationData);
}

export const encTicketPartCodec = makeCodec('EncTicketPart', readEncTicketPart, encodeEncTicketPart);

/**
 * One EncTicketPart encoded with different authorization-data, fields [0]–[9] encoded once: a KDC
 * encodes each ticket twice, with the PAC as one zero byte for the MS-PAC §2.8.3 ticket signature
 * and then with the signed PAC. Each call's bytes equal encTicketPartCodec.encode of the record
 * with that authorization-data.
 */
export function encTicketPartVariants(p: Omit<EncTicketPart, 'authorizationData' | 'raw'>): (ad: readonly AuthorizationDataEntry[] | undefined) => Uint8Array {
  const head = encodeHead(p);
  return (ad) => toBytes(withAuthorizationData(head, ad));
}
