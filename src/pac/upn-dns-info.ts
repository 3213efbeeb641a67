import { stringToUtf16le, utf16leToString } from '../ndr/index.js';
import { LeReader } from './le-reader.js';
import { decodeSid, encodeSid, type Sid } from './sid.js';

/**
 * UPN_DNS_INFO, MS-PAC §2.10 (ulType 12; not NDR):
 *
 *   USHORT UpnLength; USHORT UpnOffset; USHORT DnsDomainNameLength; USHORT DnsDomainNameOffset;
 *   ULONG Flags;
 *   -- only when Flags has S (0x2):
 *   USHORT SamNameLength; USHORT SamNameOffset; USHORT SidLength; USHORT SidOffset;
 *
 * Offsets are from the start of the structure; the strings are UTF-16LE without NUL, the SID binary
 * (MS-DTYP §2.4.2.2). U and S are bits 31 and 30 in MS bit order, the values 0x1 and 0x2 (Samba's
 * PAC_UPN_DNS_FLAG_CONSTRUCTED / _HAS_SAM_NAME_AND_SID).
 */
export interface UpnDnsInfo {
  readonly Upn: string;
  readonly DnsDomainName: string;
  readonly Flags: number;
  /** Present exactly when Flags has S. */
  readonly SamName?: string;
  readonly Sid?: Sid;
}

export const UPN_DNS_FLAGS = {
  U: 0x1,
  S: 0x2,
} as const;

const ROOT = 'UPN_DNS_INFO';

export function decodeUpnDnsInfo(bytes: Uint8Array, base = 0): UpnDnsInfo {
  const r = new LeReader(bytes, base, ROOT);
  const upnLength = r.u16('UpnLength');
  const upnOffset = r.u16('UpnOffset');
  const dnsLength = r.u16('DnsDomainNameLength');
  const dnsOffset = r.u16('DnsDomainNameOffset');
  const Flags = r.u32('Flags');
  // `lengthAt` is where the field's length sits in the header, for errors.
  const text = (field: string, at: number, n: number, lengthAt: number): string => {
    if (n % 2 !== 0) r.fail(`${field}Length`, `odd length ${n}`, lengthAt);
    return utf16leToString(r.slice(field, at, n));
  };
  const Upn = text('Upn', upnOffset, upnLength, 0);
  const DnsDomainName = text('DnsDomainName', dnsOffset, dnsLength, 4);
  if ((Flags & UPN_DNS_FLAGS.S) === 0) return { Upn, DnsDomainName, Flags };
  const samLength = r.u16('SamNameLength');
  const samOffset = r.u16('SamNameOffset');
  const sidLength = r.u16('SidLength');
  const sidOffset = r.u16('SidOffset');
  const SamName = text('SamName', samOffset, samLength, 12);
  const Sid = decodeSid(r.slice('Sid', sidOffset, sidLength), `${ROOT}.Sid`, base + sidOffset);
  return { Upn, DnsDomainName, Flags, SamName, Sid };
}

/**
 * Encode with Samba's layout (measured on a Samba 4 PAC, krb-fixtures/pac/samba-upn-dns-info-ex.b64):
 * header, then each string on an 8-byte boundary, the SID straight after the SAM name, the whole
 * padded to 8 bytes. The S flag follows from whether SamName/Sid are given.
 */
export function encodeUpnDnsInfo(info: UpnDnsInfo): Uint8Array {
  const extended = info.SamName !== undefined || info.Sid !== undefined;
  if (extended && (info.SamName === undefined || info.Sid === undefined)) {
    throw new RangeError('UPN_DNS_INFO: SamName and Sid go together (the S flag)');
  }
  const flags = extended ? info.Flags | UPN_DNS_FLAGS.S : info.Flags & ~UPN_DNS_FLAGS.S;
  const parts: { data: Uint8Array; align: number }[] = [
    { data: stringToUtf16le(info.Upn), align: 8 },
    { data: stringToUtf16le(info.DnsDomainName), align: 8 },
  ];
  if (extended) {
    parts.push({ data: stringToUtf16le(info.SamName as string), align: 8 }, { data: encodeSid(info.Sid as Sid), align: 1 });
  }
  let at = extended ? 20 : 12;
  const placed = parts.map((p) => {
    at = Math.ceil(at / p.align) * p.align;
    const offset = at;
    at += p.data.length;
    return { ...p, offset };
  });
  const out = new Uint8Array(Math.ceil(at / 8) * 8);
  const view = new DataView(out.buffer);
  const put = (i: number, p: { data: Uint8Array; offset: number }): void => {
    if (p.data.length > 0xffff || p.offset > 0xffff) throw new RangeError('UPN_DNS_INFO field too long');
    view.setUint16(i, p.data.length, true);
    view.setUint16(i + 2, p.offset, true);
    out.set(p.data, p.offset);
  };
  put(0, placed[0]!);
  put(4, placed[1]!);
  view.setUint32(8, flags, true);
  if (extended) {
    put(12, placed[2]!);
    put(16, placed[3]!);
  }
  return out;
}
