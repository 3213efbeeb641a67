import { TgtbridgeError } from '../../errors/index.js';
import { isSidString } from '../sid.js';

/**
 * DN helpers. RFC 4514 §2.4: in an attribute value, `,+"\<>;=` and a leading `#` or space, or a
 * trailing space, are escaped with a backslash.
 */
export function escapeRdnValue(value: string): string {
  let out = value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/**
 * RFC 4515 §3: `*()\` and NUL in a filter assertion value become `\XX`.
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\u0000]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * An AD "SID string DN" (MS-ADTS §3.1.1.3.1.2.4): `<SID=S-1-…>` names an object by its objectSid
 * wherever a DN-valued attribute is written, so the caller need not know where the group lives
 * (or its localized name).
 */
export function sidDn(sid: string): string {
  if (!isSidString(sid)) throw new TgtbridgeError('ERR_DIRECTORY', `not a SID: ${sid}`);
  return `<SID=${sid}>`;
}

/** `DC=samba,DC=test` → `samba.test` (a domain NC's DNS name from its DC= components). */
export function dnsNameOfDomainDn(domainDn: string): string {
  const parts = splitDn(domainDn).map((rdn) => /^DC=(.+)$/i.exec(rdn)?.[1]);
  if (parts.length === 0 || parts.some((p) => p === undefined)) {
    throw new TgtbridgeError('ERR_DIRECTORY', `not a domain DN made of DC= components: ${domainDn}`);
  }
  return parts.join('.').toLowerCase();
}

/** Splits a DN at unescaped commas. */
export function splitDn(dn: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i]!;
    if (c === '\\' && i + 1 < dn.length) {
      cur += c + dn[i + 1]!;
      i++;
    } else if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else {
      cur += c;
    }
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

/** The first RDN's value, unescaped enough for display: `CN=krbtgt_5,CN=Users,…` → `krbtgt_5`. */
export function firstRdnValue(dn: string): string {
  const first = splitDn(dn)[0] ?? '';
  const eq = first.indexOf('=');
  return first.slice(eq + 1).replace(/\\(.)/g, '$1');
}

/** DN equality as AD compares them for our purposes: case-insensitive, spaces around commas ignored. */
export function sameDn(a: string, b: string): boolean {
  const norm = (dn: string): string => splitDn(dn).join(',').toLowerCase();
  return norm(a) === norm(b);
}
