/**
 * Time conversions. Kerberos times have whole-second resolution (RFC 4120 §5.2.3); Windows
 * FILETIME counts 100 ns intervals since 1601-01-01 (MS-DTYP §2.3.3) and is a bigint here.
 */

const FILETIME_UNIX_EPOCH = 116444736000000000n;

export function dateToFiletime(date: Date): bigint {
  return BigInt(date.getTime()) * 10000n + FILETIME_UNIX_EPOCH;
}

export function filetimeToDate(filetime: bigint): Date {
  return new Date(Number((filetime - FILETIME_UNIX_EPOCH) / 10000n));
}

/** MS-PAC §2.5: "never" is 0x7FFFFFFFFFFFFFFF; "not set" is 0. */
export const FILETIME_NEVER = 0x7fffffffffffffffn;

/** Truncate to whole seconds, as KerberosTime carries them. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

export function fromUnixSeconds(seconds: number): Date {
  return new Date(seconds * 1000);
}

/** ISO 8601 UTC without milliseconds, the form `inspect --json` prints. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
