import {
  AP_OPTIONS,
  KDC_OPTIONS,
  PA_DATA_TYPES,
  apReqCodec,
  authenticatorCodec,
  encKdcRepPartCodec,
  encryptedDataCodec,
  flagNames,
  paEncTsEncCodec,
  type ApReq,
  type KdcRep,
  type KdcReq,
  type PaData,
} from '../../asn1/index.js';
import { KEY_USAGE, cksumtypeName, etypeName } from '../../crypto/index.js';
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
import type { KeyCandidate, KeyRing } from './keys.js';
import { pacText } from './pac-view.js';
import { ticketText, ticketView, type TicketJson } from './ticket-view.js';

const PA_NAMES = new Map<number, string>(Object.entries(PA_DATA_TYPES).map(([n, v]) => [v as number, n]));

export interface AuthenticatorJson {
  readonly decryptedWith: string;
  /** 11 (AP-REQ) or 7 (the AP-REQ of a TGS-REQ), whichever opened it. */
  readonly keyUsage: number;
  readonly crealm: string;
  readonly cname: string;
  readonly ctime: string;
  readonly cusec: number;
  readonly cksum?: { readonly cksumtype: number; readonly cksumtypeName: string; readonly length: number };
  readonly subkey?: KeyJson;
  readonly seqNumber?: number;
  readonly authorizationData: readonly AuthorizationDataJson[];
}

export interface ApReqJson {
  readonly apOptions: readonly string[];
  readonly ticket: TicketJson;
  readonly authenticator: EncPartJson;
  readonly decryptedAuthenticator?: AuthenticatorJson;
  readonly authenticatorError?: string;
}

/**
 * AP-REQ (RFC 4120 §5.5.1): the ticket opened with the service key gives the session key, which
 * opens the authenticator — usage 11, or 7 inside a TGS-REQ's PA-TGS-REQ (§7.5.1). An AP-REQ
 * given on its own may have been cut out of a TGS-REQ, so both are tried there.
 */
export function apReqJson(
  ap: ApReq,
  keys: KeyRing,
  o: ViewOptions,
  usages: readonly number[] = [KEY_USAGE.AP_REQ_AUTH, KEY_USAGE.TGS_REQ_AUTH],
): ApReqJson {
  const t = ticketView(ap.ticket, keys, o);
  const base = { apOptions: flagNames(ap.apOptions, AP_OPTIONS), ticket: t.json, authenticator: encPartJson(ap.authenticator) };
  const extra: KeyCandidate[] = t.sessionKey ? [{ key: t.sessionKey, source: 'the session key in the ticket' }] : [];
  if (extra.length === 0 && keys.isEmpty) return base;
  const got = keys.tryDecrypt({ etype: ap.authenticator.etype }, usages, ap.authenticator.cipher, extra);
  if (!got) return { ...base, authenticatorError: t.sessionKey ? 'the ticket\'s session key does not open it' : 'no session key: the ticket was not decrypted' };
  try {
    const a = authenticatorCodec.decode(got.plaintext);
    const json: { -readonly [K in keyof AuthenticatorJson]: AuthenticatorJson[K] } = {
      decryptedWith: got.source,
      keyUsage: got.usage,
      crealm: a.crealm,
      cname: principalText(a.cname),
      ctime: time(a.ctime)!,
      cusec: a.cusec,
      authorizationData: authorizationDataJson(a.authorizationData ?? []),
    };
    if (a.cksum) json.cksum = { cksumtype: a.cksum.cksumtype, cksumtypeName: cksumtypeName(a.cksum.cksumtype), length: a.cksum.checksum.length };
    if (a.subkey) json.subkey = keyJson(a.subkey, o);
    if (a.seqNumber !== undefined) json.seqNumber = a.seqNumber;
    return { ...base, decryptedAuthenticator: json };
  } catch (e) {
    return { ...base, authenticatorError: `decrypted, but the Authenticator does not decode: ${(e as Error).message}` };
  }
}

export function apReqText(j: ApReqJson, indent = ''): string[] {
  const out = [`${indent}AP-REQ options: ${j.apOptions.join(' ') || '(none)'}`, ...ticketText(j.ticket, `${indent}  `)];
  out.push(`${indent}  authenticator: ${encPartText(j.authenticator)}`);
  if (j.authenticatorError !== undefined) out.push(`${indent}    not decrypted: ${j.authenticatorError}`);
  const a = j.decryptedAuthenticator;
  if (a) {
    out.push(
      `${indent}    Authenticator (decrypted with ${a.decryptedWith}, key usage ${a.keyUsage}):`,
      `${indent}      client: ${a.cname}@${a.crealm}`,
      `${indent}      ctime:  ${a.ctime} + ${a.cusec} µs`,
    );
    if (a.cksum) out.push(`${indent}      cksum:  ${a.cksum.cksumtypeName} (${a.cksum.cksumtype}), ${a.cksum.length} bytes`);
    if (a.subkey) out.push(`${indent}      subkey: ${keyText(a.subkey)}`);
    if (a.seqNumber !== undefined) out.push(`${indent}      seq-number: ${a.seqNumber}`);
    if (a.authorizationData.length > 0) out.push(`${indent}      authorization-data:`, ...authorizationDataText(a.authorizationData, pacText, `${indent}        `));
  }
  return out;
}

export interface PaDataJson {
  readonly padataType: number;
  readonly padataTypeName: string;
  readonly length: number;
  readonly apReq?: ApReqJson;
  readonly encTimestamp?: { readonly encPart: EncPartJson; readonly patimestamp?: string; readonly pausec?: number; readonly decryptedWith?: string };
  readonly error?: string;
}

function paDataJson(p: PaData, keys: KeyRing, o: ViewOptions): PaDataJson {
  const base = { padataType: p.padataType, padataTypeName: PA_NAMES.get(p.padataType) ?? `pa-type-${p.padataType}`, length: p.padataValue.length };
  try {
    if (p.padataType === PA_DATA_TYPES['PA-TGS-REQ']) {
      return { ...base, apReq: apReqJson(apReqCodec.decode(p.padataValue), keys, o, [KEY_USAGE.TGS_REQ_AUTH]) };
    }
    if (p.padataType === PA_DATA_TYPES['PA-ENC-TIMESTAMP']) {
      const ed = encryptedDataCodec.decode(p.padataValue);
      const encPart = encPartJson(ed);
      const got = keys.isEmpty ? undefined : keys.tryDecrypt({ etype: ed.etype, kvno: ed.kvno }, [KEY_USAGE.AS_REQ_PA_ENC_TIMESTAMP], ed.cipher);
      if (!got) return { ...base, encTimestamp: { encPart } };
      const ts = paEncTsEncCodec.decode(got.plaintext);
      const enc = { encPart, patimestamp: time(ts.patimestamp)!, decryptedWith: got.source };
      return { ...base, encTimestamp: ts.pausec === undefined ? enc : { ...enc, pausec: ts.pausec } };
    }
  } catch (e) {
    return { ...base, error: (e as Error).message };
  }
  return base;
}

function paDataText(list: readonly PaDataJson[], indent: string): string[] {
  const out: string[] = [];
  for (const p of list) {
    out.push(`${indent}${p.padataTypeName} (${p.padataType}), ${p.length} bytes`);
    if (p.error !== undefined) out.push(`${indent}  cannot decode: ${p.error}`);
    if (p.apReq) out.push(...apReqText(p.apReq, `${indent}  `));
    if (p.encTimestamp) {
      out.push(`${indent}  enc-part: ${encPartText(p.encTimestamp.encPart)}`);
      if (p.encTimestamp.patimestamp) out.push(`${indent}  timestamp ${p.encTimestamp.patimestamp} (decrypted with ${p.encTimestamp.decryptedWith})`);
    }
  }
  return out;
}

export interface KdcReqJson {
  readonly padata: readonly PaDataJson[];
  readonly reqBody: {
    readonly kdcOptions: readonly string[];
    readonly cname?: string;
    readonly realm: string;
    readonly sname?: string;
    readonly from?: string;
    readonly till: string;
    readonly rtime?: string;
    readonly nonce: number;
    readonly etype: readonly { readonly etype: number; readonly etypeName: string }[];
    readonly addresses: readonly AddressJson[];
    readonly encAuthorizationData?: EncPartJson;
    readonly additionalTickets: readonly TicketJson[];
  };
}

export function kdcReqJson(req: KdcReq, keys: KeyRing, o: ViewOptions): KdcReqJson {
  const b = req.reqBody;
  const body: { -readonly [K in keyof KdcReqJson['reqBody']]: KdcReqJson['reqBody'][K] } = {
    kdcOptions: flagNames(b.kdcOptions, KDC_OPTIONS),
    realm: b.realm,
    till: time(b.till)!,
    nonce: b.nonce,
    etype: b.etype.map((e) => ({ etype: e, etypeName: etypeName(e) })),
    addresses: (b.addresses ?? []).map(addressJson),
    additionalTickets: (b.additionalTickets ?? []).map((t) => ticketView(t, keys, o).json),
  };
  if (b.cname) body.cname = principalText(b.cname);
  if (b.sname) body.sname = principalText(b.sname);
  if (b.from) body.from = time(b.from)!;
  if (b.rtime) body.rtime = time(b.rtime)!;
  if (b.encAuthorizationData) body.encAuthorizationData = encPartJson(b.encAuthorizationData);
  return { padata: (req.padata ?? []).map((p) => paDataJson(p, keys, o)), reqBody: body };
}

export function kdcReqText(kind: string, j: KdcReqJson): string[] {
  const b = j.reqBody;
  const out = [
    `${kind.toUpperCase()}`,
    `  client:  ${b.cname ?? '(none)'}@${b.realm}`,
    `  server:  ${b.sname ?? '(none)'}`,
    `  options: ${b.kdcOptions.join(' ') || '(none)'}`,
    `  till:    ${b.till}${b.rtime ? `, renew till ${b.rtime}` : ''}${b.from ? `, from ${b.from}` : ''}`,
    `  nonce:   ${b.nonce}`,
    `  etypes:  ${b.etype.map((e) => `${e.etypeName} (${e.etype})`).join(', ')}`,
  ];
  if (b.addresses.length > 0) out.push(`  addresses: ${b.addresses.map((a) => a.address).join(', ')}`);
  if (b.encAuthorizationData) out.push(`  enc-authorization-data: ${encPartText(b.encAuthorizationData)}`);
  b.additionalTickets.forEach((t, i) => out.push(`  additional ticket [${i}]:`, ...ticketText(t, '    ')));
  if (j.padata.length > 0) out.push('  padata:', ...paDataText(j.padata, '    '));
  return out;
}

export interface EncKdcRepPartJson {
  readonly decryptedWith: string;
  readonly applicationTag: number;
  readonly key: KeyJson;
  readonly nonce: number;
  readonly flags: readonly string[];
  readonly flagsHex: string;
  readonly authtime: string;
  readonly starttime?: string;
  readonly endtime: string;
  readonly renewTill?: string;
  readonly keyExpiration?: string;
  readonly srealm: string;
  readonly sname: string;
  readonly caddr: readonly AddressJson[];
  readonly lastReq: readonly { readonly lrType: number; readonly lrValue: string }[];
  readonly encryptedPaData: readonly { readonly padataType: number; readonly padataTypeName: string; readonly length: number }[];
}

export interface KdcRepJson {
  readonly padata: readonly PaDataJson[];
  readonly crealm: string;
  readonly cname: string;
  readonly ticket: TicketJson;
  readonly encPart: EncPartJson;
  readonly decrypted?: EncKdcRepPartJson;
  readonly decryptError?: string;
}

/** AS-REP enc-part: the client's long-term key, usage 3. TGS-REP: the TGT session key (8) or the authenticator subkey (9). RFC 4120 §7.5.1. */
export function kdcRepJson(rep: KdcRep, isAs: boolean, keys: KeyRing, o: ViewOptions): KdcRepJson {
  const base = {
    padata: (rep.padata ?? []).map((p) => paDataJson(p, keys, o)),
    crealm: rep.crealm,
    cname: principalText(rep.cname),
    ticket: ticketView(rep.ticket, keys, o).json,
    encPart: encPartJson(rep.encPart),
  };
  if (keys.isEmpty) return base;
  const usages = isAs ? [KEY_USAGE.AS_REP_ENC_PART] : [KEY_USAGE.TGS_REP_ENC_PART_SESSION_KEY, KEY_USAGE.TGS_REP_ENC_PART_SUBKEY];
  const target = { etype: rep.encPart.etype, kvno: rep.encPart.kvno, principal: isAs ? principalText(rep.cname, rep.crealm) : undefined };
  const got = keys.tryDecrypt(target, usages, rep.encPart.cipher);
  if (!got) return { ...base, decryptError: isAs ? 'no key given opens it (the client\'s key)' : 'no key given opens it (the TGT session key or the subkey)' };
  try {
    const p = encKdcRepPartCodec.decode(got.plaintext);
    const d: { -readonly [K in keyof EncKdcRepPartJson]: EncKdcRepPartJson[K] } = {
      decryptedWith: got.source,
      applicationTag: p.applicationTag,
      key: keyJson(p.key, o),
      nonce: p.nonce,
      ...flagsJson(p.flags),
      authtime: time(p.authtime)!,
      endtime: time(p.endtime)!,
      srealm: p.srealm,
      sname: principalText(p.sname),
      caddr: (p.caddr ?? []).map(addressJson),
      lastReq: p.lastReq.map((l) => ({ lrType: l.lrType, lrValue: time(l.lrValue)! })),
      encryptedPaData: (p.encryptedPaData ?? []).map((x) => ({ padataType: x.padataType, padataTypeName: PA_NAMES.get(x.padataType) ?? `pa-type-${x.padataType}`, length: x.padataValue.length })),
    };
    if (p.starttime) d.starttime = time(p.starttime)!;
    if (p.renewTill) d.renewTill = time(p.renewTill)!;
    if (p.keyExpiration) d.keyExpiration = time(p.keyExpiration)!;
    return { ...base, decrypted: d };
  } catch (e) {
    return { ...base, decryptError: `decrypted with ${got.source}, but the EncKDCRepPart does not decode: ${(e as Error).message}` };
  }
}

export function kdcRepText(kind: string, j: KdcRepJson): string[] {
  const out = [`${kind.toUpperCase()}`, `  client: ${j.cname}@${j.crealm}`];
  if (j.padata.length > 0) out.push('  padata:', ...paDataText(j.padata, '    '));
  out.push(...ticketText(j.ticket, '  '), `  enc-part: ${encPartText(j.encPart)}`);
  if (j.decryptError !== undefined) out.push(`    not decrypted: ${j.decryptError}`);
  const d = j.decrypted;
  if (d) {
    out.push(
      `    ${d.applicationTag === 25 ? 'EncASRepPart' : 'EncTGSRepPart'} [APPLICATION ${d.applicationTag}] (decrypted with ${d.decryptedWith}):`,
      `      server:      ${d.sname}@${d.srealm}`,
      `      session key: ${keyText(d.key)}`,
      `      flags:       ${d.flags.join(' ') || '(none)'} (${d.flagsHex})`,
      `      auth time:   ${d.authtime}`,
      `      start time:  ${d.starttime ?? '(not set)'}`,
      `      end time:    ${d.endtime}`,
      `      renew till:  ${d.renewTill ?? '(not renewable)'}`,
      `      nonce:       ${d.nonce}`,
    );
    if (d.keyExpiration) out.push(`      key expiration: ${d.keyExpiration}`);
    if (d.encryptedPaData.length > 0) out.push(`      encrypted-pa-data: ${d.encryptedPaData.map((p) => p.padataTypeName).join(', ')}`);
  }
  return out;
}
