import { apReqCodec, authenticatorCodec, findPaData, KDC_OPTIONS, KRB5_PVNO, PA_DATA_TYPES, TICKET_FLAGS, type PrincipalName } from '../../asn1/index.js';
import { decrypt, Key, KEY_USAGE, verifyChecksum } from '../../crypto/index.js';
import { KrbError, TgtbridgeError } from '../../errors/index.js';
import { openTicket } from '../../ticket/index.js';
import { isOurRealm } from './target.js';
import { must, type TgsGuard, type TgsState } from './tgs-state.js';

/**
 * The guards on the AP-REQ inside PA-TGS-REQ (RFC 4120 §3.3.2 / §3.2.3), in the order a
 * Heimdal-based DC (Samba) applies them. Each throws KrbError with the code Samba 4.17 AD DC gives
 * for the same case (samba-lab.md "What the writable DC does with an RODC-issued TGT").
 */

function refuse(code: KrbError['code'], eText: string): never {
  throw new KrbError(code, eText, { eText });
}

function sameName(a: PrincipalName, b: PrincipalName): boolean {
  return a.nameString.length === b.nameString.length && a.nameString.every((n, i) => n === b.nameString[i]);
}

/** Run `f`; a decoding failure of a nested message is KRB_ERR_GENERIC, as Samba answers a broken AP-REQ ("ASN.1 encoding ended unexpectedly"). */
function decoded<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TgtbridgeError && e.code === 'ERR_ASN1_DECODE') refuse('KRB_ERR_GENERIC', `${what} does not decode: ${e.message}`);
    throw e;
  }
}

export const AP_REQ_GUARDS: readonly TgsGuard[] = [
  // A TGS-REQ authenticates with PA-TGS-REQ (RFC 4120 §5.4.1); without it MIT and Heimdal answer KDC_ERR_PADATA_TYPE_NOSUPP.
  (s) => {
    const pa = findPaData(s.req.padata, PA_DATA_TYPES['PA-TGS-REQ']);
    if (pa === undefined) refuse('KDC_ERR_PADATA_TYPE_NOSUPP', 'TGS-REQ without PA-TGS-REQ');
    s.apReq = decoded('PA-TGS-REQ AP-REQ', () => apReqCodec.decodeView(pa.padataValue));
  },
  // AD's ASN.1 reads kvno as a signed 32-bit INTEGER: the 5-octet unsigned form MIT writes for values ≥ 2^31 is a decoding failure there → KRB_ERR_GENERIC (samba-lab.md, measured on Samba 4.17).
  (s) => {
    if (must(s.apReq, 'AP-REQ').ticket.encPart.kvnoUnsignedForm) {
      refuse('KRB_ERR_GENERIC', 'the ticket kvno is a 5-octet unsigned INTEGER; a DC reads only the signed 32-bit form');
    }
  },
  // The ticket is for this realm's TGS (RFC 4120 §3.3.2). A service ticket of this realm presented
  // as a TGT → KDC_ERR_POLICY, as Samba 4.17 answers (measured in the KDC audit); a ticket for
  // another realm's or another realm's TGS is not ours → KRB_AP_ERR_NOT_US.
  (s) => {
    const t = must(s.apReq, 'AP-REQ').ticket;
    const [first, second, ...rest] = t.sname.nameString;
    if (t.realm === s.kdc.realm && first !== 'krbtgt') {
      refuse('KDC_ERR_POLICY', `the presented ticket is a service ticket for ${t.sname.nameString.join('/')}, not a TGT`);
    }
    // krbtgt/<realm in another case> is ours: a TGT issued for the name a client spelt so (target.ts).
    if (t.realm !== s.kdc.realm || first !== 'krbtgt' || second === undefined || !isOurRealm(second, s.kdc.realm) || rest.length > 0) {
      refuse('KRB_AP_ERR_NOT_US', `the presented ticket is for ${t.sname.nameString.join('/')}@${t.realm}, not krbtgt/${s.kdc.realm}`);
    }
  },
  // Pick the key by kvno (DESIGN.md): RODC number unknown → KRB_AP_ERR_NOT_US (35); known RODC but no such key version → KRB_AP_ERR_BADKEYVER (44).
  (s) => {
    const encPart = must(s.apReq, 'AP-REQ').ticket.encPart;
    const kvno = (encPart.kvno ?? 0) >>> 0;
    const rodcNumber = kvno >>> 16;
    if (rodcNumber !== 0) {
      const set = s.kdc.rodcSets.get(rodcNumber);
      if (set === undefined) refuse('KRB_AP_ERR_NOT_US', `no RODC with number ${rodcNumber} (krbtgt_${rodcNumber}) is known here`);
      const entry = set.byKvno(kvno);
      if (entry === undefined) refuse('KRB_AP_ERR_BADKEYVER', `krbtgt_${rodcNumber} has no key version ${kvno & 0xffff}`);
      s.kind = 'partial';
      s.rodcNumber = rodcNumber;
      s.ticketKey = entry.key;
      return;
    }
    // The realm's own krbtgt. An unknown kvno is tried with the current key, as Samba does: a partial
    // TGT whose kvno lost its RODC number then fails to decrypt → KRB_AP_ERR_BAD_INTEGRITY (samba-lab.md).
    const versions = s.kdc.krbtgtByKvno.get(kvno) ?? [s.kdc.krbtgtCurrent];
    const key = versions.find((v) => v.key.etype === encPart.etype)?.key;
    if (key === undefined) refuse('KRB_AP_ERR_BADKEYVER', `no krbtgt/${s.kdc.realm} key of etype ${encPart.etype} with kvno ${kvno}`);
    s.kind = 'full';
    s.ticketKey = key;
  },
  // Decrypt the ticket (usage 2): a partial TGT only under krbtgt_N's AES256 key (another etype → 44), wrong key → KRB_AP_ERR_BAD_INTEGRITY (31).
  // A TGT already opened and PAC-verified under the same key is taken from the cache (tgt-cache.ts); client-guards.ts then skips the PAC work.
  (s) => {
    const ticket = must(s.apReq, 'AP-REQ').ticket;
    // openTicket's first check, made here too: a cache hit must not skip it.
    if (ticket.tktVno !== KRB5_PVNO) refuse('KRB_AP_ERR_BADVERSION', `ticket tkt-vno ${ticket.tktVno}, expected 5`);
    const hit = s.kdc.verifiedTgts.find(must(s.ticketKey, 'ticket key'), ticket.encPart.cipher);
    if (hit !== undefined) {
      s.enc = hit.enc;
      s.sessionKey = hit.sessionKey;
      s.pacBytes = hit.pacBytes;
      s.pac = hit.pac;
      return;
    }
    const opened = decoded('EncTicketPart', () => openTicket(ticket, must(s.ticketKey, 'ticket key')));
    s.enc = opened.encTicketPart;
    try {
      s.sessionKey = s.kdc.sessionKeys.get(s.enc.key.keytype, s.enc.key.keyvalue);
    } catch {
      refuse('KDC_ERR_ETYPE_NOSUPP', `the ticket's session key has an unsupported etype ${s.enc.key.keytype}`);
    }
  },
  // Decrypt the authenticator with the session key (usage 7); a wrong key or a tampered cipher → KRB_AP_ERR_BAD_INTEGRITY.
  (s) => {
    const key = must(s.sessionKey, 'session key');
    const enc = must(s.apReq, 'AP-REQ').authenticator;
    if (enc.etype !== key.etype) refuse('KRB_AP_ERR_BAD_INTEGRITY', `authenticator etype ${enc.etype} is not the session key's ${key.etype}`);
    const plain = decrypt(key, KEY_USAGE.TGS_REQ_AUTH, enc.cipher);
    s.authenticator = decoded('Authenticator', () => authenticatorCodec.decodeView(plain));
  },
  // The authenticator speaks for the ticket's client (RFC 4120 §3.2.3) → KRB_AP_ERR_BADMATCH.
  (s) => {
    const a = must(s.authenticator, 'authenticator');
    const enc = must(s.enc, 'EncTicketPart');
    if (a.crealm !== enc.crealm || !sameName(a.cname, enc.cname)) refuse('KRB_AP_ERR_BADMATCH', 'the authenticator names another client than the ticket');
  },
  // The body checksum (RFC 4120 §7.2 usage 6) binds the request to the authenticator: absent or an
  // unkeyed/foreign type → KRB_AP_ERR_INAPP_CKSUM (Heimdal/Samba); a wrong value → KRB_AP_ERR_MODIFIED.
  (s) => {
    const a = must(s.authenticator, 'authenticator');
    const raw = s.req.reqBody.raw;
    if (a.cksum === undefined || raw === undefined) refuse('KRB_AP_ERR_INAPP_CKSUM', 'the authenticator carries no checksum over the KDC-REQ-BODY');
    let ok: boolean;
    try {
      ok = verifyChecksum(a.cksum.cksumtype, must(s.sessionKey, 'session key'), KEY_USAGE.TGS_REQ_AUTH_CKSUM, raw, a.cksum.checksum);
    } catch {
      refuse('KRB_AP_ERR_INAPP_CKSUM', `checksum type ${a.cksum.cksumtype} is not a keyed checksum of the session key's etype`);
    }
    if (!ok) refuse('KRB_AP_ERR_MODIFIED', 'the KDC-REQ-BODY checksum does not match: the request was modified');
  },
  // Clock skew (RFC 4120 §3.2.3; AD and MIT allow 5 minutes) → KRB_AP_ERR_SKEW.
  (s) => {
    const a = must(s.authenticator, 'authenticator');
    const at = a.ctime.getTime() + Math.floor(a.cusec / 1000);
    if (Math.abs(at - s.now.getTime()) > s.kdc.options.policy.clockSkewSec * 1000) {
      refuse('KRB_AP_ERR_SKEW', 'the authenticator time is outside the allowed clock skew');
    }
  },
  // An authenticator is used once (RFC 4120 §3.2.3 replay cache) → KRB_AP_ERR_REPEAT. Identified by
  // its ciphertext, as MIT's rcache does (a fresh encryption of the same fields is a new
  // authenticator): by the ciphertext's integrity tag, its last 12 octets (HMAC-SHA1-96, or RFC 8009's
  // truncated HMAC-SHA2, over confounder and plaintext). It has just verified, so only the session
  // key's holder made that tag; hashing the whole ciphertext again would add only a SHA-256 per request.
  // Session keys here are AES; were one RC4 (RFC 4757 puts the HMAC first), the last 12 octets would be
  // ciphertext under that verified HMAC, still fixed by the random confounder for each encryption.
  (s) => {
    const a = must(s.authenticator, 'authenticator');
    const until = new Date(a.ctime.getTime() + s.kdc.options.policy.clockSkewSec * 1000 + 1000);
    const seen = s.kdc.options.replayCache.seen(must(s.apReq, 'AP-REQ').authenticator.cipher, until);
    const repeat = (was: boolean): void => {
      if (was) refuse('KRB_AP_ERR_REPEAT', 'this authenticator was already used');
    };
    if (typeof seen === 'boolean') return repeat(seen);
    return seen.then(repeat);
  },
  // The subkey, when present, keys the reply (usage 9); one of an etype we cannot use is refused here rather than after issuing.
  (s) => {
    const sub = must(s.authenticator, 'authenticator').subkey;
    if (sub === undefined) return;
    try {
      s.subkey = Key.fromBytes(sub.keytype, sub.keyvalue);
    } catch {
      refuse('KDC_ERR_ETYPE_NOSUPP', `authenticator subkey of unsupported etype ${sub.keytype}`);
    }
  },
  // Ticket times with the skew (RFC 4120 §3.2.3; MIT krb5_validate_times): not yet valid → KRB_AP_ERR_TKT_NYV (33); expired → KRB_AP_ERR_TKT_EXPIRED (32).
  (s) => {
    const enc = must(s.enc, 'EncTicketPart');
    const skew = s.kdc.options.policy.clockSkewSec * 1000;
    const validate = (s.req.reqBody.kdcOptions & KDC_OPTIONS.validate) !== 0;
    const start = (enc.starttime ?? enc.authtime).getTime();
    if (!validate && start - s.now.getTime() > skew) refuse('KRB_AP_ERR_TKT_NYV', 'the ticket is not valid yet (starttime in the future)');
    if (!validate && (enc.flags & TICKET_FLAGS.invalid) !== 0) refuse('KRB_AP_ERR_TKT_NYV', 'the ticket is marked invalid: validate it first');
    if (s.now.getTime() - enc.endtime.getTime() > skew) refuse('KRB_AP_ERR_TKT_EXPIRED', 'the ticket has expired');
  },
];
