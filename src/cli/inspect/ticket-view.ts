import { encTicketPartCodec, type EncTicketPart, type Ticket } from '../../asn1/index.js';
import { KEY_USAGE, Key } from '../../crypto/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import {
  addressJson,
  authorizationDataJson,
  authorizationDataText,
  encPartJson,
  encPartText,
  flagsJson,
  keyJson,
  keyText,
  principalText,
  time,
  type AddressJson,
  type AuthorizationDataJson,
  type EncPartJson,
  type KeyJson,
  type ViewOptions,
} from './common-views.js';
import type { KeyRing } from './keys.js';
import { pacText } from './pac-view.js';
import { ticketChecksumInput } from '../../ticket/index.js';
import type { VerifyPacKeys } from '../../pac/index.js';

export interface EncTicketPartJson {
  readonly decryptedWith: string;
  readonly flags: readonly string[];
  readonly flagsHex: string;
  readonly key: KeyJson;
  readonly crealm: string;
  readonly cname: string;
  readonly cnameType: number;
  readonly transited: { readonly trType: number; readonly contents: string };
  readonly authtime: string;
  readonly starttime?: string;
  readonly endtime: string;
  readonly renewTill?: string;
  readonly caddr: readonly AddressJson[];
  readonly authorizationData: readonly AuthorizationDataJson[];
}

export interface TicketJson {
  readonly tktVno: number;
  readonly realm: string;
  readonly sname: string;
  readonly snameType: number;
  readonly encPart: EncPartJson;
  readonly decrypted?: EncTicketPartJson;
  /** Why `decrypted` is absent when keys were given. */
  readonly decryptError?: string;
}

export interface TicketResult {
  readonly json: TicketJson;
  /** The session key from the EncTicketPart, for an AP-REQ's authenticator. */
  readonly sessionKey?: Key;
}

/** Usable Key from an EncryptionKey, or undefined for an etype crypto does not implement. */
export function usableKey(k: { keytype: number; keyvalue: Uint8Array }): Key | undefined {
  try {
    return Key.fromBytes(k.keytype, k.keyvalue);
  } catch (e) {
    if (e instanceof TgtbridgeError) return undefined;
    throw e;
  }
}

export function encTicketPartJson(p: EncTicketPart, decryptedWith: string, o: ViewOptions, pacKeys: VerifyPacKeys = {}): EncTicketPartJson {
  const json: { -readonly [K in keyof EncTicketPartJson]: EncTicketPartJson[K] } = {
    decryptedWith,
    ...flagsJson(p.flags),
    key: keyJson(p.key, o),
    crealm: p.crealm,
    cname: principalText(p.cname),
    cnameType: p.cname.nameType,
    transited: { trType: p.transited.trType, contents: Buffer.from(p.transited.contents).toString('hex') },
    authtime: time(p.authtime)!,
    endtime: time(p.endtime)!,
    caddr: (p.caddr ?? []).map(addressJson),
    authorizationData: authorizationDataJson(p.authorizationData ?? [], 0, pacKeys),
  };
  if (p.starttime) json.starttime = time(p.starttime)!;
  if (p.renewTill) json.renewTill = time(p.renewTill)!;
  return json;
}

/** The ticket's fields, and its EncTicketPart when one of the keys opens it (key usage 2, RFC 4120 §5.3). */
export function ticketView(t: Ticket, keys: KeyRing, o: ViewOptions): TicketResult {
  const base: TicketJson = {
    tktVno: t.tktVno,
    realm: t.realm,
    sname: principalText(t.sname),
    snameType: t.sname.nameType,
    encPart: encPartJson(t.encPart),
  };
  if (keys.isEmpty) return { json: base };
  const target = { etype: t.encPart.etype, kvno: t.encPart.kvno, principal: principalText(t.sname, t.realm) };
  const got = keys.tryDecrypt(target, [KEY_USAGE.KDC_REP_TICKET], t.encPart.cipher);
  if (!got) return { json: { ...base, decryptError: `no key given opens it (${base.encPart.etypeName}, ${target.principal})` } };
  let part: EncTicketPart;
  try {
    part = encTicketPartCodec.decode(got.plaintext);
  } catch (e) {
    return { json: { ...base, decryptError: `decrypted with ${got.source}, but the EncTicketPart does not decode: ${(e as Error).message}` } };
  }
  const sessionKey = usableKey(part.key);
  const json = { ...base, decrypted: encTicketPartJson(part, got.source, o, pacKeysFor(t, part, got.key, keys)) };
  return sessionKey ? { json, sessionKey } : { json };
}

/**
 * Keys for the PAC's signatures (MS-PAC §2.8): the key that opened the ticket checks the server
 * signature; the realm's krbtgt key (--krbtgt-key or a keytab entry) the KDC, ticket and full ones —
 * for a TGT that is the same key. The ticket signature also needs the ticket re-encoded with the
 * PAC replaced by one zero byte.
 */
function pacKeysFor(t: Ticket, part: EncTicketPart, serviceKey: Key, keys: KeyRing): VerifyPacKeys {
  const isTgt = t.sname.nameString[0] === 'krbtgt';
  const kdcKey = isTgt ? serviceKey : keys.krbtgtKey(t.realm);
  let input: Uint8Array | undefined;
  try {
    input = ticketChecksumInput(part);
  } catch (e) {
    if (!(e instanceof TgtbridgeError)) throw e;
  }
  return { serverKey: serviceKey, ...(kdcKey !== undefined ? { kdcKey } : {}), ...(input !== undefined ? { ticketChecksumInput: input } : {}) };
}

export function ticketText(t: TicketJson, indent = ''): string[] {
  const out = [
    `${indent}Ticket: ${t.sname}@${t.realm} (name type ${t.snameType}, tkt-vno ${t.tktVno})`,
    `${indent}  enc-part: ${encPartText(t.encPart)}`,
  ];
  if (t.decryptError !== undefined) out.push(`${indent}  not decrypted: ${t.decryptError}`);
  if (t.decrypted) out.push(...encTicketPartText(t.decrypted, `${indent}  `));
  return out;
}

export function encTicketPartText(d: EncTicketPartJson, indent: string): string[] {
  const out = [
    `${indent}EncTicketPart (decrypted with ${d.decryptedWith}):`,
    `${indent}  client:     ${d.cname}@${d.crealm} (name type ${d.cnameType})`,
    `${indent}  flags:      ${d.flags.join(' ') || '(none)'} (${d.flagsHex})`,
    `${indent}  session key: ${keyText(d.key)}`,
    `${indent}  auth time:  ${d.authtime}`,
    `${indent}  start time: ${d.starttime ?? '(not set: auth time)'}`,
    `${indent}  end time:   ${d.endtime}`,
    `${indent}  renew till: ${d.renewTill ?? '(not renewable)'}`,
    `${indent}  transited:  type ${d.transited.trType}${d.transited.contents ? ` ${d.transited.contents}` : ' (empty)'}`,
    `${indent}  addresses:  ${d.caddr.map((a) => a.address).join(', ') || '(none)'}`,
  ];
  if (d.authorizationData.length === 0) out.push(`${indent}  authorization-data: (none)`);
  else out.push(`${indent}  authorization-data:`, ...authorizationDataText(d.authorizationData, pacText, `${indent}    `));
  return out;
}
