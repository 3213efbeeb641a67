import {
  extractPac,
  formatPrincipal,
  KDC_OPTIONS,
  NAME_TYPES,
  splitKvno,
  TICKET_FLAGS,
  type EncTicketPart,
  type Ticket,
} from '../../asn1/index.js';
import { etypeName, type Key } from '../../crypto/index.js';
import type { Directory, DirectoryUser } from '../../directory/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import {
  isResponseTooBig,
  KdcReplyError,
  requestTgs,
  sendToKdc,
  type EmbeddedKeys,
  type KdcAddress,
  type TgtCredential,
  type VersionedKey,
} from '../../kdc/index.js';
import { describePac, type PacView, type VerifyPacKeys } from '../../pac/index.js';
import { MintRefusedError, openTicket, ticketChecksumInput } from '../../ticket/index.js';
import type { Clock, RandomSource } from '../../util/index.js';
import type { DeviceMinter } from '../device/device-minter.js';

/**
 * What the demo page shows: the bridge plays the device agent for the signed-in person — it mints
 * the partial TGT (as /device/token would deliver it), exchanges it at the embedded KDC over the
 * real UDP/TCP path for a full TGT (RFC 4120 §3.3, the RODC exchange of DESIGN.md "The flow"),
 * then asks for a service ticket with that TGT — and opens each ticket with the key it holds so
 * the page can show what is inside. Session keys stay in this function; the views carry none.
 */
export interface DemoOptions {
  readonly realm: string;
  readonly directory: Directory;
  /**
   * The minter for one sign-in: its clock reads the sign-in's time, so the partial TGT's authtime
   * (and CLIENT_INFO) is when the passkey was used, as when the device login mints at sign-in.
   */
  readonly minterAt: (authTime: Date) => Promise<DeviceMinter>;
  /** The embedded exchange KDC (loopback). */
  readonly kdc: KdcAddress;
  /** The keys of the embedded default, re-read per run so a `keys rotate` shows up. */
  readonly keys: () => Promise<EmbeddedKeys>;
  /** e.g. cifs/fs1.demo.test */
  readonly service: string;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly timeoutMs?: number;
}

/** One ticket, decoded for display. Nothing here is secret: no key bytes, no session key. */
export interface DemoTicketView {
  readonly sname: string;
  readonly cname: string;
  /** Unsigned kvno of the key the ticket is encrypted with, and its RODC number/version split. */
  readonly kvno: number | undefined;
  readonly rodcNumber: number;
  readonly keyVersion: number;
  readonly etype: string;
  readonly sessionKeyEtype: string;
  /** Which key opened it, in words (e.g. "krbtgt_4242 (kvno 278069249)"). */
  readonly openedWith: string;
  readonly flags: readonly string[];
  readonly authtime: Date;
  readonly starttime: Date | undefined;
  readonly endtime: Date;
  readonly renewTill: Date | undefined;
  readonly pac: PacView | undefined;
}

export type DemoStep = 'mint' | 'exchange' | 'service';

export interface DemoRun {
  readonly user: DirectoryUser;
  readonly partial?: DemoTicketView;
  readonly full?: DemoTicketView;
  readonly service?: DemoTicketView;
  /** Where it stopped, in words (a policy refusal, a KRB-ERROR explained, an unreachable KDC). */
  readonly failure?: { readonly step: DemoStep; readonly code: string; readonly reason: string };
  /** SID → directory group name, for the PAC's groups and extra SIDs. */
  readonly sidNames: ReadonlyMap<string, string>;
}

function flagNames(flags: number): string[] {
  return Object.entries(TICKET_FLAGS)
    .filter(([, bit]) => (flags & bit) >>> 0 !== 0)
    .map(([name]) => name);
}

function view(ticket: Ticket, part: EncTicketPart, openedWith: string, pacKeys: VerifyPacKeys): DemoTicketView {
  const kvno = ticket.encPart.kvno === undefined ? undefined : ticket.encPart.kvno >>> 0;
  const { rodcNumber, keyVersion } = splitKvno(kvno ?? 0);
  const pac = extractPac(part.authorizationData);
  return {
    sname: formatPrincipal(ticket.sname, ticket.realm),
    cname: formatPrincipal(part.cname, part.crealm),
    kvno,
    rodcNumber,
    keyVersion,
    etype: etypeName(ticket.encPart.etype),
    sessionKeyEtype: etypeName(part.key.keytype),
    openedWith,
    flags: flagNames(part.flags),
    authtime: part.authtime,
    starttime: part.starttime,
    endtime: part.endtime,
    renewTill: part.renewTill,
    pac: pac === undefined ? undefined : describePac(pac, pacKeys),
  };
}

function pick(keys: readonly VersionedKey[] | undefined, ticket: Ticket, what: string): Key {
  const kvno = ticket.encPart.kvno === undefined ? undefined : ticket.encPart.kvno >>> 0;
  const k = (keys ?? []).find((v) => v.key.etype === ticket.encPart.etype && (kvno === undefined || v.kvno === kvno));
  if (k === undefined) throw new TgtbridgeError('ERR_KEY_SET', `no ${etypeName(ticket.encPart.etype)} key with kvno ${kvno ?? '(none)'} for ${what}`);
  return k.key;
}

async function sidNamesFor(directory: Directory): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const g of await directory.listGroups()) names.set(g.objectSid, g.name);
  return names;
}

function failureOf(step: DemoStep, e: unknown): NonNullable<DemoRun['failure']> {
  if (e instanceof MintRefusedError) return { step, code: e.code, reason: e.message };
  if (e instanceof KdcReplyError) return { step, code: e.code, reason: e.explanation };
  if (e instanceof TgtbridgeError) return { step, code: e.code, reason: e.message };
  throw e;
}

/** Mint (as of `authTime`) → exchange → service ticket for `user`; stops at the first refusal and says why. */
export async function runDemo(o: DemoOptions, user: DirectoryUser, authTime: Date): Promise<DemoRun> {
  const sidNames = await sidNamesFor(o.directory);
  const keys = await o.keys();
  const send = (der: Uint8Array) => sendToKdc([o.kdc], der, { isResponseTooBig, timeoutMs: o.timeoutMs ?? 3000 });
  const krbtgt = { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['krbtgt', o.realm] };
  const base = { clock: o.clock, random: o.random, kdcOptions: (KDC_OPTIONS.forwardable | KDC_OPTIONS.renewable | KDC_OPTIONS.canonicalize) >>> 0 };

  let partialTgt: TgtCredential;
  let partial: DemoTicketView;
  try {
    const minter = await o.minterAt(authTime);
    await minter.checkPolicy(user);
    const minted = await minter.mint(user);
    const rodcKey = keys.rodcKeys.byKvno(minted.kvno);
    if (rodcKey === undefined) throw new TgtbridgeError('ERR_KEY_SET', `the key set has no krbtgt_N key with kvno ${minted.kvno}`);
    const opened = openTicket(minted.ticket, rodcKey.key);
    partial = view(minted.ticket, opened.encTicketPart, `krbtgt_${rodcKey.rodcNumber} (the bridge's RODC key, kvno ${minted.kvno})`, { serverKey: rodcKey.key, kdcKey: rodcKey.key });
    partialTgt = { ticket: minted.ticket, sessionKey: minted.sessionKey, crealm: minted.encTicketPart.crealm, cname: minted.encTicketPart.cname };
  } catch (e) {
    return { user, sidNames, failure: failureOf('mint', e) };
  }

  let fullTgt: TgtCredential;
  let full: DemoTicketView;
  try {
    const got = await requestTgs({
      ...base, send, tgt: partialTgt, sname: krbtgt, srealm: o.realm,
      till: partial.endtime, ...(partial.renewTill !== undefined ? { rtime: partial.renewTill } : {}),
    });
    const key = pick(keys.krbtgtKeys, got.ticket, `krbtgt/${o.realm}`);
    const opened = openTicket(got.ticket, key);
    full = view(got.ticket, opened.encTicketPart, `krbtgt/${o.realm} (the realm's krbtgt key, kvno ${got.ticket.encPart.kvno ?? 'none'})`, { serverKey: key, kdcKey: key });
    fullTgt = { ticket: got.ticket, sessionKey: got.sessionKey, crealm: partialTgt.crealm, cname: partialTgt.cname };
  } catch (e) {
    return { user, sidNames, partial, failure: failureOf('exchange', e) };
  }

  try {
    const sname = { nameType: NAME_TYPES['NT-SRV-INST'], nameString: o.service.split('/') };
    const got = await requestTgs({ ...base, send, tgt: fullTgt, sname, srealm: o.realm, till: full.endtime });
    const key = pick(keys.serviceKeys.get(o.service.toLowerCase()), got.ticket, o.service);
    const krbtgtKey = keys.krbtgtKeys.find((k) => k.key.etype === fullTgt.ticket.encPart.etype && k.kvno === (fullTgt.ticket.encPart.kvno ?? 0) >>> 0)?.key;
    const opened = openTicket(got.ticket, key);
    const service = view(got.ticket, opened.encTicketPart, `${o.service} (the service's keytab key, kvno ${got.ticket.encPart.kvno ?? 'none'})`, {
      serverKey: key,
      ...(krbtgtKey !== undefined ? { kdcKey: krbtgtKey } : {}),
      ticketChecksumInput: ticketChecksumInput(opened.encTicketPart),
    });
    return { user, sidNames, partial, full, service };
  } catch (e) {
    return { user, sidNames, partial, full, failure: failureOf('service', e) };
  }
}
