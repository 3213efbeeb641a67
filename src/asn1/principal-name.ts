import { TgtbridgeError } from '../errors/index.js';
import type { DerReader } from './der-reader.js';
import { explicit, sequence, sequenceOf, type Der } from './der-writer.js';
import { decodeSequence, decodeSequenceOf, field, makeCodec } from './der-fields.js';
import { decodeInt32, decodeKerberosString, encodeInt32, encodeKerberosString } from './basic-types.js';
import type { PrincipalName } from './types.js';

/** Name types — RFC 4120 §6.2, RFC 6111 (NT-WELLKNOWN), MS-KILE §2.2.1/3.1.5.11 (NT-ENTERPRISE, NT-MS-PRINCIPAL…). */
export const NAME_TYPES = {
  'NT-UNKNOWN': 0,
  'NT-PRINCIPAL': 1,
  'NT-SRV-INST': 2,
  'NT-SRV-HST': 3,
  'NT-SRV-XHST': 4,
  'NT-UID': 5,
  'NT-X500-PRINCIPAL': 6,
  'NT-SMTP-NAME': 7,
  'NT-ENTERPRISE': 10,
  'NT-WELLKNOWN': 11,
  'NT-SRV-HST-DOMAIN': 12,
  'NT-MS-PRINCIPAL': -128,
  'NT-MS-PRINCIPAL-AND-ID': -129,
  'NT-ENT-PRINCIPAL-AND-ID': -130,
} as const;
export type NameTypeName = keyof typeof NAME_TYPES;

/**
 * PrincipalName ::= SEQUENCE {
 *         name-type       [0] Int32,
 *         name-string     [1] SEQUENCE OF KerberosString
 * }
 * RFC 4120 §5.2.2.
 */
export function readPrincipalName(r: DerReader): PrincipalName {
  return decodeSequence(r, 'PrincipalName', (f) => ({
    nameType: field(f, 0, 'name-type', decodeInt32),
    nameString: field(f, 1, 'name-string', (s) => decodeSequenceOf(s, 'KerberosString', decodeKerberosString)),
  }));
}

export function encodePrincipalName(name: PrincipalName): Der {
  return sequence(
    explicit(0, encodeInt32(name.nameType)),
    explicit(1, sequenceOf(name.nameString, encodeKerberosString)),
  );
}

export const principalNameCodec = makeCodec('PrincipalName', readPrincipalName, encodePrincipalName);

/** A principal name together with its realm, as `name/inst@REALM` text denotes it. */
export interface ParsedPrincipal {
  readonly name: PrincipalName;
  readonly realm: string | undefined;
}

export interface ParsePrincipalOptions {
  /** Realm used when the text has none. */
  readonly defaultRealm?: string;
  /** Name type to give the result; default as MIT's krb5_parse_name (see below). */
  readonly nameType?: number;
  /**
   * NT-ENTERPRISE (RFC 6806 §5): the whole name is one component, '/' is literal and only the
   * last unescaped '@' starts the realm (`alice@corp.example@CORP.EXAMPLE`).
   */
  readonly enterprise?: boolean;
}

const UNESCAPE: Readonly<Record<string, string>> = { n: '\n', t: '\t', b: '\b', '0': '\0' };

function syntaxError(text: string, reason: string): never {
  void text;
  throw new TgtbridgeError('ERR_PRINCIPAL_SYNTAX', `principal name: ${reason}`);
}

/**
 * Parses `name/inst@REALM` with MIT's escaping (krb5_parse_name): `\/`, `\@`, `\\` stand for
 * the character itself; `\n`, `\t`, `\b`, `\0` for newline, tab, backspace and NUL. Unescaped '/'
 * separates components until the first unescaped '@', after which everything is the realm.
 * Name type: NT-SRV-INST for `krbtgt/X` (as MIT does since 1.15), NT-ENTERPRISE in enterprise
 * mode, NT-PRINCIPAL otherwise, unless `options.nameType` says.
 */
export function parsePrincipal(text: string, options: ParsePrincipalOptions = {}): ParsedPrincipal {
  const tokens: { ch: string; escaped: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== '\\') {
      tokens.push({ ch, escaped: false });
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) syntaxError(text, 'trailing backslash');
    tokens.push({ ch: UNESCAPE[next] ?? next, escaped: true });
    i++;
  }
  let realmStart = -1;
  if (options.enterprise === true) {
    for (let i = tokens.length - 1; i >= 0; i--) {
      if (tokens[i]!.ch === '@' && !tokens[i]!.escaped) {
        // The first '@' of an enterprise name belongs to the name (alice@corp.example).
        const earlier = tokens.slice(0, i).some((t) => t.ch === '@' && !t.escaped);
        if (earlier) realmStart = i;
        break;
      }
    }
  } else {
    realmStart = tokens.findIndex((t) => t.ch === '@' && !t.escaped);
  }
  const nameTokens = realmStart < 0 ? tokens : tokens.slice(0, realmStart);
  const components: string[] = [''];
  for (const t of nameTokens) {
    if (t.ch === '/' && !t.escaped && options.enterprise !== true) components.push('');
    else components[components.length - 1] += t.ch;
  }
  let realm: string | undefined = options.defaultRealm;
  if (realmStart >= 0) {
    const realmTokens = tokens.slice(realmStart + 1);
    if (realmTokens.some((t) => t.ch === '@' && !t.escaped)) syntaxError(text, 'more than one realm separator');
    realm = realmTokens.map((t) => t.ch).join('');
    if (realm === '') syntaxError(text, 'empty realm after "@"');
  }
  if (components.length === 1 && components[0] === '') syntaxError(text, 'empty name');
  const nameType =
    options.nameType ??
    (options.enterprise === true
      ? NAME_TYPES['NT-ENTERPRISE']
      : components.length === 2 && components[0] === 'krbtgt'
        ? NAME_TYPES['NT-SRV-INST']
        : NAME_TYPES['NT-PRINCIPAL']);
  return { name: { nameType, nameString: components }, realm };
}

function escapeComponent(s: string, isRealm: boolean): string {
  let out = '';
  for (const ch of s) {
    switch (ch) {
      case '\\':
      case '@':
        out += `\\${ch}`;
        break;
      case '/':
        // MIT's unparser leaves '/' in a realm unescaped: after '@' it separates nothing.
        out += isRealm ? ch : '\\/';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\0':
        out += '\\0';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

/** `name/inst@REALM` text of a principal, escaped so {@link parsePrincipal} gives it back. */
export function formatPrincipal(name: PrincipalName, realm?: string): string {
  const text = name.nameString.map((c) => escapeComponent(c, false)).join('/');
  return realm === undefined ? text : `${text}@${escapeComponent(realm, true)}`;
}
