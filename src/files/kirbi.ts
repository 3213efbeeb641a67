import {
  encKrbCredPartCodec,
  krbCredCodec,
  type EncKrbCredPart,
  type Ticket,
} from '../asn1/index.js';
import { KEY_USAGE, decrypt, etypeName, type Key } from '../crypto/index.js';
import { TgtbridgeError } from '../errors/index.js';

/**
 * .kirbi: a DER KRB-CRED (RFC 4120 §5.8.1) whose enc-part is not encrypted: etype 0 and the
 * DER EncKrbCredPart as the cipher octets. This is "the unencrypted form of KRB-CRED" of
 * RFC 6448 §2 that MIT, Heimdal, Windows (LSA) and Mimikatz/Rubeus/impacket exchange.
 * An encrypted enc-part (etype ≠ 0) is opened with key usage 14 (RFC 4120 §5.8.1).
 */
export interface Kirbi {
  readonly tickets: readonly Ticket[];
  readonly encPart: EncKrbCredPart;
}

/** RFC 6448 §2: the etype of an unencrypted enc-part. */
export const KIRBI_NULL_ETYPE = 0;

/** First octet of a DER KRB-CRED: [APPLICATION 22], constructed. */
export function looksLikeKirbi(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes[0] === 0x76;
}

export function encodeKirbi(k: Kirbi): Uint8Array {
  checkCounts(k);
  return krbCredCodec.encode({
    tickets: k.tickets,
    encPart: { etype: KIRBI_NULL_ETYPE, cipher: encKrbCredPartCodec.encode(k.encPart) },
  });
}

/**
 * Decode a .kirbi or any KRB-CRED. An encrypted enc-part needs `key` (then a wrong key is the
 * IntegrityError of crypto.decrypt); without one the error is ERR_KIRBI_FORMAT naming the etype.
 * DER errors are the asn1 module's DecodeError (ERR_ASN1_DECODE) with their field path.
 */
export function decodeKirbi(bytes: Uint8Array, key?: Key): Kirbi {
  const cred = krbCredCodec.decode(bytes);
  const { etype, kvno, cipher } = cred.encPart;
  let plain: Uint8Array;
  if (etype === KIRBI_NULL_ETYPE) {
    plain = cipher;
  } else if (key === undefined) {
    throw new TgtbridgeError(
      'ERR_KIRBI_FORMAT',
      `KRB-CRED enc-part is encrypted (${etypeName(etype)}${kvno === undefined ? '' : `, kvno ${kvno}`}); a key is needed to read it`,
    );
  } else {
    plain = decrypt(key, KEY_USAGE.KRB_CRED_ENC_PART, cipher);
  }
  const k = { tickets: cred.tickets, encPart: encKrbCredPartCodec.decode(plain) };
  checkCounts(k);
  return k;
}

/** RFC 4120 §5.8.1: ticket-info[i] describes tickets[i]; the two sequences pair up one to one. */
function checkCounts(k: Kirbi): void {
  if (k.tickets.length !== k.encPart.ticketInfo.length) {
    throw new TgtbridgeError(
      'ERR_KIRBI_FORMAT',
      `KRB-CRED has ${k.tickets.length} ticket(s) but ${k.encPart.ticketInfo.length} KrbCredInfo(s)`,
    );
  }
}
