import { KDC_OPTIONS, type PrincipalName } from '../../asn1/index.js';
import { ETYPE } from '../../crypto/index.js';
import { KrbError } from '../../errors/index.js';
import { krbtgtName } from './krb-error-reply.js';
import { must, type TgsState } from './tgs-state.js';
import type { VersionedKey } from './types.js';

/** The principal the new ticket is for, and the keys it has. */
export interface Target {
  readonly sname: PrincipalName;
  readonly isTgt: boolean;
  /** The key that seals the ticket (and makes the server signature). */
  readonly ticketKey: VersionedKey;
  /**
   * The etypes the session key may have (RFC 4120 §3.3.3): one the service has a key of, as it must
   * use it; for a TGT, whose session key only the client and this KDC use, any etype made here.
   */
  readonly etypes: ReadonlySet<number>;
}

/** Ticket keys by strength: AES256-SHA1 first as AD and MIT default to it; RC4 only when nothing else exists. */
const TICKET_ETYPE_PREFERENCE: readonly number[] = [
  ETYPE.AES256_CTS_HMAC_SHA1_96,
  ETYPE.AES256_CTS_HMAC_SHA384_192,
  ETYPE.AES128_CTS_HMAC_SHA256_128,
  ETYPE.AES128_CTS_HMAC_SHA1_96,
  ETYPE.RC4_HMAC,
];

/** Session keys: AES only (RC4 session keys are refused by current MIT and AD, mit-lab.md / KB5021131). */
export const SESSION_ETYPES: ReadonlySet<number> = new Set([
  ETYPE.AES256_CTS_HMAC_SHA1_96,
  ETYPE.AES128_CTS_HMAC_SHA1_96,
  ETYPE.AES256_CTS_HMAC_SHA384_192,
  ETYPE.AES128_CTS_HMAC_SHA256_128,
]);

function refuse(code: KrbError['code'], eText: string): never {
  throw new KrbError(code, eText, { eText });
}

export function bestKey(keys: readonly VersionedKey[]): VersionedKey | undefined {
  for (const etype of TICKET_ETYPE_PREFERENCE) {
    const of = keys.filter((k) => k.key.etype === etype);
    if (of.length > 0) return of.reduce((a, b) => ((b.kvno >>> 0) > (a.kvno >>> 0) ? b : a));
  }
  return undefined;
}

/**
 * AD realm names are DNS names and compare without regard to case: Samba 4.17 answers a TGS-REQ whose
 * body realm, or whose sname's realm component, is `samba.test` as for `SAMBA.TEST` (measured; MIT
 * compares exactly). The realm fields of what is issued carry this KDC's own spelling (upper case);
 * the sname is the one asked for unless the client asked to canonicalize (resolveTarget).
 */
export function isOurRealm(asked: string, realm: string): boolean {
  return asked === realm || asked.toUpperCase() === realm;
}

/**
 * Resolve the requested sname (RFC 4120 §3.3.2): krbtgt/REALM → a full TGT under the realm's
 * krbtgt key; another name → a service the directory lists the SPN of and a keytab holds keys for;
 * neither → KDC_ERR_S_PRINCIPAL_UNKNOWN (7), as for any name the KDC database lacks. RENEW and
 * VALIDATE act on the presented ticket's own name.
 */
export async function resolveTarget(s: TgsState): Promise<Target> {
  const { kdc, req } = s;
  const body = req.reqBody;
  const renewOrValidate = (body.kdcOptions & (KDC_OPTIONS.renew | KDC_OPTIONS.validate)) !== 0;
  const sname = renewOrValidate ? must(s.apReq, 'AP-REQ').ticket.sname : body.sname;
  if (sname === undefined) refuse('KDC_ERR_S_PRINCIPAL_UNKNOWN', 'the TGS-REQ names no service');
  if (!isOurRealm(body.realm, kdc.realm)) refuse('KDC_ERR_S_PRINCIPAL_UNKNOWN', `realm ${body.realm} is not served here (no cross-realm trust)`);
  const [first, second, ...rest] = sname.nameString;
  if (first === 'krbtgt') {
    if (second === undefined || !isOurRealm(second, kdc.realm) || rest.length > 0) refuse('KDC_ERR_S_PRINCIPAL_UNKNOWN', `no trust to ${second ?? ''}: only krbtgt/${kdc.realm} is served`);
    // Without CANONICALIZE the ticket is for the name asked (RFC 6806 §6; a client compares the reply's
    // sname with it): Samba 4.17 answers krbtgt/samba.test with a TGT named krbtgt/samba.test (measured).
    const canonicalize = (body.kdcOptions & KDC_OPTIONS.canonicalize) !== 0;
    return { sname: canonicalize || second === kdc.realm ? krbtgtName(kdc.realm) : sname, isTgt: true, ticketKey: kdc.krbtgtCurrent, etypes: SESSION_ETYPES };
  }
  // The directory's SPNs are strings; joined with '/', ['cifs/fs1'] would read as ['cifs', 'fs1'] and
  // get that service's ticket under a name that is another principal (RFC 1964 §2.1.1 quotes a '/' in a
  // component). Samba 4.17: 7 for ['cifs/dc1.samba.test'] (measured).
  if (sname.nameString.some((c) => c.includes('/'))) refuse('KDC_ERR_S_PRINCIPAL_UNKNOWN', 'a name component holds a /: no SPN is spelt so');
  const byName = await computerByAccountName(s, sname.nameString);
  if (byName !== undefined) return { sname, isTgt: false, ...byName };
  const spn = sname.nameString.join('/');
  const account = await kdc.options.directory.findUserBySpn(spn);
  if (account === undefined) refuse('KDC_ERR_S_PRINCIPAL_UNKNOWN', `no account has the SPN ${spn}`);
  const keyed = keysOfSpn(s, spn);
  if (keyed === undefined) refuse('KDC_ERR_S_PRINCIPAL_UNKNOWN', `no key for ${spn} in the service keytabs`);
  return { sname, isTgt: false, ...keyed };
}

/**
 * A computer account named by its sAMAccountName, one component ending in `$` (`FS1$`): a service
 * ticket under that account's own key, which every SPN of the account shares (its keytab). Samba 4.17
 * issues one for `DC1$` and refuses a user account named so (`alice` → 7, measured in the KDC
 * audit). A SID or a user never resolves here.
 */
async function computerByAccountName(s: TgsState, nameString: readonly string[]): Promise<Pick<Target, 'ticketKey' | 'etypes'> | undefined> {
  const [name, ...rest] = nameString;
  if (name === undefined || rest.length > 0 || !name.endsWith('$')) return undefined;
  const account = await s.kdc.options.directory.findUser(name);
  if (account === undefined || account.kind !== 'computer' || account.sAMAccountName.toLowerCase() !== name.toLowerCase()) return undefined;
  for (const spn of account.servicePrincipalNames) {
    const keyed = keysOfSpn(s, spn);
    if (keyed !== undefined) return keyed;
  }
  return undefined;
}

/** The key that seals tickets for `spn` and the etypes its session keys may have, from the service keytabs. */
function keysOfSpn(s: TgsState, spn: string): Pick<Target, 'ticketKey' | 'etypes'> | undefined {
  const keys = s.kdc.options.serviceKeys.get(spn.toLowerCase()) ?? [];
  const ticketKey = bestKey(keys);
  return ticketKey === undefined ? undefined : { ticketKey, etypes: new Set(keys.map((k) => k.key.etype)) };
}

/**
 * The session key etype: the client's first choice (KDC-REQ-BODY.etype order, RFC 4120 §3.3.3)
 * that this KDC makes session keys of and the service has a key of → else KDC_ERR_ETYPE_NOSUPP.
 */
export function sessionEtype(s: TgsState, target: Target): number {
  const chosen = s.req.reqBody.etype.find((e) => SESSION_ETYPES.has(e) && target.etypes.has(e));
  if (chosen === undefined) refuse('KDC_ERR_ETYPE_NOSUPP', `none of the requested etypes [${s.req.reqBody.etype.join(', ')}] is usable for ${target.sname.nameString.join('/')}`);
  return chosen;
}
