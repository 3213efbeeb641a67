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
  if (t.end - t.contentStart !== 15 || bytes[t.contentStart + 14] !== 0x5a /* Z */) {
    r.fail('KerberosTime must be "YYYYMMDDHHMMSSZ"', t.contentStart);
  }
  const d = (i: number, n: number): number => {
    let v = 0;
    for (let k = 0; k < n; k++) {
      const c = bytes[t.contentStart + i + k]! - 0x30;
      if (c < 0 || c > 9) r.fail('KerberosTime has a non-digit', t.contentStart + i + k);
      v = v * 10 + c;
    }
    return v;
  };
  const year = d(0, 4);
  const month = d(4, 2);
  const day = d(6, 2);
  const hour = d(8, 2);
  const minute = d(10, 2);
  const second = d(12, 2);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(ms);
  // Date.UTC rolls over out-of-range parts (Feb 30 → Mar 2); a round trip catches that.
  // Years 0–99 are mapped to 1900+ by Date.UTC, so those are set explicitly.
  if (year < 100) date.setUTCFullYear(year);
  if (
    month < 1 ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  ) {
    r.fail('KerberosTime names no calendar instant', t.contentStart);
  }
  return date;
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

export function encodeKerberosTime(date: Date): Der {
  const ms = date.getTime();
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
