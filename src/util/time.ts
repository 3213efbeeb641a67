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

/**
 * Has an account whose accountExpires is `expires` (undefined: never) expired at `now`? AD's DCs
 * compare in whole seconds, expired only once the second of accountExpires has passed (Heimdal's
 * valid_end < kdc_time; Samba 4.17 measured: served at E + 0.6 s, refused at E + 1.1 s). The bridge,
 * its sign-in and TAP checks, and the embedded KDC all use this one rule, so none refuses what
 * another would serve.
 */
export function accountExpiredAt(expires: Date | undefined, now: Date): boolean {
  return expires !== undefined && Math.floor(expires.getTime() / 1000) < Math.floor(now.getTime() / 1000);
}
