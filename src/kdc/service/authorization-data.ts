import { AD_TYPES, authorizationDataCodec, decodeAdIfRelevant, MAX_AD_NESTING, type AuthorizationDataEntry } from '../../asn1/index.js';
import { decrypt, KEY_USAGE } from '../../crypto/index.js';
import { KrbError, TgtbridgeError } from '../../errors/index.js';
import { must, type TgsGuard, type TgsState } from './tgs-state.js';

/**
 * ad-types only a KDC puts into a ticket, so never taken from a client's enc-authorization-data nor
 * passed on from a TGT (the new ticket gets its own PAC): AD-KDC-ISSUED (RFC 4120 §5.2.6.2),
 * AD-WIN2K-PAC (MS-PAC §2), CAMMAC (RFC 7751) and MIT's AUTH-INDICATOR and SIGNTICKET — the list
 * MIT krb5kdc filters (kdc_authdata.c) — and the elements in which a KDC vouches for how the client
 * authenticated: AD-INITIAL-VERIFIED-CAS (RFC 4556 §3.6), AD-AUTHENTICATION-STRENGTH and
 * AD-fx-fast-used (RFC 6113 §5.4.2), which a client could otherwise claim for itself. A PAC offered
 * by the client and kept beside ours is the MS14-068 pattern: Samba 4.17 copies it (measured: a
 * ticket with two PACs).
 */
const KDC_ISSUED: ReadonlySet<number> = new Set([
  AD_TYPES['AD-KDC-ISSUED'],
  AD_TYPES['AD-WIN2K-PAC'],
  96, // CAMMAC
  97, // AUTH-INDICATOR (MIT)
  512, // SIGNTICKET (MIT)
  AD_TYPES['AD-INITIAL-VERIFIED-CAS'],
  AD_TYPES['AD-AUTHENTICATION-STRENGTH'],
  AD_TYPES['AD-FX-FAST-USED'],
]);

/**
 * Most octets of carried elements (ad-data summed) a ticket takes besides its PAC. Neither RFC 4120
 * nor Samba or MIT bound it; without a bound a client grows its TGT, renewal after renewal, up to
 * the 64 KiB request limit, and every TGT in use is kept decrypted in the verified-TGT cache (2,048
 * of them). Restrictions clients ask for are tens of octets.
 */
const MAX_CARRIED_OCTETS = 4096;

function refuse(code: KrbError['code'], eText: string): never {
  throw new KrbError(code, eText, { eText });
}

/**
 * Whether an element is or holds (inside AD-IF-RELEVANT, at any depth findPacs looks) a KDC-issued
 * type. Containers that do not decode, or nest deeper than MAX_AD_NESTING, throw: a ticket carrying
 * one could not be read again by this KDC (extractPac) nor by a strict service.
 */
function isKdcIssued(entry: AuthorizationDataEntry, depth: number): boolean {
  if (KDC_ISSUED.has(entry.adType)) return true;
  if (entry.adType !== AD_TYPES['AD-IF-RELEVANT']) return false;
  if (depth >= MAX_AD_NESTING) throw new TgtbridgeError('ERR_ASN1_DECODE', `AD-IF-RELEVANT nested deeper than ${MAX_AD_NESTING}`);
  return decodeAdIfRelevant(entry).some((inner) => isKdcIssued(inner, depth + 1));
}

/**
 * The elements passed on to the new ticket. AD-MANDATORY-FOR-KDC holds elements the KDC must
 * understand or refuse (RFC 4120 §5.2.6.4); this KDC interprets none → KDC_ERR_POLICY, as MIT
 * krb5kdc (Samba 4.17 copies it, measured).
 */
function carried(entries: readonly AuthorizationDataEntry[]): AuthorizationDataEntry[] {
  if (entries.some((e) => e.adType === AD_TYPES['AD-MANDATORY-FOR-KDC'])) refuse('KDC_ERR_POLICY', 'AD-MANDATORY-FOR-KDC holds elements this KDC does not interpret');
  return entries.filter((e) => !isKdcIssued(e, 0));
}

/**
 * The request's enc-authorization-data (RFC 4120 §5.4.1): under the authenticator subkey with
 * usage 5 when there is one, else under the TGT session key with usage 4. No fallback from one to
 * the other (MIT tries both; Samba 4.17 does not: the session key beside a subkey, or usage 5
 * without one → 31, measured). Not decrypting or not an AuthorizationData → KRB_AP_ERR_BAD_INTEGRITY
 * (Samba: 31 for both).
 */
function requested(s: TgsState): readonly AuthorizationDataEntry[] {
  const enc = s.req.reqBody.encAuthorizationData;
  if (enc === undefined) return [];
  const key = s.subkey ?? must(s.sessionKey, 'session key');
  const usage = s.subkey !== undefined ? KEY_USAGE.TGS_REQ_AD_SUBKEY : KEY_USAGE.TGS_REQ_AD_SESSION_KEY;
  try {
    if (enc.etype !== key.etype) throw new TgtbridgeError('ERR_CRYPTO_KEY', 'etype');
    return authorizationDataCodec.decode(decrypt(key, usage, enc.cipher));
  } catch (e) {
    if (e instanceof TgtbridgeError) refuse('KRB_AP_ERR_BAD_INTEGRITY', `enc-authorization-data does not decrypt under the ${s.subkey !== undefined ? 'authenticator subkey (usage 5)' : 'TGT session key (usage 4)'} to an AuthorizationData`);
    throw e;
  }
}

/**
 * carried() of a TGT's authorization data, per decoded EncTicketPart: a TGT from the verified-TGT
 * cache (tgt-cache.ts) is the same object on every request, and decoding its PAC's AD-IF-RELEVANT
 * again each time cost 5–10% of a TGT → cifs request (profile-kdc). Refusals are not kept: they are
 * thrown anew.
 */
const carriedFromTgt = new WeakMap<readonly AuthorizationDataEntry[], AuthorizationDataEntry[]>();

function carriedOfTgt(fromTgt: readonly AuthorizationDataEntry[]): AuthorizationDataEntry[] {
  let out = carriedFromTgt.get(fromTgt);
  if (out === undefined) carriedFromTgt.set(fromTgt, (out = carried(fromTgt)));
  return out;
}

export const AUTHORIZATION_DATA_GUARDS: readonly TgsGuard[] = [
  // The new ticket's authorization data besides its PAC (RFC 4120 §3.3.3): the presented TGT's
  // elements, then the request's, each without KDC-issued types — MIT krb5kdc's rule. Restrictions a
  // client put into its TGT so reach its service tickets (Samba 4.17 drops the TGT's, measured).
  // A container that does not decode → KRB_AP_ERR_BAD_INTEGRITY, as an undecodable request AD.
  (s) => {
    const fromTgt = must(s.enc, 'EncTicketPart').authorizationData;
    const fromRequest = requested(s);
    let all: AuthorizationDataEntry[];
    try {
      all = [...(fromTgt === undefined ? [] : carriedOfTgt(fromTgt)), ...carried(fromRequest)];
    } catch (e) {
      if (e instanceof TgtbridgeError && !(e instanceof KrbError)) refuse('KRB_AP_ERR_BAD_INTEGRITY', `enc-authorization-data holds a container that does not decode: ${e.message}`);
      throw e;
    }
    const octets = all.reduce((n, e) => n + e.adData.length, 0);
    if (octets > MAX_CARRIED_OCTETS) refuse('KDC_ERR_POLICY', `${octets} octets of authorization data besides the PAC; at most ${MAX_CARRIED_OCTETS} are carried`);
    s.carriedAuthorizationData = all;
  },
];
