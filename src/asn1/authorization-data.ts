import { DecodeError } from '../errors/index.js';
import type { DerReader } from './der-reader.js';
import { explicit, sequence, sequenceOf, toBytes, type Der } from './der-writer.js';
import { decodeAll, decodeSequence, decodeSequenceOf, field, makeCodec } from './der-fields.js';
import { decodeInt32, decodeOctetString, encodeInt32, encodeOctetString } from './basic-types.js';
import type { AuthorizationDataEntry } from './types.js';

/** ad-type numbers — RFC 4120 §7.5.4, RFC 6113 §5.4.1/§5.4.2, MS-KILE §2.2.5–2.2.9, MS-PAC §2. */
export const AD_TYPES = {
  'AD-IF-RELEVANT': 1,
  'AD-INTENDED-FOR-SERVER': 2,
  'AD-INTENDED-FOR-APPLICATION-CLASS': 3,
  'AD-KDC-ISSUED': 4,
  'AD-AND-OR': 5,
  'AD-MANDATORY-TICKET-EXTENSIONS': 6,
  'AD-IN-TICKET-EXTENSIONS': 7,
  'AD-MANDATORY-FOR-KDC': 8,
  'AD-INITIAL-VERIFIED-CAS': 9,
  'OSF-DCE': 64,
  SESAME: 65,
  'AD-OSF-DCE-PKI-CERTID': 66,
  'AD-AUTHENTICATION-STRENGTH': 70,
  'AD-FX-FAST-ARMOR': 71,
  'AD-FX-FAST-USED': 72,
  'AD-WIN2K-PAC': 128,
  'AD-ETYPE-NEGOTIATION': 129,
  'KERB-AUTH-DATA-TOKEN-RESTRICTIONS': 141,
  'KERB-LOCAL': 142,
  'AD-AUTH-DATA-AP-OPTIONS': 143,
  'KERB-AUTH-DATA-TARGET-NAME': 144,
} as const;
export type AdTypeName = keyof typeof AD_TYPES;

/**
 * AuthorizationData ::= SEQUENCE OF SEQUENCE {
 *         ad-type         [0] Int32,
 *         ad-data         [1] OCTET STRING
 * }
 * RFC 4120 §5.2.6. Every ad-type is kept as its raw ad-data; the helpers below open the
 * containers this project needs.
 */
export type AuthorizationData = readonly AuthorizationDataEntry[];

export function readAuthorizationDataEntry(r: DerReader): AuthorizationDataEntry {
  return decodeSequence(r, 'AuthorizationData element', (f) => ({
    adType: field(f, 0, 'ad-type', decodeInt32),
    adData: field(f, 1, 'ad-data', decodeOctetString),
  }));
}

export function readAuthorizationData(r: DerReader): AuthorizationDataEntry[] {
  return decodeSequenceOf(r, 'AuthorizationData element', readAuthorizationDataEntry);
}

export function encodeAuthorizationData(ad: AuthorizationData): Der {
  return sequenceOf(ad, (e) =>
    sequence(explicit(0, encodeInt32(e.adType)), explicit(1, encodeOctetString(e.adData))),
  );
}

export const authorizationDataCodec = makeCodec('AuthorizationData', readAuthorizationData, encodeAuthorizationData);

/** AD-IF-RELEVANT containers nested deeper than this are refused (real tickets use one level). */
export const MAX_AD_NESTING = 8;

/**
 * AD-IF-RELEVANT ::= AuthorizationData (RFC 4120 §5.2.6.1): the elements inside one entry.
 * Decode offsets are relative to that entry's ad-data octets; `path` names the entry.
 */
export function decodeAdIfRelevant(entry: AuthorizationDataEntry, path = 'AD-IF-RELEVANT'): AuthorizationDataEntry[] {
  if (entry.adType !== AD_TYPES['AD-IF-RELEVANT']) {
    throw new DecodeError('ERR_ASN1_DECODE', path, 0, `ad-type ${entry.adType} is not AD-IF-RELEVANT`);
  }
  return decodeAll(entry.adData, path, readAuthorizationData);
}

/** Where a PAC sits: the PAC bytes and the path of indexes through AD-IF-RELEVANT containers. */
export interface PacLocation {
  readonly pac: Uint8Array;
  /** e.g. [0, 0]: top-level element 0 (AD-IF-RELEVANT), inside it element 0 (AD-WIN2K-PAC). */
  readonly indexes: readonly number[];
}

function collectPacs(ad: AuthorizationData, depth: number, prefix: readonly number[], path: string, out: PacLocation[]): void {
  ad.forEach((entry, i) => {
    const here = `${path}[${i}]`;
    if (entry.adType === AD_TYPES['AD-WIN2K-PAC'] && depth > 0) {
      out.push({ pac: entry.adData, indexes: [...prefix, i] });
    } else if (entry.adType === AD_TYPES['AD-IF-RELEVANT']) {
      if (depth >= MAX_AD_NESTING) {
        throw new DecodeError('ERR_ASN1_DECODE', here, 0, `AD-IF-RELEVANT nested deeper than ${MAX_AD_NESTING}`);
      }
      const inner = decodeAdIfRelevant(entry, `${here}.ad-data(AD-IF-RELEVANT)`);
      collectPacs(inner, depth + 1, [...prefix, i], `${here}.ad-data(AD-IF-RELEVANT)`, out);
    }
  });
}

/**
 * Every AD-WIN2K-PAC (128) found inside AD-IF-RELEVANT containers (MS-PAC §2: the PAC is
 * "placed in an AD-IF-RELEVANT"). A top-level AD-WIN2K-PAC outside any container is not a
 * place a KDC puts a PAC and is not returned.
 */
export function findPacs(ad: AuthorizationData): PacLocation[] {
  const out: PacLocation[] = [];
  collectPacs(ad, 0, [], 'AuthorizationData', out);
  return out;
}

/**
 * The one PAC of a ticket's authorization-data, or undefined when there is none. Two PACs make
 * the ticket ambiguous (MIT and Samba refuse such tickets), so that is an error.
 */
export function extractPac(ad: AuthorizationData | undefined): Uint8Array | undefined {
  if (ad === undefined) return undefined;
  const found = findPacs(ad);
  if (found.length > 1) {
    throw new DecodeError('ERR_ASN1_DECODE', 'AuthorizationData', 0, `${found.length} AD-WIN2K-PAC elements`);
  }
  return found[0]?.pac;
}

/** AD-IF-RELEVANT[ AD-WIN2K-PAC(pac) ] — the element a KDC puts in EncTicketPart.authorization-data. */
export function pacAuthorizationData(pac: Uint8Array): AuthorizationDataEntry {
  return {
    adType: AD_TYPES['AD-IF-RELEVANT'],
    adData: toBytes(encodeAuthorizationData([{ adType: AD_TYPES['AD-WIN2K-PAC'], adData: pac }])),
  };
}

function replaceAt(ad: AuthorizationData, indexes: readonly number[], pac: Uint8Array): AuthorizationDataEntry[] {
  const [i, ...rest] = indexes;
  return ad.map((entry, k) => {
    if (k !== i) return entry;
    if (rest.length === 0) return { adType: entry.adType, adData: pac };
    const inner = decodeAdIfRelevant(entry);
    return { adType: entry.adType, adData: toBytes(encodeAuthorizationData(replaceAt(inner, rest, pac))) };
  });
}

/**
 * The same authorization-data with the PAC's bytes replaced, every other element (inside and
 * outside the container) kept in place. Used for the MS-PAC §2.8.3 ticket signature, which is
 * computed with the PAC replaced by a single zero octet. Throws unless there is exactly one PAC.
 */
export function replacePac(ad: AuthorizationData, pac: Uint8Array): AuthorizationDataEntry[] {
  const found = findPacs(ad);
  if (found.length !== 1) {
    throw new DecodeError('ERR_ASN1_DECODE', 'AuthorizationData', 0, `expected one AD-WIN2K-PAC, found ${found.length}`);
  }
  return replaceAt(ad, found[0]!.indexes, pac);
}
