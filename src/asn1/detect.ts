import { DecodeError } from '../errors/index.js';
import { DerReader } from './der-reader.js';
import { APPLICATION_TAGS, ticketCodec, type ApplicationTagName } from './ticket.js';
import { apReqCodec, authenticatorCodec, type ApReq, type Authenticator } from './ap-req.js';
import { apRepCodec, encApRepPartCodec, type ApRep, type EncApRepPart } from './ap-rep.js';
import { encTicketPartCodec, type EncTicketPart } from './enc-ticket-part.js';
import { asReqCodec, tgsReqCodec, type KdcReq } from './kdc-req.js';
import { asRepCodec, encKdcRepPartCodec, tgsRepCodec, type EncKdcRepPart, type KdcRep } from './kdc-rep.js';
import { encKrbCredPartCodec, krbCredCodec, type EncKrbCredPart, type KrbCred } from './krb-cred.js';
import { krbErrorCodec, type KrbErrorMessage } from './krb-error.js';
import type { Ticket } from './types.js';

const NAME_BY_TAG: ReadonlyMap<number, ApplicationTagName> = new Map(
  (Object.entries(APPLICATION_TAGS) as [ApplicationTagName, number][]).map(([name, n]) => [0x60 | n, name]),
);

/**
 * Which RFC 4120 message or encrypted part `bytes` is, from its [APPLICATION n] tag (§5.10),
 * provided the outer element's length is well-formed DER and covers the input exactly.
 * Returns undefined otherwise; the contents are not checked (decode with the matching codec).
 */
export function detectMessage(bytes: Uint8Array): ApplicationTagName | undefined {
  const name = bytes.length > 0 ? NAME_BY_TAG.get(bytes[0]!) : undefined;
  if (name === undefined) return undefined;
  const r = DerReader.of(bytes, name);
  try {
    r.readAny();
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
  return r.atEnd() ? name : undefined;
}

/** A decoded message or encrypted part, tagged with its RFC 4120 name. */
export type AnyMessage =
  | { readonly kind: 'Ticket'; readonly value: Ticket }
  | { readonly kind: 'Authenticator'; readonly value: Authenticator }
  | { readonly kind: 'EncTicketPart'; readonly value: EncTicketPart }
  | { readonly kind: 'AS-REQ' | 'TGS-REQ'; readonly value: KdcReq }
  | { readonly kind: 'AS-REP' | 'TGS-REP'; readonly value: KdcRep }
  | { readonly kind: 'EncASRepPart' | 'EncTGSRepPart'; readonly value: EncKdcRepPart }
  | { readonly kind: 'AP-REQ'; readonly value: ApReq }
  | { readonly kind: 'AP-REP'; readonly value: ApRep }
  | { readonly kind: 'EncAPRepPart'; readonly value: EncApRepPart }
  | { readonly kind: 'KRB-CRED'; readonly value: KrbCred }
  | { readonly kind: 'EncKrbCredPart'; readonly value: EncKrbCredPart }
  | { readonly kind: 'KRB-ERROR'; readonly value: KrbErrorMessage };

/**
 * Detects and decodes in one step. Undefined when {@link detectMessage} finds nothing or names a
 * type this module has no codec for (KRB-SAFE, KRB-PRIV, EncKrbPrivPart); a recognised type
 * whose contents are bad throws DecodeError.
 */
export function decodeMessage(bytes: Uint8Array): AnyMessage | undefined {
  const kind = detectMessage(bytes);
  switch (kind) {
    case 'Ticket':
      return { kind, value: ticketCodec.decode(bytes) };
    case 'Authenticator':
      return { kind, value: authenticatorCodec.decode(bytes) };
    case 'EncTicketPart':
      return { kind, value: encTicketPartCodec.decode(bytes) };
    case 'AS-REQ':
      return { kind, value: asReqCodec.decode(bytes) };
    case 'TGS-REQ':
      return { kind, value: tgsReqCodec.decode(bytes) };
    case 'AS-REP':
      return { kind, value: asRepCodec.decode(bytes) };
    case 'TGS-REP':
      return { kind, value: tgsRepCodec.decode(bytes) };
    case 'EncASRepPart':
    case 'EncTGSRepPart':
      return { kind, value: encKdcRepPartCodec.decode(bytes) };
    case 'AP-REQ':
      return { kind, value: apReqCodec.decode(bytes) };
    case 'AP-REP':
      return { kind, value: apRepCodec.decode(bytes) };
    case 'EncAPRepPart':
      return { kind, value: encApRepPartCodec.decode(bytes) };
    case 'KRB-CRED':
      return { kind, value: krbCredCodec.decode(bytes) };
    case 'EncKrbCredPart':
      return { kind, value: encKrbCredPartCodec.decode(bytes) };
    case 'KRB-ERROR':
      return { kind, value: krbErrorCodec.decode(bytes) };
    default:
      return undefined;
  }
}
