import { encKrbCredPartCodec, splitKvno, ticketCodec, type KrbCred, type KrbCredInfo } from '../../asn1/index.js';
import { KEY_USAGE, etypeName } from '../../crypto/index.js';
import {
  ccacheKdcTimeOffset,
  filePrincipalText,
  type Ccache,
  type CcacheCredential,
  type Keytab,
} from '../../files/index.js';
import { unixSeconds } from '../../util/index.js';
import {
  addressJson,
  encPartJson,
  encPartText,
  flagsJson,
  keyJson,
  keyText,
  principalText,
  time,
  type AddressJson,
  type EncPartJson,
  type KeyJson,
  type ViewOptions,
} from './common-views.js';
import type { KeyRing } from './keys.js';
import { ticketText, ticketView, type TicketJson } from './ticket-view.js';

export interface CcacheCredentialJson {
  readonly client: string;
  readonly server: string;
  readonly sessionKey: KeyJson;
  /** ISO 8601 UTC; null when the ccache holds 0 ("not set"). */
  readonly authtime: string | null;
  readonly starttime: string | null;
  readonly endtime: string | null;
  readonly renewTill: string | null;
  readonly flags: readonly string[];
  readonly flagsHex: string;
  readonly isSkey: boolean;
  readonly addresses: readonly AddressJson[];
  readonly authdata: readonly { readonly adType: number; readonly length: number }[];
  readonly ticket: TicketJson | { readonly error: string };
  readonly secondTicketLength: number;
}

export interface CcacheJson {
  readonly version: number;
  readonly defaultPrincipal: string;
  readonly kdcTimeOffset?: { readonly seconds: number; readonly microseconds: number };
  readonly credentials: readonly CcacheCredentialJson[];
  readonly config: readonly { readonly key: string; readonly principal?: string; readonly value: string }[];
}

function ccTime(d: Date): string | null {
  return unixSeconds(d) === 0 ? null : time(d)!;
}

function credentialJson(c: CcacheCredential, keys: KeyRing, o: ViewOptions): CcacheCredentialJson {
  let ticket: TicketJson | { error: string };
  try {
    ticket = ticketView(ticketCodec.decode(c.ticket), keys, o).json;
  } catch (e) {
    ticket = { error: `ticket does not decode: ${(e as Error).message}` };
  }
  return {
    client: filePrincipalText(c.client),
    server: filePrincipalText(c.server),
    sessionKey: keyJson(c.key, o),
    authtime: ccTime(c.authtime),
    starttime: ccTime(c.starttime),
    endtime: ccTime(c.endtime),
    renewTill: ccTime(c.renewTill),
    ...flagsJson(c.ticketFlags),
    isSkey: c.isSkey,
    addresses: c.addresses.map(addressJson),
    authdata: c.authdata.map((a) => ({ adType: a.adType, length: a.adData.length })),
    ticket,
    secondTicketLength: c.secondTicket.length,
  };
}

function printable(b: Uint8Array): string {
  const s = Buffer.from(b).toString('utf8');
  return /^[\x20-\x7e]*$/.test(s) ? s : `0x${Buffer.from(b).toString('hex')}`;
}

export function ccacheJson(cc: Ccache, keys: KeyRing, o: ViewOptions): CcacheJson {
  const offset = ccacheKdcTimeOffset(cc);
  const config = cc.credentials
    .filter((c) => c.isConfigEntry)
    .map((c) => {
      const [, key = '', principal] = c.server.components;
      return principal === undefined ? { key, value: printable(c.ticket) } : { key, principal, value: printable(c.ticket) };
    });
  return {
    version: cc.version,
    defaultPrincipal: filePrincipalText(cc.defaultPrincipal),
    ...(offset ? { kdcTimeOffset: offset } : {}),
    credentials: cc.credentials.filter((c) => !c.isConfigEntry).map((c) => credentialJson(c, keys, o)),
    config,
  };
}

/** Like `klist -e -f -C`: the same columns and letters, times in UTC ISO 8601. */
export function ccacheText(j: CcacheJson): string[] {
  const out = [`Ticket cache: version ${j.version}`, `Default principal: ${j.defaultPrincipal}`];
  if (j.kdcTimeOffset && (j.kdcTimeOffset.seconds !== 0 || j.kdcTimeOffset.microseconds !== 0)) {
    out.push(`KDC time offset: ${j.kdcTimeOffset.seconds} s ${j.kdcTimeOffset.microseconds} µs`);
  }
  out.push('', `${'Valid starting'.padEnd(22)}${'Expires'.padEnd(22)}Service principal`);
  for (const c of j.config) out.push(`config: ${c.key}${c.principal === undefined ? '' : `(${c.principal})`} = ${c.value}`);
  for (const c of j.credentials) {
    out.push(`${(c.starttime ?? c.authtime ?? '-').padEnd(22)}${(c.endtime ?? '-').padEnd(22)}${c.server}`);
    if (c.renewTill) out.push(`\trenew until ${c.renewTill}`);
    out.push(`\tFlags: ${klistLetters(c.flags)} (${c.flags.join(' ') || 'none'})`);
    const tkt = 'error' in c.ticket ? undefined : c.ticket;
    out.push(`\tEtype (skey, tkt): ${keyText(c.sessionKey)}, ${tkt ? tkt.encPart.etypeName : '?'}`);
    if (c.client !== j.defaultPrincipal) out.push(`\tClient: ${c.client}`);
    if (c.addresses.length > 0) out.push(`\tAddresses: ${c.addresses.map((a) => a.address).join(', ')}`);
    if (c.authdata.length > 0) out.push(`\tAD types: ${c.authdata.map((a) => a.adType).join(', ')}`);
    if (c.isSkey) out.push('\tuser-to-user (is_skey), second ticket ' + c.secondTicketLength + ' bytes');
    if ('error' in c.ticket) out.push(`\t${c.ticket.error}`);
    else out.push(...ticketText(c.ticket, '\t').slice(1));
  }
  return out;
}

/**
 * MIT klist.c flag letters, in the order klist prints them: not bit order, hw-authent (H) comes
 * before pre-authent (A).
 */
const LETTERS: readonly (readonly [string, string])[] = [
  ['forwardable', 'F'],
  ['forwarded', 'f'],
  ['proxiable', 'P'],
  ['proxy', 'p'],
  ['may-postdate', 'D'],
  ['postdated', 'd'],
  ['invalid', 'i'],
  ['renewable', 'R'],
  ['initial', 'I'],
  ['hw-authent', 'H'],
  ['pre-authent', 'A'],
  ['transited-policy-checked', 'T'],
  ['ok-as-delegate', 'O'],
  ['anonymous', 'a'],
];

function klistLetters(flags: readonly string[]): string {
  return LETTERS.filter(([name]) => flags.includes(name)).map(([, letter]) => letter).join('');
}

export interface KeytabJson {
  readonly version: number;
  readonly entries: readonly {
    readonly principal: string;
    readonly nameType: number;
    readonly kvno: number;
    readonly kvnoSplit?: { readonly rodcNumber: number; readonly keyVersion: number };
    readonly etype: number;
    readonly etypeName: string;
    readonly timestamp: string;
    readonly key?: string;
  }[];
}

export function keytabJson(kt: Keytab, o: ViewOptions): KeytabJson {
  return {
    version: kt.version,
    entries: kt.entries.map((e) => ({
      principal: filePrincipalText(e.principal),
      nameType: e.principal.nameType,
      kvno: e.kvno,
      ...(e.kvno > 0xffff ? { kvnoSplit: splitKvno(e.kvno) } : {}),
      etype: e.key.keytype,
      etypeName: etypeName(e.key.keytype),
      timestamp: time(e.timestamp)!,
      ...(o.showKeys ? { key: Buffer.from(e.key.keyvalue).toString('hex') } : {}),
    })),
  };
}

/** Like `klist -k -t -e [-K]`. */
export function keytabText(j: KeytabJson): string[] {
  const out = [`Keytab: version 0x050${j.version}, ${j.entries.length} entr${j.entries.length === 1 ? 'y' : 'ies'}`, `${'KVNO'.padStart(10)} ${'Timestamp'.padEnd(21)}Principal`];
  for (const e of j.entries) {
    const split = e.kvnoSplit ? ` (RODC ${e.kvnoSplit.rodcNumber}, key version ${e.kvnoSplit.keyVersion})` : '';
    out.push(`${String(e.kvno).padStart(10)} ${e.timestamp.padEnd(21)}${e.principal} (${e.etypeName})${e.key === undefined ? '' : ` (0x${e.key})`}${split}`);
  }
  return out;
}

export interface KrbCredInfoJson {
  readonly client?: string;
  readonly server?: string;
  readonly sessionKey: KeyJson;
  readonly flags?: readonly string[];
  readonly authtime?: string;
  readonly starttime?: string;
  readonly endtime?: string;
  readonly renewTill?: string;
  readonly caddr?: readonly AddressJson[];
}

export interface KrbCredJson {
  readonly tickets: readonly TicketJson[];
  readonly encPart: EncPartJson;
  readonly ticketInfo?: readonly KrbCredInfoJson[];
  readonly decryptError?: string;
}

function credInfoJson(i: KrbCredInfo, o: ViewOptions): KrbCredInfoJson {
  const out: { -readonly [K in keyof KrbCredInfoJson]: KrbCredInfoJson[K] } = { sessionKey: keyJson(i.key, o) };
  if (i.pname) out.client = principalText(i.pname, i.prealm);
  if (i.sname) out.server = principalText(i.sname, i.srealm);
  if (i.flags !== undefined) out.flags = flagsJson(i.flags).flags;
  for (const k of ['authtime', 'starttime', 'endtime', 'renewTill'] as const) {
    const v = time(i[k]);
    if (v !== undefined) out[k] = v;
  }
  if (i.caddr) out.caddr = i.caddr.map(addressJson);
  return out;
}

/** KRB-CRED / .kirbi: etype 0 is read directly (RFC 6448); otherwise keys are tried with usage 14. */
export function krbCredJson(cred: KrbCred, keys: KeyRing, o: ViewOptions): KrbCredJson {
  const tickets = cred.tickets.map((t) => ticketView(t, keys, o).json);
  const encPart = encPartJson(cred.encPart);
  let plain: Uint8Array | undefined = cred.encPart.etype === 0 ? cred.encPart.cipher : undefined;
  if (plain === undefined) {
    if (keys.isEmpty) return { tickets, encPart, decryptError: 'enc-part is encrypted; give --key, --keytab or --password' };
    const got = keys.tryDecrypt({ etype: cred.encPart.etype, kvno: cred.encPart.kvno }, [KEY_USAGE.KRB_CRED_ENC_PART], cred.encPart.cipher);
    if (!got) return { tickets, encPart, decryptError: 'no key given opens the enc-part' };
    plain = got.plaintext;
  }
  try {
    return { tickets, encPart, ticketInfo: encKrbCredPartCodec.decode(plain).ticketInfo.map((i) => credInfoJson(i, o)) };
  } catch (e) {
    return { tickets, encPart, decryptError: `EncKrbCredPart does not decode: ${(e as Error).message}` };
  }
}

export function krbCredText(j: KrbCredJson): string[] {
  const out = [`KRB-CRED: ${j.tickets.length} ticket(s), enc-part ${j.encPart.etype === 0 ? 'unencrypted (etype 0, .kirbi)' : encPartText(j.encPart)}`];
  if (j.decryptError !== undefined) out.push(`  enc-part not read: ${j.decryptError}`);
  j.tickets.forEach((t, i) => {
    out.push('', `[${i}]`);
    const info = j.ticketInfo?.[i];
    if (info) {
      out.push(`  client: ${info.client ?? '?'}  server: ${info.server ?? '?'}`);
      out.push(`  session key: ${keyText(info.sessionKey)}  flags: ${info.flags?.join(' ') ?? '(none)'}`);
      out.push(`  auth ${info.authtime ?? '-'}  start ${info.starttime ?? '-'}  end ${info.endtime ?? '-'}  renew till ${info.renewTill ?? '-'}`);
    }
    out.push(...ticketText(t, '  '));
  });
  return out;
}
