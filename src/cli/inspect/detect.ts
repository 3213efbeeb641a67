import {
  apReqCodec,
  asRepCodec,
  asReqCodec,
  detectMessage,
  krbCredCodec,
  krbErrorCodec,
  tgsRepCodec,
  tgsReqCodec,
  ticketCodec,
  type ApReq,
  type KdcRep,
  type KdcReq,
  type KrbCred,
  type KrbErrorMessage,
  type Ticket,
} from '../../asn1/index.js';
import { DecodeError, TgtbridgeError } from '../../errors/index.js';
import { decodeCcache, decodeKeytab, looksLikeCcache, looksLikeKeytab, type Ccache, type Keytab } from '../../files/index.js';
import { looksLikePac } from './pac-view.js';

/** What `inspect` found. The `kind` strings are part of the --json contract (docs/inspect-json.md). */
export type Detected =
  | { readonly kind: 'ticket'; readonly value: Ticket }
  | { readonly kind: 'as-req' | 'tgs-req'; readonly value: KdcReq }
  | { readonly kind: 'as-rep' | 'tgs-rep'; readonly value: KdcRep }
  | { readonly kind: 'ap-req'; readonly value: ApReq }
  | { readonly kind: 'krb-error'; readonly value: KrbErrorMessage }
  | { readonly kind: 'krb-cred'; readonly value: KrbCred }
  | { readonly kind: 'ccache'; readonly value: Ccache }
  | { readonly kind: 'keytab'; readonly value: Keytab }
  | { readonly kind: 'pac'; readonly value: Uint8Array };

export type Kind = Detected['kind'];

/** First octet of each DER message we read: [APPLICATION n] constructed = 0x60 | n (RFC 4120 §5.10). */
const BY_FIRST_OCTET: Readonly<Record<number, { readonly kind: Kind; readonly expected: string; readonly decode: (b: Uint8Array) => Detected }>> = {
  0x61: { kind: 'ticket', expected: 'DER Ticket', decode: (b) => ({ kind: 'ticket', value: ticketCodec.decode(b) }) },
  0x6a: { kind: 'as-req', expected: 'DER AS-REQ', decode: (b) => ({ kind: 'as-req', value: asReqCodec.decode(b) }) },
  0x6b: { kind: 'as-rep', expected: 'DER AS-REP', decode: (b) => ({ kind: 'as-rep', value: asRepCodec.decode(b) }) },
  0x6c: { kind: 'tgs-req', expected: 'DER TGS-REQ', decode: (b) => ({ kind: 'tgs-req', value: tgsReqCodec.decode(b) }) },
  0x6d: { kind: 'tgs-rep', expected: 'DER TGS-REP', decode: (b) => ({ kind: 'tgs-rep', value: tgsRepCodec.decode(b) }) },
  0x6e: { kind: 'ap-req', expected: 'DER AP-REQ', decode: (b) => ({ kind: 'ap-req', value: apReqCodec.decode(b) }) },
  0x76: { kind: 'krb-cred', expected: 'DER KRB-CRED', decode: (b) => ({ kind: 'krb-cred', value: krbCredCodec.decode(b) }) },
  0x7e: { kind: 'krb-error', expected: 'DER KRB-ERROR', decode: (b) => ({ kind: 'krb-error', value: krbErrorCodec.decode(b) }) },
};

/**
 * Decide what the bytes are and decode them. The format is chosen from the leading octets, and
 * then decoded strictly: a damaged file of a recognised format gets that format's error (with
 * its field path and offset), not "unknown format". The returned `expected` names the format
 * for error lines.
 */
export function detect(bytes: Uint8Array, onExpected: (what: string) => void): Detected {
  const der = BY_FIRST_OCTET[bytes[0]!];
  if (der) {
    onExpected(der.expected);
    return der.decode(bytes);
  }
  if (bytes[0] === 0x05 && looksLikeCcache(bytes)) {
    // 05 01 / 05 02 begin both a ccache (v1/v2) and a keytab; keytabs are by far the commoner.
    if (looksLikeKeytab(bytes)) {
      onExpected('keytab');
      try {
        return { kind: 'keytab', value: decodeKeytab(bytes) };
      } catch (keytabError) {
        try {
          return { kind: 'ccache', value: decodeCcache(bytes) };
        } catch (ccacheError) {
          // Neither: the file is most likely the format that read further before it broke (a
          // truncated v2 ccache fails as a keytab at byte 6, as a ccache where it was cut).
          if (ccacheError instanceof DecodeError && keytabError instanceof DecodeError && ccacheError.offset > keytabError.offset) {
            onExpected('ccache');
            throw ccacheError;
          }
          throw keytabError;
        }
      }
    }
    onExpected('ccache');
    return { kind: 'ccache', value: decodeCcache(bytes) };
  }
  if (looksLikePac(bytes)) {
    onExpected('PAC');
    return { kind: 'pac', value: bytes };
  }
  const other = detectMessage(bytes);
  const head = Buffer.from(bytes.subarray(0, 8)).toString('hex').replace(/(..)/g, '$1 ').trim();
  throw new TgtbridgeError(
    'ERR_UNKNOWN_FORMAT',
    `unknown format${other ? ` (a DER ${other}, which inspect does not show)` : ''} at byte 0 (starts ${head}); expected a DER Ticket, AS-REQ/REP, TGS-REQ/REP, AP-REQ, KRB-ERROR or KRB-CRED, a ccache, a keytab or a PAC`,
  );
}
