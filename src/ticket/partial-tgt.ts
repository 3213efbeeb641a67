import {
  NAME_TYPES,
  pacAuthorizationData,
  rodcKvno,
  TICKET_FLAGS,
  type EncTicketPart,
  type Ticket,
} from '../asn1/index.js';
import { ETYPE, randomKey, type Key } from '../crypto/index.js';
import { TgtbridgeError } from '../errors/index.js';
import {
  buildPac,
  kerbValidationInfoFor,
  PAC_ATTRIBUTE_FLAGS,
  fillAuthtimePacTemplate,
  makeAuthtimePacTemplate,
  parseSid,
  signPac,
  UPN_DNS_FLAGS,
  type AuthtimePacTemplate,
  type Pac,
  type Sid,
} from '../pac/index.js';
import type { Clock, RandomSource } from '../util/index.js';
import { sealTicket } from './seal.js';

/** Who the partial TGT is for: the directory's view of the account. */
export interface PartialTgtUser {
  readonly samAccountName: string;
  /** objectSid, S-1-5-21-…-RID. */
  readonly sid: string;
  readonly upn?: string;
  /** The domain's DNS name; defaults to the realm. */
  readonly dnsDomain?: string;
  /** NetBIOS domain name for LOGON_INFO.LogonDomainName; defaults to the realm's first label. */
  readonly netbiosDomain?: string;
  readonly fullName?: string;
}

/** An AES256 key of krbtgt_N, version `keyVersion`. */
export interface RodcKey {
  readonly key: Key;
  readonly rodcNumber: number;
  readonly keyVersion: number;
}

export interface PartialTgtPacOptions {
  /** UPN_DNS_INFO (S form) — on by default, as Windows sends it (protocol-reference §3.8). */
  readonly upnDnsInfo?: boolean;
  /** PAC_ATTRIBUTES_INFO (PAC_WAS_GIVEN_IMPLICITLY) — on by default; Samba tolerates its absence. */
  readonly attributesInfo?: boolean;
  /** LOGON_INFO.LogonServer: the RODC computer's name. */
  readonly logonServer?: string;
}

export interface MintPartialTgtInput {
  readonly user: PartialTgtUser;
  readonly realm: string;
  readonly rodcKey: RodcKey;
  /** Seconds; default 10 h. */
  readonly lifetimeSec?: number;
  /** Seconds from authtime to renew-till; default 7 d; 0 → not renewable. */
  readonly renewLifetimeSec?: number;
  readonly pac?: PartialTgtPacOptions;
  readonly clock: Clock;
  /** Session key and confounder; default: crypto's pooled CSPRNG. */
  readonly random?: RandomSource;
}

export interface MintedTgt {
  readonly ticket: Ticket;
  readonly sessionKey: Key;
  readonly encTicketPart: EncTicketPart;
  /** (N << 16) | v, unsigned; the wire carries it as a signed 32-bit INTEGER. */
  readonly kvno: number;
}

export const DEFAULT_TGT_LIFETIME_SEC = 10 * 3600;
export const DEFAULT_RENEW_LIFETIME_SEC = 7 * 86400;

/** flags forwardable | renewable | initial | pre-authent (DESIGN.md "Facts the wire format must respect"). */
export const PARTIAL_TGT_FLAGS = (TICKET_FLAGS.forwardable | TICKET_FLAGS.renewable | TICKET_FLAGS.initial | TICKET_FLAGS['pre-authent']) >>> 0;

/** TransitedEncoding tr-type DOMAIN-X500-COMPRESS (RFC 4120 §3.3.3.2); empty contents: no realm transited. */
const DOMAIN_X500_COMPRESS = 1;

/**
 * Refuse a key the DC would refuse: only the AES256 key of krbtgt_N is accepted (AES128/RC4 →
 * KRB_AP_ERR_BADKEYVER), and without an RODC number the kvno names the domain's own krbtgt, which
 * the bridge does not hold (→ KRB_AP_ERR_BAD_INTEGRITY). samba-lab.md measured both.
 */
export function checkRodcKey(k: RodcKey): void {
  if (k.key.etype !== ETYPE.AES256_CTS_HMAC_SHA1_96) {
    throw new TgtbridgeError('ERR_KEY_SET', `krbtgt_${k.rodcNumber} key has etype ${k.key.etype}: only the AES256 key (etype 18) is accepted by the DC`);
  }
  if (!Number.isInteger(k.rodcNumber) || k.rodcNumber < 1 || k.rodcNumber > 0xffff) {
    throw new TgtbridgeError('ERR_KEY_SET', `RODC number ${k.rodcNumber} is not 1..65535: a key without an RODC number is the domain's own krbtgt key, not krbtgt_N`);
  }
  if (!Number.isInteger(k.keyVersion) || k.keyVersion < 0 || k.keyVersion > 0xffff) {
    throw new TgtbridgeError('ERR_KEY_SET', `key version ${k.keyVersion} does not fit in the low 16 bits of the kvno`);
  }
}

function splitUserSid(text: string): { domainSid: Sid; rid: number } {
  let sid: Sid;
  try {
    sid = parseSid(text);
  } catch {
    throw new TgtbridgeError('ERR_DIRECTORY', `not a SID: ${JSON.stringify(text)}`);
  }
  const rid = sid.SubAuthority[sid.SubAuthority.length - 1];
  if (rid === undefined || sid.SubAuthority.length < 2) throw new TgtbridgeError('ERR_DIRECTORY', `${text} is not an account SID (domain SID + RID)`);
  return { domainSid: { ...sid, SubAuthority: sid.SubAuthority.slice(0, -1) }, rid };
}

function seconds(value: number | undefined, fallback: number, what: string, min: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > 0x7fffffff) throw new RangeError(`${what} must be whole seconds ≥ ${min}`);
  return v;
}

/**
 * The smallest PAC a hardened DC accepts in an RODC-issued TGT (DESIGN.md; samba-lab.md):
 * LOGON_INFO (user SID as LogonDomainId + UserId, names; groups only the primary group 513 — the
 * DC rebuilds them), CLIENT_INFO (name = cname, ClientId = authtime), optional UPN_DNS_INFO and
 * ATTRIBUTES_INFO, REQUESTOR (the objectSid; without it → KDC_ERR_TGT_REVOKED). Unsigned.
 */
export function partialTgtPac(user: PartialTgtUser, realm: string, authtime: Date, options: PartialTgtPacOptions = {}): Pac {
  const { domainSid, rid } = splitUserSid(user.sid);
  const netbios = user.netbiosDomain ?? realm.split('.')[0]!;
  const dns = user.dnsDomain ?? realm;
  const constructed = user.upn === undefined;
  return buildPac({
    logonInfo: kerbValidationInfoFor({
      domainSid,
      userRid: rid,
      effectiveName: user.samAccountName,
      ...(user.fullName !== undefined ? { fullName: user.fullName } : {}),
      logonServer: options.logonServer ?? 'TGTBRIDGE',
      logonDomainName: netbios.toUpperCase(),
      logonTime: authtime,
    }),
    clientInfo: { authtime, name: user.samAccountName },
    ...(options.upnDnsInfo === false
      ? {}
      : {
          upnDnsInfo: {
            // MS-PAC §2.10: U when the UPN is built as sam@dnsdomain; S with SamName and Sid (Windows' form).
            Upn: user.upn ?? `${user.samAccountName}@${dns.toLowerCase()}`,
            DnsDomainName: dns.toUpperCase(),
            Flags: UPN_DNS_FLAGS.S | (constructed ? UPN_DNS_FLAGS.U : 0),
            SamName: user.samAccountName,
            Sid: parseSid(user.sid),
          },
        }),
    ...(options.attributesInfo === false ? {} : { attributes: PAC_ATTRIBUTE_FLAGS.PAC_WAS_GIVEN_IMPLICITLY }),
    requestorSid: parseSid(user.sid),
  });
}

/**
 * The same PAC, signed, from a per-account template (pac's makeAuthtimePacTemplate): only
 * LOGON_INFO.LogonTime and CLIENT_INFO.ClientId depend on authtime, so each mint copies the
 * account's encoded PAC, writes the two FILETIMEs and signs in place (building and encoding the PAC
 * was a third of a mint's CPU time, bench/mint.ts). No template → a fresh build.
 */
const TEMPLATE_LIMIT = 4096;
const templates = new Map<string, AuthtimePacTemplate | null>();
let lastTemplate: { readonly parts: readonly (string | boolean | undefined)[]; readonly template: AuthtimePacTemplate | null } | undefined;

/** An unambiguous cache key: each part length-prefixed (any character may occur in a name). */
function templateId(parts: readonly (string | boolean | undefined)[]): string {
  let id = '';
  for (const p of parts) id += p === undefined ? 'u;' : typeof p === 'boolean' ? (p ? 't;' : 'f;') : `${p.length}:${p};`;
  return id;
}

function pacTemplate(user: PartialTgtUser, realm: string, options: PartialTgtPacOptions, rodcKey: RodcKey): AuthtimePacTemplate | null {
  const parts = [
    user.samAccountName, user.sid, user.upn, user.dnsDomain, user.netbiosDomain, user.fullName, realm,
    options.upnDnsInfo, options.attributesInfo, options.logonServer, String(rodcKey.key.etype),
  ] as const;
  // Repeated mints for one account (the common case) compare the parts instead of building and hashing the id.
  if (lastTemplate !== undefined && parts.every((p, i) => p === lastTemplate?.parts[i])) return lastTemplate.template;
  const id = templateId(parts);
  const hit = templates.get(id);
  if (hit !== undefined) {
    lastTemplate = { parts, template: hit };
    return hit;
  }
  // rodcId only decides whether the RODC identifier has room; its value is written per mint.
  const template = makeAuthtimePacTemplate((authtime) => partialTgtPac(user, realm, authtime, options), {
    serverKey: rodcKey.key, kdcKey: rodcKey.key, rodcId: 1, includeFullChecksum: false, withTicket: false,
  });
  if (templates.size >= TEMPLATE_LIMIT) templates.clear();
  templates.set(id, template);
  lastTemplate = { parts, template };
  return template;
}

/** The signed minimal PAC for `authtime` (see partialTgtPac), from the account's template when it has one. */
function signedPartialTgtPac(user: PartialTgtUser, realm: string, authtime: Date, options: PartialTgtPacOptions, rodcKey: RodcKey): Uint8Array {
  const t = pacTemplate(user, realm, options, rodcKey);
  const keys = { serverKey: rodcKey.key, kdcKey: rodcKey.key, rodcId: rodcKey.rodcNumber };
  if (t === null) return signPac({ pac: partialTgtPac(user, realm, authtime, options), ...keys, includeFullChecksum: false });
  return fillAuthtimePacTemplate(t, authtime, keys);
}

/**
 * Mint a partial TGT exactly as DESIGN.md describes: Ticket{5, realm, krbtgt/REALM (NT-SRV-INST),
 * enc-part{18, kvno (N << 16) | v, cipher}}; EncTicketPart with forwardable|renewable|initial|
 * pre-authent, a fresh AES256 session key, cname = sAMAccountName (NT-PRINCIPAL), empty transited,
 * the four times, and AD-IF-RELEVANT[AD-WIN2K-PAC] holding the minimal PAC signed with the krbtgt_N
 * key: server and KDC signatures (type 16, usage 17), the RODC number after the KDC signature; no
 * ticket or full signature (MS-PAC §2.8.3: not in tickets to a krbtgt account).
 */
export function mintPartialTgt(input: MintPartialTgtInput): MintedTgt {
  checkRodcKey(input.rodcKey);
  const realm = input.realm.toUpperCase();
  const lifetime = seconds(input.lifetimeSec, DEFAULT_TGT_LIFETIME_SEC, 'lifetime', 1);
  const renew = seconds(input.renewLifetimeSec, DEFAULT_RENEW_LIFETIME_SEC, 'renew lifetime', 0);
  if (renew !== 0 && renew < lifetime) throw new RangeError('renew lifetime shorter than the ticket lifetime');

  // KerberosTime has whole seconds; CLIENT_INFO.ClientId must equal authtime exactly.
  const authtime = new Date(Math.floor(input.clock.now().getTime() / 1000) * 1000);
  const at = (s: number): Date => new Date(authtime.getTime() + s * 1000);
  const { key, rodcNumber, keyVersion } = input.rodcKey;
  const kvno = rodcKvno(rodcNumber, keyVersion);
  const sessionKey = input.random === undefined ? randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96) : randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96, input.random);

  const pac = signedPartialTgtPac(input.user, realm, authtime, input.pac ?? {}, input.rodcKey);
  const sname = { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['krbtgt', realm] };
  const encTicketPart: EncTicketPart = {
    flags: renew === 0 ? (PARTIAL_TGT_FLAGS & ~TICKET_FLAGS.renewable) >>> 0 : PARTIAL_TGT_FLAGS,
    key: { keytype: sessionKey.etype, keyvalue: sessionKey.exportBytes() },
    crealm: realm,
    cname: { nameType: NAME_TYPES['NT-PRINCIPAL'], nameString: [input.user.samAccountName] },
    transited: { trType: DOMAIN_X500_COMPRESS, contents: new Uint8Array(0) },
    authtime,
    starttime: authtime,
    endtime: at(lifetime),
    ...(renew === 0 ? {} : { renewTill: at(renew) }),
    authorizationData: [pacAuthorizationData(pac)],
  };
  const ticket = sealTicket({ realm, sname, encTicketPart, key, kvno, ...(input.random !== undefined ? { random: input.random } : {}) });
  return { ticket, sessionKey, encTicketPart, kvno };
}
