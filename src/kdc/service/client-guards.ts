import { extractPac, findPaData, PA_DATA_TYPES } from '../../asn1/index.js';
import { KrbError, TgtbridgeError } from '../../errors/index.js';
import { formatSid, PAC_BUFFER_TYPE } from '../../pac/index.js';
import { accountExpiredAt, dateToFiletime } from '../../util/index.js';
import { readPac, type PacView } from './pac-view.js';
import { isOurRealm } from './target.js';
import { must, type TgsGuard, type TgsState } from './tgs-state.js';

/**
 * The guards on the client behind the presented TGT: its PAC, the password-replication policy
 * (partial TGTs only) and the account. Each throws KrbError with the code Samba 4.17 AD DC gives
 * (samba-lab.md), e-text in words.
 */

function refuse(code: KrbError['code'], eText: string): never {
  throw new KrbError(code, eText, { eText });
}

function cnameText(s: TgsState): string {
  return must(s.enc, 'EncTicketPart').cname.nameString.join('/');
}

export const CLIENT_GUARDS: readonly TgsGuard[] = [
  // A TGT without a PAC is refused since the November 2021 hardening (protocol-reference §3.6) → KDC_ERR_TGT_REVOKED, as Samba does.
  (s) => {
    if (s.pac !== undefined) return; // from the verified-TGT cache
    let pac: Uint8Array | undefined;
    try {
      pac = extractPac(must(s.enc, 'EncTicketPart').authorizationData);
    } catch (e) {
      if (e instanceof TgtbridgeError) refuse('KRB_ERR_GENERIC', `the ticket's authorization-data does not decode: ${e.message}`);
      throw e;
    }
    if (pac === undefined) refuse('KDC_ERR_TGT_REVOKED', 'the TGT carries no PAC');
    s.pacBytes = pac;
  },
  // The PAC decodes (MS-PAC §2.3) — a malformed one → KRB_ERR_GENERIC — and its server signature verifies with the key that sealed
  // the ticket (krbtgt_N for a partial TGT; Samba 4.17 checks that one, not the KDC signature) → KRB_AP_ERR_BAD_INTEGRITY.
  // Our own full TGTs also have their KDC signature checked: we made both.
  (s) => {
    if (s.pac !== undefined) return; // from the verified-TGT cache: verified when it was put there
    const key = must(s.ticketKey, 'ticket key');
    let pac: PacView;
    try {
      pac = readPac(must(s.pacBytes, 'PAC bytes'), key, s.kind === 'partial');
    } catch (e) {
      if (e instanceof TgtbridgeError) refuse('KRB_ERR_GENERIC', `the PAC does not decode: ${e.message}`);
      throw e;
    }
    s.pac = pac;
    if (!pac.serverSignatureOk) refuse('KRB_AP_ERR_BAD_INTEGRITY', 'the PAC server signature does not verify');
    if (s.kind === 'full' && !pac.kdcSignatureOk) refuse('KRB_AP_ERR_BAD_INTEGRITY', 'the PAC KDC signature does not verify');
    // Only our own full TGTs: a client presents one for each service ticket, while a device exchanges
    // each partial TGT about once — caching those would only push the full TGTs out.
    if (s.kind !== 'full') return;
    const enc = must(s.enc, 'EncTicketPart');
    s.kdc.verifiedTgts.remember(key, must(s.apReq, 'AP-REQ').ticket.encPart.cipher, { enc, sessionKey: must(s.sessionKey, 'session key'), pacBytes: must(s.pacBytes, 'PAC bytes'), pac });
  },
  // PAC_REQUESTOR is mandatory in TGTs since KB5008380 (protocol-reference §3.6) → KDC_ERR_TGT_REVOKED.
  (s) => {
    if (must(s.pac, 'PAC').requestor === undefined) refuse('KDC_ERR_TGT_REVOKED', 'the PAC has no PAC_REQUESTOR');
  },
  // LOGON_INFO must be there for the DC to know whose PAC it rebuilds → KRB_ERR_GENERIC (Samba).
  (s) => {
    if (!must(s.pac, 'PAC').has(PAC_BUFFER_TYPE.LOGON_INFO)) refuse('KRB_ERR_GENERIC', 'the PAC has no LOGON_INFO');
  },
  // CLIENT_INFO binds the PAC to this ticket (MS-PAC §2.7: Name = cname, ClientId = authtime) → KRB_ERR_GENERIC (Samba).
  (s) => {
    const ci = must(s.pac, 'PAC').clientInfo;
    if (ci === undefined) refuse('KRB_ERR_GENERIC', 'the PAC has no CLIENT_INFO');
    if (ci.Name !== cnameText(s)) refuse('KRB_ERR_GENERIC', 'CLIENT_INFO names another client than the ticket');
    if (ci.ClientId !== dateToFiletime(must(s.enc, 'EncTicketPart').authtime)) refuse('KRB_ERR_GENERIC', 'CLIENT_INFO time is not the ticket authtime');
  },
  // The client is of this realm: the directory holds no other realm's accounts, and a ticket naming
  // alice@OTHER with our alice's PAC would be someone else's. Realm names compare as AD does, ignoring
  // letter case (Samba 4.17: crealm OTHER.TEST → 6, samba.test issued; measured).
  (s) => {
    const crealm = must(s.enc, 'EncTicketPart').crealm;
    if (!isOurRealm(crealm, s.kdc.realm)) refuse('KDC_ERR_C_PRINCIPAL_UNKNOWN', `the client's realm ${crealm} is not ${s.kdc.realm}`);
  },
  // The client exists in the directory (by sAMAccountName, as cname carries it) → KDC_ERR_C_PRINCIPAL_UNKNOWN.
  async (s) => {
    const user = await s.kdc.options.directory.findUser(cnameText(s));
    if (user === undefined || user.kind !== 'user' && user.kind !== 'computer' && user.kind !== 'service') refuse('KDC_ERR_C_PRINCIPAL_UNKNOWN', `no account ${cnameText(s)} in the directory`);
    s.user = user;
  },
  // PAC_REQUESTOR is the client's objectSid (CVE-2021-42287 check, MS-KILE §3.3.5.7) → KDC_ERR_TGT_REVOKED.
  (s) => {
    const req = must(must(s.pac, 'PAC').requestor, 'REQUESTOR');
    if (formatSid(req.Sid) !== must(s.user, 'user').objectSid) refuse('KDC_ERR_TGT_REVOKED', 'PAC_REQUESTOR is not the SID of the ticket client');
  },
  // Group memberships, transitively, for the PRP and the rebuilt PAC (partial TGTs; a full TGT's PAC is copied).
  async (s) => {
    if (s.kind !== 'partial') return;
    const user = must(s.user, 'user');
    s.memberOf = new Set([...(await s.kdc.options.directory.groupSidsOf(user)), user.objectSid]);
  },
  // Password-replication policy, partial TGTs only (MS-DRSR §4.1.10.5.14 "never reveal" wins over
  // "reveal on demand"; nested membership counts) → KDC_ERR_TGT_REVOKED, as Samba.
  (s) => {
    if (s.kind !== 'partial') return;
    const member = must(s.memberOf, 'groups');
    const { deniedGroupSids, allowedGroupSids } = s.kdc.options.policy;
    const denied = deniedGroupSids.find((g) => member.has(g));
    if (denied !== undefined) refuse('KDC_ERR_TGT_REVOKED', `the account is in the RODC's never-reveal set (${denied})`);
    if (!allowedGroupSids.some((g) => member.has(g))) refuse('KDC_ERR_TGT_REVOKED', "the account is not in the RODC's reveal-on-demand set");
  },
  // Account state (MS-KILE §3.3.5.7 via the SAM): disabled → KDC_ERR_POLICY (12, Samba's code).
  (s) => {
    if (!must(s.user, 'user').enabled) refuse('KDC_ERR_POLICY', 'the account is disabled');
  },
  // Locked out → KDC_ERR_CLIENT_REVOKED (18).
  (s) => {
    if (must(s.user, 'user').lockedOut) refuse('KDC_ERR_CLIENT_REVOKED', 'the account is locked out');
  },
  // accountExpires passed → KDC_ERR_NAME_EXP (1), in whole seconds as Heimdal compares them
  // (valid_end < kdc_time): Samba 4.17 still issues during the second of accountExpires (measured at
  // E + 0.1 s and E + 0.6 s) and refuses from E + 1 s. An expiry still ahead shortens no ticket
  // (docs/kdc.md "Account expiry").
  (s) => {
    const exp = must(s.user, 'user').accountExpires;
    if (accountExpiredAt(exp, s.now)) refuse('KDC_ERR_NAME_EXP', 'the account has expired');
  },
  // Password must be changed (pwdLastSet 0) → KDC_ERR_KEY_EXPIRED (23).
  (s) => {
    if (must(s.user, 'user').mustChangePassword) refuse('KDC_ERR_KEY_EXPIRED', 'the account must change its password');
  },
  // S4U2Self (MS-SFU §3.2.5.1: PA-FOR-USER, PA-S4U-X509-USER) asks for a ticket in another client's
  // name; this KDC makes none, and passing over the padata would answer with a ticket for the
  // requester as if that were the user asked for. Samba 4.17 answers a user's PA-FOR-USER with
  // KDC_ERR_C_PRINCIPAL_UNKNOWN (6, measured for krbtgt and cifs); the bridge's clients are users.
  (s) => {
    for (const type of [PA_DATA_TYPES['PA-FOR-USER'], PA_DATA_TYPES['PA-FOR-X509-USER']]) {
      if (findPaData(s.req.padata, type) !== undefined) refuse('KDC_ERR_C_PRINCIPAL_UNKNOWN', 'S4U2Self (a ticket on behalf of another user) is not supported by this KDC');
    }
  },
];
