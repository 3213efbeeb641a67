import { DecodeError } from '../errors/index.js';
import { checkSid, identifierAuthorityBytes, identifierAuthorityValue, SID_MAX_SUB_AUTHORITIES, type Sid } from '../ndr/index.js';

export type { Sid };

const U32_MAX = 0xffffffff;

/**
 * Parse the string form of MS-DTYP §2.4.2.1: `S-1-IdentifierAuthority-SubAuthority…`. The
 * authority is decimal, or hex with `0x` when it needs more than 32 bits. Bad input is a
 * RangeError: string SIDs come from configuration and callers, not from the wire.
 */
export function parseSid(text: string): Sid {
  const m = /^S-(\d+)-(0x[0-9A-Fa-f]{12}|\d+)((?:-\d+)*)$/i.exec(text.trim());
  if (m === null) throw new RangeError(`not a SID string: ${JSON.stringify(text)}`);
  const Revision = Number(m[1]);
  const authText = m[2]!;
  const IdentifierAuthority = authText.toLowerCase().startsWith('0x') ? parseInt(authText.slice(2), 16) : Number(authText);
  const SubAuthority = m[3] === '' ? [] : m[3]!.slice(1).split('-').map(Number);
  if (Revision !== 1) throw new RangeError('SID revision must be 1');
  if (SubAuthority.some((s) => s > U32_MAX)) throw new RangeError('SID sub-authority exceeds 32 bits');
  const sid: Sid = { Revision, IdentifierAuthority, SubAuthority };
  checkSid(sid);
  return sid;
}

/** MS-DTYP §2.4.2.1 string form. */
export function formatSid(sid: Sid): string {
  const auth =
    sid.IdentifierAuthority <= U32_MAX
      ? String(sid.IdentifierAuthority)
      : `0x${sid.IdentifierAuthority.toString(16).toUpperCase().padStart(12, '0')}`;
  return ['S', String(sid.Revision), auth, ...sid.SubAuthority.map(String)].join('-');
}

/** Binary SID, MS-DTYP §2.4.2.2 (not NDR): Revision, SubAuthorityCount, 6-byte authority, LE sub-authorities. */
export function encodeSid(sid: Sid): Uint8Array {
  checkSid(sid);
  const out = new Uint8Array(8 + 4 * sid.SubAuthority.length);
  const view = new DataView(out.buffer);
  out[0] = sid.Revision;
  out[1] = sid.SubAuthority.length;
  out.set(identifierAuthorityBytes(sid.IdentifierAuthority), 2);
  sid.SubAuthority.forEach((s, i) => view.setUint32(8 + 4 * i, s, true));
  return out;
}

/** Decode a binary SID that must fill `bytes` exactly. `base` is the absolute offset for errors. */
export function decodeSid(bytes: Uint8Array, path: string, base = 0): Sid {
  if (bytes.length < 8) throw new DecodeError('ERR_PAC_FORMAT', path, base, `SID of ${bytes.length} bytes`);
  const count = bytes[1]!;
  if (count > SID_MAX_SUB_AUTHORITIES) throw new DecodeError('ERR_PAC_FORMAT', `${path}.SubAuthorityCount`, base + 1, `${count} sub-authorities`);
  if (bytes.length !== 8 + 4 * count) {
    throw new DecodeError('ERR_PAC_FORMAT', path, base, `SID with ${count} sub-authorities in ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const SubAuthority: number[] = [];
  for (let i = 0; i < count; i++) SubAuthority.push(view.getUint32(8 + 4 * i, true));
  return { Revision: bytes[0]!, IdentifierAuthority: identifierAuthorityValue(bytes.subarray(2, 8)), SubAuthority };
}

/** The SID of `rid` in the domain `domain` (MS-PAC §2.5: LogonDomainId + RelativeId). */
export function sidWithRid(domain: Sid, rid: number): Sid {
  return { ...domain, SubAuthority: [...domain.SubAuthority, rid] };
}

export function sidEquals(a: Sid, b: Sid): boolean {
  return (
    a.Revision === b.Revision &&
    a.IdentifierAuthority === b.IdentifierAuthority &&
    a.SubAuthority.length === b.SubAuthority.length &&
    a.SubAuthority.every((s, i) => s === b.SubAuthority[i])
  );
}

/** Well-known SIDs (MS-DTYP §2.4.2.4), by full string. */
const WELL_KNOWN_SIDS: Readonly<Record<string, string>> = {
  'S-1-0-0': 'Nobody',
  'S-1-1-0': 'Everyone',
  'S-1-2-0': 'Local',
  'S-1-3-0': 'Creator Owner',
  'S-1-5-2': 'Network',
  'S-1-5-4': 'Interactive',
  'S-1-5-7': 'Anonymous Logon',
  'S-1-5-9': 'Enterprise Domain Controllers',
  'S-1-5-11': 'Authenticated Users',
  'S-1-5-15': 'This Organization',
  'S-1-5-18': 'Local System',
  'S-1-5-64-10': 'NTLM Authentication',
  'S-1-5-32-544': 'BUILTIN\\Administrators',
  'S-1-5-32-545': 'BUILTIN\\Users',
  'S-1-5-32-546': 'BUILTIN\\Guests',
  'S-1-5-32-548': 'BUILTIN\\Account Operators',
  'S-1-5-32-549': 'BUILTIN\\Server Operators',
  'S-1-5-32-550': 'BUILTIN\\Print Operators',
  'S-1-5-32-551': 'BUILTIN\\Backup Operators',
  'S-1-5-32-552': 'BUILTIN\\Replicator',
  'S-1-5-32-554': 'BUILTIN\\Pre-Windows 2000 Compatible Access',
  'S-1-5-32-555': 'BUILTIN\\Remote Desktop Users',
  'S-1-18-1': 'Authentication authority asserted identity',
  'S-1-18-2': 'Service asserted identity',
};

/** Domain-relative RIDs (MS-DTYP §2.4.2.4), valid under S-1-5-21-x-y-z. */
const WELL_KNOWN_RIDS: Readonly<Record<number, string>> = {
  498: 'Enterprise Read-only Domain Controllers',
  500: 'Administrator',
  501: 'Guest',
  502: 'krbtgt',
  512: 'Domain Admins',
  513: 'Domain Users',
  514: 'Domain Guests',
  515: 'Domain Computers',
  516: 'Domain Controllers',
  517: 'Cert Publishers',
  518: 'Schema Admins',
  519: 'Enterprise Admins',
  520: 'Group Policy Creator Owners',
  521: 'Read-only Domain Controllers',
  522: 'Cloneable Domain Controllers',
  525: 'Protected Users',
  526: 'Key Admins',
  527: 'Enterprise Key Admins',
  553: 'RAS and IAS Servers',
  571: 'Allowed RODC Password Replication Group',
  572: 'Denied RODC Password Replication Group',
};

/** A display name for a well-known SID, or undefined. Names are for people, never for decisions. */
export function wellKnownSidName(sid: Sid): string | undefined {
  const text = formatSid(sid);
  const direct = WELL_KNOWN_SIDS[text];
  if (direct !== undefined) return direct;
  const s = sid.SubAuthority;
  if (sid.IdentifierAuthority === 5 && s.length === 5 && s[0] === 21) return WELL_KNOWN_RIDS[s[4]!];
  return undefined;
}
