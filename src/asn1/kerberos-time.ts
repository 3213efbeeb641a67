import { TAG, type DerReader } from './der-reader.js';
import { encodeError, type Der } from './der-writer.js';

/**
 * KerberosTime ::= GeneralizedTime -- with no fractional seconds
 *
 * RFC 4120 §5.2.3: always UTC, "YYYYMMDDHHMMSSZ", no fraction. Decode accepts exactly that
 * 15-character form (no local time, no offset, no fraction) naming a real calendar instant
 * (seconds 00–59); encode truncates a Date to whole seconds.
 */
export function decodeKerberosTime(r: DerReader): Date {
  const t = r.read(TAG.GENERALIZED_TIME, 'KerberosTime (GeneralizedTime)');
  const { bytes } = r;
  const at = t.contentStart;
  if (t.end - at !== 15 || bytes[at + 14] !== 0x5a /* Z */) {
    r.fail('KerberosTime must be "YYYYMMDDHHMMSSZ"', at);
  }
  for (let i = at; i < at + 14; i++) {
    const c = bytes[i]!;
    if (c < 0x30 || c > 0x39) r.fail('KerberosTime has a non-digit', i);
  }
  const d2 = (i: number): number => (bytes[at + i]! - 0x30) * 10 + bytes[at + i + 1]! - 0x30;
  const year = d2(0) * 100 + d2(2);
  const month = d2(4);
  const day = d2(6);
  const hour = d2(8);
  const minute = d2(10);
  const second = d2(12);
  // A real calendar instant (no Feb 30, no hour 24, no leap second 60): checked on the fields, as
  // Date.UTC would roll such values over silently. Proleptic Gregorian leap years, as Date uses.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    r.fail('KerberosTime names no calendar instant', at);
  }
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (year < 100) {
    // Date.UTC maps years 0–99 to 1900+: set the year, then the round trip must still hold
    // (29 Feb 0000 becomes 1 Mar through 1900, which is not a leap year).
    date.setUTCFullYear(year);
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) r.fail('KerberosTime names no calendar instant', at);
  }
  return date;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1]!;
}

const pad = (v: number, n: number): string => v.toString().padStart(n, '0');

/** The 15-character GeneralizedTime text of a date, truncated to whole seconds. */
export function kerberosTimeString(date: Date): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) encodeError('KerberosTime', 'invalid Date');
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) encodeError('KerberosTime', `year ${year} is outside 0000–9999`);
  return (
    pad(year, 4) +
    pad(date.getUTCMonth() + 1, 2) +
    pad(date.getUTCDate(), 2) +
    pad(date.getUTCHours(), 2) +
    pad(date.getUTCMinutes(), 2) +
    pad(date.getUTCSeconds(), 2) +
    'Z'
  );
}

/**
 * Recent encodings by whole second. A KDC reply writes the same few instants many times over
 * (authtime, start, end and renew-till, each in the ticket and again in the reply part, for
 * every request against one TGT), and calendar arithmetic on a Date is the dear part.
 */
const recent = new Map<number, Uint8Array>();
const RECENT_LIMIT = 256;

export function encodeKerberosTime(date: Date): Der {
  const ms = date.getTime();
  const second = Math.floor(ms / 1000);
  const hit = recent.get(second);
  // A copy: the caller owns what it gets (17 bytes, on V8's heap, cheap).
  if (hit !== undefined) return hit.slice();
  const out = encodeKerberosTimeFresh(date, ms);
  if (recent.size >= RECENT_LIMIT) recent.clear();
  recent.set(second, out.slice());
  return out;
}

function encodeKerberosTimeFresh(date: Date, ms: number): Uint8Array {
  if (!Number.isFinite(ms)) encodeError('KerberosTime', 'invalid Date');
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) encodeError('KerberosTime', `year ${year} is outside 0000–9999`);
  // The same 15 characters as kerberosTimeString, written as digits straight into the TLV.
  const out = new Uint8Array(17);
  out[0] = TAG.GENERALIZED_TIME;
  out[1] = 15;
  const put = (at: number, v: number, width: number): void => {
    for (let i = width - 1; i >= 0; i--) {
      out[at + i] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    }
  };
  put(2, year, 4);
  put(6, date.getUTCMonth() + 1, 2);
  put(8, date.getUTCDate(), 2);
  put(10, date.getUTCHours(), 2);
  put(12, date.getUTCMinutes(), 2);
  put(14, date.getUTCSeconds(), 2);
  out[16] = 0x5a; // 'Z'
  return out;
}
