import {
  AD_TYPES,
  ADDRESS_TYPES,
  authorizationDataCodec,
  flagNames,
  formatPrincipal,
  splitKvno,
  TICKET_FLAGS,
  type AuthorizationDataEntry,
  type EncryptedData,
  type EncryptionKey,
  type HostAddress,
  type PrincipalName,
} from '../../asn1/index.js';
import { etypeName } from '../../crypto/index.js';
import { isoSeconds } from '../../util/index.js';
import type { VerifyPacKeys } from '../../pac/index.js';
import { pacView, type PacJson } from './pac-view.js';

/** The JSON pieces every `inspect` document is built from (documented in docs/inspect-json.md). */

export interface EncPartJson {
  readonly etype: number;
  readonly etypeName: string;
  /** As on the wire: a signed 32-bit INTEGER (RODC kvnos with N ≥ 0x8000 are negative). */
  readonly kvno?: number;
  /** MS-KILE §3.1.5.8: present when the high 16 bits are set (RODC number, key version). */
  readonly kvnoSplit?: { readonly rodcNumber: number; readonly keyVersion: number };
  readonly cipherLength: number;
}

export interface KeyJson {
  readonly etype: number;
  readonly etypeName: string;
  /** Hex; only with --show-keys. */
  readonly value?: string;
}

export interface AddressJson {
  readonly addrType: number;
  readonly addrTypeName: string;
  readonly address: string;
}

export interface AuthorizationDataJson {
  readonly adType: number;
  readonly adTypeName: string;
  readonly length: number;
  /** Inside AD-IF-RELEVANT. */
  readonly elements?: readonly AuthorizationDataJson[];
  /** AD-WIN2K-PAC. */
  readonly pac?: PacJson;
  /** A container that failed to decode. */
  readonly error?: string;
}

export interface ViewOptions {
  readonly showKeys: boolean;
}

export function principalText(name: PrincipalName, realm?: string): string {
  return formatPrincipal(name, realm);
}

export function time(d: Date | undefined): string | undefined {
  return d === undefined ? undefined : isoSeconds(d);
}

export function encPartJson(e: EncryptedData): EncPartJson {
  const base = { etype: e.etype, etypeName: etypeName(e.etype), cipherLength: e.cipher.length };
  if (e.kvno === undefined) return base;
  const unsigned = e.kvno >>> 0;
  return unsigned > 0xffff ? { ...base, kvno: e.kvno, kvnoSplit: splitKvno(e.kvno) } : { ...base, kvno: e.kvno };
}

export function encPartText(e: EncPartJson): string {
  const kvno =
    e.kvno === undefined
      ? 'no kvno'
      : e.kvnoSplit
        ? `kvno ${e.kvno >>> 0} (RODC ${e.kvnoSplit.rodcNumber}, key version ${e.kvnoSplit.keyVersion})`
        : `kvno ${e.kvno}`;
  return `${e.etypeName} (${e.etype}), ${kvno}, ${e.cipherLength} bytes`;
}

export function keyJson(k: EncryptionKey, o: ViewOptions): KeyJson {
  const base = { etype: k.keytype, etypeName: etypeName(k.keytype) };
  return o.showKeys ? { ...base, value: Buffer.from(k.keyvalue).toString('hex') } : base;
}

export function keyText(k: KeyJson): string {
  return k.value === undefined ? k.etypeName : `${k.etypeName} 0x${k.value}`;
}

const ADDRESS_NAMES = new Map<number, string>(Object.entries(ADDRESS_TYPES).map(([n, v]) => [v as number, n]));

export function addressJson(a: HostAddress): AddressJson {
  const addrTypeName = ADDRESS_NAMES.get(a.addrType) ?? `addr-type-${a.addrType}`;
  let address = Buffer.from(a.address).toString('hex');
  if (a.addrType === 2 && a.address.length === 4) address = [...a.address].join('.');
  else if (a.addrType === 24 && a.address.length === 16) address = (Buffer.from(a.address).toString('hex').match(/.{4}/g) ?? []).join(':');
  return { addrType: a.addrType, addrTypeName, address };
}

const AD_NAMES = new Map<number, string>(Object.entries(AD_TYPES).map(([n, v]) => [v as number, n]));

/** AuthorizationData with AD-IF-RELEVANT opened (to a bounded depth) and the PAC listed. */
export function authorizationDataJson(ad: readonly AuthorizationDataEntry[], depth = 0, pacKeys: VerifyPacKeys = {}): AuthorizationDataJson[] {
  return ad.map((e) => {
    const base = { adType: e.adType, adTypeName: AD_NAMES.get(e.adType) ?? `ad-type-${e.adType}`, length: e.adData.length };
    if (e.adType === AD_TYPES['AD-WIN2K-PAC']) return { ...base, pac: pacView(e.adData, pacKeys) };
    if (e.adType === AD_TYPES['AD-IF-RELEVANT'] && depth < 8) {
      try {
        return { ...base, elements: authorizationDataJson(authorizationDataCodec.decode(e.adData), depth + 1, pacKeys) };
      } catch (err) {
        return { ...base, error: (err as Error).message };
      }
    }
    return base;
  });
}

export function flagsJson(flags: number): { readonly flags: readonly string[]; readonly flagsHex: string } {
  return { flags: flagNames(flags, TICKET_FLAGS), flagsHex: `0x${(flags >>> 0).toString(16).padStart(8, '0')}` };
}

/** Lines for an AuthorizationData tree, PAC buffers included. */
export function authorizationDataText(ad: readonly AuthorizationDataJson[], pacLines: (p: PacJson) => string[], indent = ''): string[] {
  const out: string[] = [];
  for (const e of ad) {
    out.push(`${indent}${e.adTypeName} (${e.adType}), ${e.length} bytes`);
    if (e.error !== undefined) out.push(`${indent}  cannot decode: ${e.error}`);
    if (e.elements) out.push(...authorizationDataText(e.elements, pacLines, `${indent}  `));
    if (e.pac) out.push(...pacLines(e.pac).map((l) => `${indent}  ${l}`));
  }
  return out;
}
