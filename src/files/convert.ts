import { ticketCodec, type KrbCredInfo, type PrincipalName, type Ticket } from '../asn1/index.js';
import { TgtbridgeError } from '../errors/index.js';
import { bytesEqual, fromUnixSeconds, unixSeconds } from '../util/index.js';
import {
  CCACHE_TAG_KDC_TIME_OFFSET,
  type Ccache,
  type CcacheCredential,
  type CcacheHeaderTag,
} from './ccache.js';
import { filePrincipalEquals, filePrincipalText, type FilePrincipal } from './file-principal.js';
import type { Kirbi } from './kirbi.js';

/**
 * ccache ⇄ KRB-CRED (RFC 4120 §5.8.1). Each ccache credential becomes one Ticket plus one
 * KrbCredInfo and back:
 *
 *   ccache credential      KrbCredInfo / Ticket
 *   client                 prealm, pname (name type kept)
 *   server                 srealm, sname (name type kept)
 *   key                    key
 *   authtime … renew_till  authtime … renew-till (a 0 time is an absent field and back)
 *   ticket_flags           flags (the same u32: MIT bit 0 = 0x80000000 = BIT STRING bit 0)
 *   addresses              caddr (absent when empty)
 *   ticket                 tickets[i], the same DER octets
 *
 * What KRB-CRED has no field for is never dropped silently: every conversion returns `dropped`,
 * one line per thing left out, for the caller to print. Those are ccache config entries
 * (X-CACHECONF:), authdata, is_skey, second_ticket, header tags other than a zero KDC offset, and
 * a default principal that is not the first credential's client; the other way, EncKrbCredPart's
 * nonce, timestamp, usec, s-address and r-address.
 */
export interface Converted<T> {
  readonly value: T;
  readonly dropped: readonly Dropped[];
}

/** One thing the target format has no field for. `detail` is for people, `field` for code. */
export interface Dropped {
  readonly field: DroppedField;
  /** Index of the ccache credential or KRB-CRED ticket it belonged to. */
  readonly credential?: number;
  readonly detail: string;
}

export type DroppedField =
  | 'config-entry'
  | 'authdata'
  | 'is-skey'
  | 'second-ticket'
  | 'header-tag'
  | 'kdc-time-offset'
  | 'default-principal'
  | 'nonce'
  | 'timestamp'
  | 's-address'
  | 'r-address';

export function ccacheToKirbi(cc: Ccache): Converted<Kirbi> {
  const dropped: Dropped[] = [];
  const offset = cc.headerTags.find((t) => t.tag === CCACHE_TAG_KDC_TIME_OFFSET);
  if (offset && offset.value.some((b) => b !== 0)) dropped.push({ field: 'kdc-time-offset', detail: 'ccache header: KDC time offset (non-zero)' });
  for (const t of cc.headerTags) {
    if (t.tag !== CCACHE_TAG_KDC_TIME_OFFSET) dropped.push({ field: 'header-tag', detail: `ccache header: tag ${t.tag}` });
  }

  const tickets: Ticket[] = [];
  const ticketInfo: KrbCredInfo[] = [];
  cc.credentials.forEach((c, i) => {
    const label = `credential ${i} (${filePrincipalText(c.server)})`;
    if (c.isConfigEntry) {
      dropped.push({ field: 'config-entry', credential: i, detail: `config entry ${c.server.components.slice(1).join(' ')}` });
      return;
    }
    if (c.authdata.length > 0) {
      dropped.push({ field: 'authdata', credential: i, detail: `${label}: ${c.authdata.length} authdata element(s) (types ${c.authdata.map((a) => a.adType).join(', ')})` });
    }
    if (c.isSkey) dropped.push({ field: 'is-skey', credential: i, detail: `${label}: is_skey (user-to-user)` });
    if (c.secondTicket.length > 0) {
      dropped.push({ field: 'second-ticket', credential: i, detail: `${label}: second_ticket (${c.secondTicket.length} bytes)` });
    }
    tickets.push(ticketOf(c, i));
    ticketInfo.push(credInfoOf(c));
  });
  const first = cc.credentials.find((c) => !c.isConfigEntry);
  if (first === undefined) {
    throw new TgtbridgeError('ERR_CCACHE_FORMAT', 'the ccache holds no tickets (only config entries): nothing to put in a KRB-CRED');
  }
  if (!filePrincipalEquals(cc.defaultPrincipal, first.client) || cc.defaultPrincipal.nameType !== first.client.nameType) {
    dropped.push({
      field: 'default-principal',
      detail: `default principal ${filePrincipalText(cc.defaultPrincipal)} (the first ticket's client ${filePrincipalText(first.client)} becomes the default)`,
    });
  }
  return { value: { tickets, encPart: { ticketInfo } }, dropped };
}

/** The DER in the ccache, decoded; refused unless it encodes back to the same octets (no silent rewrite). */
function ticketOf(c: CcacheCredential, i: number): Ticket {
  let t: Ticket;
  try {
    t = ticketCodec.decode(c.ticket);
  } catch (e) {
    throw new TgtbridgeError('ERR_CCACHE_FORMAT', `credential ${i}: ticket is not a DER Ticket (${(e as Error).message})`, { cause: e });
  }
  if (!bytesEqual(ticketCodec.encode(t), c.ticket)) {
    throw new TgtbridgeError('ERR_CCACHE_FORMAT', `credential ${i}: ticket is not in canonical DER and would change in a KRB-CRED`);
  }
  return t;
}

function principalName(p: FilePrincipal): PrincipalName {
  return { nameType: p.nameType, nameString: p.components };
}

function optionalTime(d: Date): Date | undefined {
  return unixSeconds(d) === 0 ? undefined : d;
}

function credInfoOf(c: CcacheCredential): KrbCredInfo {
  const info: { -readonly [K in keyof KrbCredInfo]: KrbCredInfo[K] } = {
    key: c.key,
    prealm: c.client.realm,
    pname: principalName(c.client),
    flags: c.ticketFlags >>> 0,
    srealm: c.server.realm,
    sname: principalName(c.server),
  };
  const times = { authtime: c.authtime, starttime: c.starttime, endtime: c.endtime, renewTill: c.renewTill };
  for (const [k, v] of Object.entries(times) as [keyof typeof times, Date][]) {
    const t = optionalTime(v);
    if (t !== undefined) info[k] = t;
  }
  if (c.addresses.length > 0) info.caddr = c.addresses;
  return info;
}

/** What MIT's krb5_cc_initialize writes: a v4 header with a zero KDC time offset. */
const DEFAULT_HEADER: readonly CcacheHeaderTag[] = [{ tag: CCACHE_TAG_KDC_TIME_OFFSET, value: new Uint8Array(8) }];

export function kirbiToCcache(k: Kirbi): Converted<Ccache> {
  const dropped: Dropped[] = [];
  const p = k.encPart;
  if (p.nonce !== undefined) dropped.push({ field: 'nonce', detail: 'EncKrbCredPart: nonce' });
  if (p.timestamp !== undefined || p.usec !== undefined) dropped.push({ field: 'timestamp', detail: 'EncKrbCredPart: timestamp/usec' });
  if (p.sAddress !== undefined) dropped.push({ field: 's-address', detail: 'EncKrbCredPart: s-address' });
  if (p.rAddress !== undefined) dropped.push({ field: 'r-address', detail: 'EncKrbCredPart: r-address' });
  if (k.tickets.length !== p.ticketInfo.length) {
    throw new TgtbridgeError('ERR_KIRBI_FORMAT', `KRB-CRED has ${k.tickets.length} ticket(s) but ${p.ticketInfo.length} KrbCredInfo(s)`);
  }
  if (k.tickets.length === 0) throw new TgtbridgeError('ERR_KIRBI_FORMAT', 'KRB-CRED holds no tickets');

  const credentials = k.tickets.map((t, i) => credentialOf(t, p.ticketInfo[i]!, i));
  return {
    value: { version: 4, headerTags: DEFAULT_HEADER, defaultPrincipal: credentials[0]!.client, credentials },
    dropped,
  };
}

function credentialOf(ticket: Ticket, info: KrbCredInfo, i: number): CcacheCredential {
  if (info.pname === undefined || info.prealm === undefined) {
    // A ccache credential must name its client; nothing else in a KRB-CRED does.
    throw new TgtbridgeError('ERR_KIRBI_FORMAT', `KrbCredInfo ${i} has no pname/prealm: the client of the ticket is unknown`);
  }
  const u16 = (n: number, what: string): number => {
    if (!Number.isInteger(n) || n < 0 || n > 0xffff) {
      throw new TgtbridgeError('ERR_KIRBI_FORMAT', `KrbCredInfo ${i}: ${what} ${n} does not fit the ccache's 16-bit field`);
    }
    return n;
  };
  // The ccache keeps times as u32 seconds (ccache_file_format.rst); a KerberosTime outside
  // 1970..2106 has no encoding there, and wrapping it would change the ticket's lifetime.
  const time = (d: Date | undefined, what: string): Date => {
    if (d === undefined) return fromUnixSeconds(0);
    const s = unixSeconds(d);
    if (s < 0 || s > 0xffffffff) {
      throw new TgtbridgeError('ERR_KIRBI_FORMAT', `KrbCredInfo ${i}: ${what} ${d.toISOString()} is outside the ccache's 1970..2106 range`);
    }
    return d;
  };
  const sname = info.sname ?? ticket.sname;
  return {
    client: { nameType: info.pname.nameType, components: info.pname.nameString, realm: info.prealm },
    server: { nameType: sname.nameType, components: sname.nameString, realm: info.srealm ?? ticket.realm },
    key: { keytype: u16(info.key.keytype, 'key type'), keyvalue: info.key.keyvalue },
    authtime: time(info.authtime, 'authtime'),
    starttime: time(info.starttime, 'starttime'),
    endtime: time(info.endtime, 'endtime'),
    renewTill: time(info.renewTill, 'renew-till'),
    isSkey: false,
    ticketFlags: info.flags ?? 0,
    addresses: (info.caddr ?? []).map((a) => ({ addrType: u16(a.addrType, 'address type'), address: a.address })),
    authdata: [],
    ticket: ticketCodec.encode(ticket),
    secondTicket: new Uint8Array(0),
    isConfigEntry: false,
  };
}
