import { extractPac, TICKET_FLAGS } from '../asn1/index.js';
import { ETYPE, isSupportedEtype, Key } from '../crypto/index.js';
import type { TgsResult } from '../kdc/index.js';
import { formatSid, sidWithRid, verifyPac, type Pac } from '../pac/index.js';
import { openTicket, type KeytabEntryLike } from '../ticket/index.js';
import type { ProbeUser } from './pac-variants.js';
import type { ProbeTarget, ReplyExpectation } from './scenario.js';

/** A long-term key with the kvno a ticket's enc-part names it by. */
export interface VersionedKey {
  readonly kvno: number;
  readonly key: Key;
}

/** Keytab entries as versioned keys; entries of etypes our crypto has no profile for are left out. */
export function versionedKeys(entries: readonly KeytabEntryLike[]): VersionedKey[] {
  return entries.filter((e) => isSupportedEtype(e.key.keytype)).map((e) => ({ kvno: e.kvno >>> 0, key: Key.fromBytes(e.key.keytype, e.key.keyvalue) }));
}

export interface ReplyKeys {
  /** The realm's krbtgt keys: open the full TGT, verify KDC signatures. */
  readonly krbtgt?: readonly VersionedKey[];
  /** The cifs service's keys: open the service ticket. */
  readonly service?: readonly VersionedKey[];
}

export interface ReplyCheck {
  /** Properties that did not hold; empty when all did. */
  readonly failures: readonly string[];
  /** What was looked at, for the matrix's detail column. */
  readonly notes: readonly string[];
}

/** The presented TGT's times, for ReplyExpectation.times. */
export interface PresentedTimes {
  readonly endtime: Date;
  readonly renewTill?: Date | undefined;
}

const isoOrNone = (d: Date | undefined): string => d?.toISOString() ?? 'none';

/** endtime and renew-till of the reply (EncTGSRepPart, which repeats the ticket's) against the TGT's. */
function timesFailures(result: TgsResult, presented: PresentedTimes | undefined): string[] {
  if (presented === undefined) return ["times not checked: the presented TGT's times are unknown"];
  const out: string[] = [];
  const { endtime, renewTill } = result.encPart;
  if (endtime.getTime() !== presented.endtime.getTime()) out.push(`reply endtime ${isoOrNone(endtime)}, the TGT's is ${isoOrNone(presented.endtime)}`);
  if (renewTill?.getTime() !== presented.renewTill?.getTime()) out.push(`reply renew-till ${isoOrNone(renewTill)}, the TGT's is ${isoOrNone(presented.renewTill)}`);
  return out;
}

/** S-1-18-1, AUTHENTICATION_AUTHORITY_ASSERTED_IDENTITY: the DC adds it to PACs it rebuilds (MS-PAC §2.2.1.2.1). */
const ASSERTED_IDENTITY = 'S-1-18-1';

function keyFor(keys: readonly VersionedKey[] | undefined, etype: number, kvno: number | undefined): Key | undefined {
  return keys?.find((k) => k.key.etype === etype && (kvno === undefined || k.kvno >>> 0 === kvno >>> 0))?.key;
}

/** The SIDs a LOGON_INFO grants: the user, the account-domain groups and ExtraSids (MS-PAC §2.5). */
function sidsOf(pac: Pac): { user?: string; groups: Set<string> } {
  const logon = pac.Buffers.find((b) => b.value?.type === 'LOGON_INFO')?.value;
  if (logon?.type !== 'LOGON_INFO') return { groups: new Set() };
  const v = logon.value;
  const domain = v.LogonDomainId;
  const groups = new Set<string>();
  if (domain !== null) for (const g of v.GroupIds ?? []) groups.add(formatSid(sidWithRid(domain, g.RelativeId)));
  for (const e of v.ExtraSids ?? []) if (e.Sid !== null) groups.add(formatSid(e.Sid));
  return domain === null ? { groups } : { user: formatSid(sidWithRid(domain, v.UserId)), groups };
}

/**
 * Check a TGS-REP against a reply expectation. The reply's ticket must be for the client; when the
 * key of the ticket is known and `pacRebuilt` is asked for, its PAC must be the directory's: the
 * user's SID, every expected group, S-1-18-1, REQUESTOR = the user (TGTs), a valid server signature
 * and — with a krbtgt key — a valid KDC signature.
 */
export function checkReply(result: TgsResult, target: ProbeTarget, user: ProbeUser, expectation: ReplyExpectation, keys: ReplyKeys, presented?: PresentedTimes): ReplyCheck {
  const failures: string[] = [];
  const notes: string[] = [];
  const cname = result.rep.cname.nameString.join('/');
  if (cname.toLowerCase() !== user.name.toLowerCase()) failures.push(`reply cname ${cname}, expected ${user.name}`);
  notes.push(`ticket ${result.ticket.sname.nameString.join('/')} etype ${result.ticket.encPart.etype} kvno ${result.ticket.encPart.kvno ?? '-'}`);
  for (const flag of expectation.flags ?? []) {
    if ((result.encPart.flags & TICKET_FLAGS[flag]) === 0) failures.push(`reply flags lack ${flag}`);
  }
  if (expectation.times === 'tgt') failures.push(...timesFailures(result, presented));
  if (expectation.pacRebuilt !== true) return { failures, notes };

  const { etype, kvno } = result.ticket.encPart;
  const ticketKey = keyFor(target === 'krbtgt' ? keys.krbtgt : keys.service, etype, kvno);
  if (ticketKey === undefined) {
    notes.push(`PAC not checked: no ${target === 'krbtgt' ? 'krbtgt' : 'service'} key for etype ${etype} kvno ${kvno ?? '-'}`);
    return { failures, notes };
  }
  const opened = openTicket(result.ticket, ticketKey);
  const pacBytes = extractPac(opened.encTicketPart.authorizationData);
  if (pacBytes === undefined) return { failures: [...failures, 'ticket has no PAC'], notes };
  const kdcKey = target === 'krbtgt' ? ticketKey : keys.krbtgt?.find((k) => k.key.etype === ETYPE.AES256_CTS_HMAC_SHA1_96)?.key;
  const { pac, signatures } = verifyPac(pacBytes, { serverKey: ticketKey, ...(kdcKey !== undefined ? { kdcKey } : {}) });

  const { user: userSid, groups } = sidsOf(pac);
  if (userSid === undefined) failures.push('PAC has no LOGON_INFO');
  else if (userSid !== user.sid) failures.push(`LOGON_INFO is for ${userSid}, expected ${user.sid}`);
  const missing = (user.groupSids ?? []).filter((g) => !groups.has(g));
  if (missing.length > 0) failures.push(`PAC lacks groups ${missing.join(', ')}`);
  if (!groups.has(ASSERTED_IDENTITY)) failures.push(`PAC lacks ${ASSERTED_IDENTITY}`);
  if (target === 'krbtgt') {
    const requestor = pac.Buffers.find((b) => b.value?.type === 'REQUESTOR')?.value;
    const sid = requestor?.type === 'REQUESTOR' ? formatSid(requestor.value.Sid) : undefined;
    if (sid !== user.sid) failures.push(`REQUESTOR ${sid ?? 'missing'}, expected ${user.sid}`);
  }
  for (const s of signatures) {
    if (s.type !== 'SERVER_CHECKSUM' && s.type !== 'PRIVSVR_CHECKSUM') continue;
    if (s.verified === false) failures.push(`${s.type} does not verify`);
    else if (s.verified === 'not-checked') notes.push(`${s.type} not checked (${s.reason ?? 'no key'})`);
  }
  notes.push(`PAC: ${groups.size} group SIDs, buffers ${pac.Buffers.map((b) => b.ulType).join(',')}`);
  return { failures, notes };
}
