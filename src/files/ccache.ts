import type { AuthorizationDataEntry, EncryptionKey, HostAddress } from '../asn1/index.js';
import { fromUnixSeconds, unixSeconds } from '../util/index.js';
import { BinaryReader, BinaryWriter, encodeText } from './binary.js';
import type { FilePrincipal } from './file-principal.js';

/**
 * MIT krb5 FILE credential cache, after MIT's doc/formats/ccache_file_format.rst:
 *
 *   header         = 0x05, version (1..4) [, v4: u16 headerlen, {u16 tag, u16 len, value}*]
 *   file           = header, default principal, credential* (until end of file; no count)
 *   principal      = [name_type i32 (not in v1)], count u32 (v1: realm included), realm data, component data*
 *   credential     = client, server, keyblock, authtime, starttime, endtime, renew_till (u32 each),
 *                    is_skey u8, ticket_flags u32, addresses, authdata, ticket data, second_ticket data
 *   keyblock       = enctype u16 [v3: enctype u16 again], data
 *   addresses      = count u32, {addrtype u16, data}*
 *   authdata       = count u32, {ad_type u16, data}*
 *   data           = length u32, bytes
 *
 * Versions 3 and 4 are big-endian; 1 and 2 use the writer's native order, read here as x86
 * little-endian. We write version 4 only.
 */
export interface Ccache {
  readonly version: CcacheVersion;
  /** v4 header fields in file order, unknown tags included; empty for v1–v3. */
  readonly headerTags: readonly CcacheHeaderTag[];
  readonly defaultPrincipal: FilePrincipal;
  readonly credentials: readonly CcacheCredential[];
}

export type CcacheVersion = 1 | 2 | 3 | 4;

export interface CcacheHeaderTag {
  readonly tag: number;
  readonly value: Uint8Array;
}

/** Header tag 1: the client's clock offset from the KDC (ccache_file_format.rst "Header format"). */
export const CCACHE_TAG_KDC_TIME_OFFSET = 1;

export interface CcacheCredential {
  readonly client: FilePrincipal;
  readonly server: FilePrincipal;
  /** The session key; keytype is the u16 from the file. */
  readonly key: EncryptionKey;
  /** u32 seconds; 0 ("not set") reads as the Unix epoch and writes back as 0. */
  readonly authtime: Date;
  readonly starttime: Date;
  readonly endtime: Date;
  readonly renewTill: Date;
  /** is_skey: the ticket is encrypted in the session key of `secondTicket` (user-to-user). */
  readonly isSkey: boolean;
  /**
   * The is_skey octet when it is neither 0 nor 1, for writing it back unchanged. MIT reads it as a
   * krb5_boolean (any non-zero is set) and its get_creds stores the KDC option it asked with,
   * KDC_OPT_ENC_TKT_IN_SKEY (8): that is what `kvno --u2u` leaves in the file.
   */
  readonly isSkeyOctet?: number;
  /** TicketFlags as MIT stores them: bit 0 of the ASN.1 BIT STRING is 0x80000000. */
  readonly ticketFlags: number;
  readonly addresses: readonly HostAddress[];
  readonly authdata: readonly AuthorizationDataEntry[];
  /** DER Ticket; for a config entry, the configuration value. */
  readonly ticket: Uint8Array;
  readonly secondTicket: Uint8Array;
  /** Server realm `X-CACHECONF:`, first component `krb5_ccache_conf_data`: not a ticket. */
  readonly isConfigEntry: boolean;
}

export const CCACHE_CONFIG_REALM = 'X-CACHECONF:';
export const CCACHE_CONFIG_COMPONENT = 'krb5_ccache_conf_data';

export function isCcacheConfigPrincipal(server: FilePrincipal): boolean {
  return server.realm === CCACHE_CONFIG_REALM && server.components[0] === CCACHE_CONFIG_COMPONENT;
}

/** Does `bytes` start like a ccache (0x05, version 1–4)? A sniff for format detection only. */
export function looksLikeCcache(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x05 && bytes[1]! >= 1 && bytes[1]! <= 4;
}

export function decodeCcache(bytes: Uint8Array): Ccache {
  const r = new BinaryReader(bytes, 'ERR_CCACHE_FORMAT');
  if (r.u8('ccache.magic') !== 0x05) r.fail('ccache.magic', 'first byte is not 0x05', 0);
  const version = r.u8('ccache.version');
  if (version < 1 || version > 4) r.fail('ccache.version', `unsupported version ${version}`, 1);
  const v = version as CcacheVersion;
  r.littleEndian = v <= 2;

  const headerTags = v === 4 ? readHeader(r) : [];
  const defaultPrincipal = readPrincipal(r, v, 'ccache.defaultPrincipal');
  const credentials: CcacheCredential[] = [];
  while (r.remaining > 0) credentials.push(readCredential(r, v, `ccache.credentials[${credentials.length}]`));
  return { version: v, headerTags, defaultPrincipal, credentials };
}

function readHeader(r: BinaryReader): CcacheHeaderTag[] {
  const length = r.u16('ccache.header.length');
  const h = r.sub(length, 'ccache.header');
  const tags: CcacheHeaderTag[] = [];
  while (h.remaining > 0) {
    const path = `ccache.header.tags[${tags.length}]`;
    const at = h.offset;
    const tag = h.u16(`${path}.tag`);
    const len = h.u16(`${path}.length`);
    if (tag === CCACHE_TAG_KDC_TIME_OFFSET && len !== 8) h.fail(path, `KDC time offset must be 8 bytes, not ${len}`, at);
    tags.push({ tag, value: h.bytes(len, `${path}.value`) });
  }
  return tags;
}

function readPrincipal(r: BinaryReader, v: CcacheVersion, path: string): FilePrincipal {
  // krb5_int32 in MIT (ccmarshal.c): negative name types such as NT-MS-PRINCIPAL (-128) occur.
  const nameType = v === 1 ? 0 : r.i32(`${path}.nameType`);
  const at = r.offset;
  // Each component needs at least its 4-byte length.
  let count = r.count(4, 4, `${path}.count`);
  if (v === 1) {
    if (count === 0) r.fail(`${path}.count`, 'version 1 count must include the realm', at);
    count -= 1;
  }
  const realm = readText(r, `${path}.realm`);
  const components: string[] = [];
  for (let i = 0; i < count; i++) components.push(readText(r, `${path}.components[${i}]`));
  return { nameType, components, realm };
}

function readText(r: BinaryReader, path: string): string {
  return r.text(r.u32(`${path}.length`), path);
}

function readData(r: BinaryReader, path: string): Uint8Array {
  return r.bytes(r.u32(`${path}.length`), path);
}

function readCredential(r: BinaryReader, v: CcacheVersion, path: string): CcacheCredential {
  const client = readPrincipal(r, v, `${path}.client`);
  const server = readPrincipal(r, v, `${path}.server`);
  const keytype = r.u16(`${path}.key.enctype`);
  if (v === 3) {
    const at = r.offset;
    const again = r.u16(`${path}.key.enctype2`);
    if (again !== keytype) r.fail(`${path}.key.enctype2`, `repeated enctype ${again} differs from ${keytype}`, at);
  }
  const key: EncryptionKey = { keytype, keyvalue: readData(r, `${path}.key.keyvalue`) };
  const authtime = fromUnixSeconds(r.u32(`${path}.authtime`));
  const starttime = fromUnixSeconds(r.u32(`${path}.starttime`));
  const endtime = fromUnixSeconds(r.u32(`${path}.endtime`));
  const renewTill = fromUnixSeconds(r.u32(`${path}.renewTill`));
  const skey = r.u8(`${path}.isSkey`);
  const ticketFlags = r.u32(`${path}.ticketFlags`);

  const addresses: HostAddress[] = [];
  const nAddr = r.count(4, 6, `${path}.addresses.count`);
  for (let i = 0; i < nAddr; i++) {
    const addrType = r.u16(`${path}.addresses[${i}].addrType`);
    addresses.push({ addrType, address: readData(r, `${path}.addresses[${i}].address`) });
  }
  const authdata: AuthorizationDataEntry[] = [];
  const nAd = r.count(4, 6, `${path}.authdata.count`);
  for (let i = 0; i < nAd; i++) {
    const adType = r.u16(`${path}.authdata[${i}].adType`);
    authdata.push({ adType, adData: readData(r, `${path}.authdata[${i}].adData`) });
  }
  const ticket = readData(r, `${path}.ticket`);
  const secondTicket = readData(r, `${path}.secondTicket`);
  return {
    client,
    server,
    key,
    authtime,
    starttime,
    endtime,
    renewTill,
    isSkey: skey !== 0,
    ...(skey > 1 ? { isSkeyOctet: skey } : {}),
    ticketFlags,
    addresses,
    authdata,
    ticket,
    secondTicket,
    isConfigEntry: isCcacheConfigPrincipal(server),
  };
}

/** Version 4, big-endian. `version` of the record is ignored: decoding then encoding a v4 file gives the same bytes. */
export function encodeCcache(cc: Omit<Ccache, 'version'>): Uint8Array {
  const w = new BinaryWriter();
  w.u8(0x05).u8(0x04);
  const header = new BinaryWriter();
  for (const t of cc.headerTags) header.u16(t.tag).u16(t.value.length).bytes(t.value);
  w.u16(header.length).bytes(header.finish());
  writePrincipal(w, cc.defaultPrincipal);
  for (const c of cc.credentials) writeCredential(w, c);
  return w.finish();
}

function writePrincipal(w: BinaryWriter, p: FilePrincipal): void {
  w.i32(p.nameType).u32(p.components.length).data32(encodeText(p.realm));
  for (const c of p.components) w.data32(encodeText(c));
}

function writeCredential(w: BinaryWriter, c: Omit<CcacheCredential, 'isConfigEntry'>): void {
  writePrincipal(w, c.client);
  writePrincipal(w, c.server);
  w.u16(c.key.keytype).data32(c.key.keyvalue);
  for (const t of [c.authtime, c.starttime, c.endtime, c.renewTill]) w.u32(unixSeconds(t));
  w.u8(c.isSkey ? (c.isSkeyOctet ?? 1) : 0).u32(c.ticketFlags >>> 0);
  w.u32(c.addresses.length);
  for (const a of c.addresses) w.u16(a.addrType).data32(a.address);
  w.u32(c.authdata.length);
  for (const a of c.authdata) w.u16(a.adType).data32(a.adData);
  w.data32(c.ticket).data32(c.secondTicket);
}

/** Header tag 1 as signed seconds and microseconds, when present. */
export function ccacheKdcTimeOffset(cc: Ccache): { readonly seconds: number; readonly microseconds: number } | undefined {
  const t = cc.headerTags.find((h) => h.tag === CCACHE_TAG_KDC_TIME_OFFSET);
  if (!t || t.value.length !== 8) return undefined;
  const dv = new DataView(t.value.buffer, t.value.byteOffset, 8);
  return { seconds: dv.getInt32(0), microseconds: dv.getInt32(4) };
}

/**
 * A config entry as MIT's krb5_cc_set_config writes it: client = the cache's principal, server =
 * krb5_ccache_conf_data/<key>[/<principal>]@X-CACHECONF:, value in the ticket field, all else zero.
 */
export function ccacheConfigEntry(client: FilePrincipal, key: string, value: Uint8Array, forPrincipal?: string): CcacheCredential {
  const zero = fromUnixSeconds(0);
  const components = forPrincipal === undefined ? [CCACHE_CONFIG_COMPONENT, key] : [CCACHE_CONFIG_COMPONENT, key, forPrincipal];
  return {
    client,
    server: { nameType: 0, components, realm: CCACHE_CONFIG_REALM },
    key: { keytype: 0, keyvalue: new Uint8Array(0) },
    authtime: zero,
    starttime: zero,
    endtime: zero,
    renewTill: zero,
    isSkey: false,
    ticketFlags: 0,
    addresses: [],
    authdata: [],
    ticket: Uint8Array.from(value),
    secondTicket: new Uint8Array(0),
    isConfigEntry: true,
  };
}
