import { TAG, type DerReader } from './der-reader.js';
import { encodeError, type Der } from './der-writer.js';

/**
 * KerberosFlags ::= BIT STRING (SIZE (32..MAX)) — RFC 4120 §5.2.8.
 *
 * Flags are held as an unsigned 32-bit number with MIT's bit numbering: bit 0 (the first bit
 * on the wire) is 0x80000000. Encode always writes 32 bits (03 05 00 b0 b1 b2 b3) even when the
 * trailing bits are zero — RFC 4120 §5.2.8 requires it although X.690 §11.2.2 would trim named
 * bits, and Windows/Samba misread shorter strings. Decode follows §5.2.8's leniency: a shorter
 * string is zero-extended and bits past 31 are ignored; unused bits must still be 0–7 and zero.
 */
export function decodeKerberosFlags(r: DerReader): number {
  const t = r.read(TAG.BIT_STRING, 'KerberosFlags (BIT STRING)');
  const { bytes } = r;
  const len = t.end - t.contentStart;
  if (len === 0) r.fail('BIT STRING without the unused-bits octet', t.start);
  const unused = bytes[t.contentStart]!;
  if (unused > 7 || (len === 1 && unused !== 0)) r.fail(`invalid unused-bits count ${unused}`, t.contentStart);
  if (unused !== 0 && (bytes[t.end - 1]! & ((1 << unused) - 1)) !== 0) {
    r.fail('unused bits are not zero (X.690 §11.2.1)', t.end - 1);
  }
  let flags = 0;
  for (let i = 0; i < 4; i++) {
    const at = t.contentStart + 1 + i;
    flags = flags * 256 + (at < t.end ? bytes[at]! : 0);
  }
  return flags;
}

export function encodeKerberosFlags(flags: number): Der {
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xffffffff) {
    encodeError('KerberosFlags', `${flags} is not an unsigned 32-bit number`);
  }
  return Uint8Array.of(TAG.BIT_STRING, 5, 0, flags >>> 24, (flags >>> 16) & 0xff, (flags >>> 8) & 0xff, flags & 0xff);
}

/** The mask of flag bit `n` in MIT numbering (bit 0 = 0x80000000). */
export function flagBit(n: number): number {
  return (0x80000000 >>> n) >>> 0;
}

/** TicketFlags — RFC 4120 §5.3, plus enc-pa-rep (RFC 6806 §11) and anonymous (RFC 8062). */
export const TICKET_FLAGS = {
  reserved: 0x80000000,
  forwardable: 0x40000000,
  forwarded: 0x20000000,
  proxiable: 0x10000000,
  proxy: 0x08000000,
  'may-postdate': 0x04000000,
  postdated: 0x02000000,
  invalid: 0x01000000,
  renewable: 0x00800000,
  initial: 0x00400000,
  'pre-authent': 0x00200000,
  'hw-authent': 0x00100000,
  'transited-policy-checked': 0x00080000,
  'ok-as-delegate': 0x00040000,
  'enc-pa-rep': 0x00010000,
  anonymous: 0x00008000,
} as const;
export type TicketFlagName = keyof typeof TICKET_FLAGS;

/**
 * KDCOptions — RFC 4120 §5.4.1, plus cname-in-addl-tkt (MS-SFU §2.2.4), canonicalize
 * (RFC 6806 §5), request-anonymous (RFC 8062).
 */
export const KDC_OPTIONS = {
  reserved: 0x80000000,
  forwardable: 0x40000000,
  forwarded: 0x20000000,
  proxiable: 0x10000000,
  proxy: 0x08000000,
  'allow-postdate': 0x04000000,
  postdated: 0x02000000,
  renewable: 0x00800000,
  'opt-hardware-auth': 0x00100000,
  'cname-in-addl-tkt': 0x00020000,
  canonicalize: 0x00010000,
  'request-anonymous': 0x00008000,
  'disable-transited-check': 0x00000020,
  'renewable-ok': 0x00000010,
  'enc-tkt-in-skey': 0x00000008,
  renew: 0x00000002,
  validate: 0x00000001,
} as const;
export type KdcOptionName = keyof typeof KDC_OPTIONS;

/** APOptions — RFC 4120 §5.5.1. */
export const AP_OPTIONS = {
  reserved: 0x80000000,
  'use-session-key': 0x40000000,
  'mutual-required': 0x20000000,
} as const;
export type ApOptionName = keyof typeof AP_OPTIONS;

/** PA-PAC-OPTIONS flags — MS-KILE §2.2.10. */
export const PA_PAC_OPTIONS_FLAGS = {
  claims: 0x80000000,
  'branch-aware': 0x40000000,
  'forward-to-full-dc': 0x20000000,
  'resource-based-constrained-delegation': 0x10000000,
} as const;
export type PaPacOptionsFlagName = keyof typeof PA_PAC_OPTIONS_FLAGS;

/**
 * Display names of the set bits of `flags` in wire order; a set bit with no name in `table` is
 * shown as `bit<n>` so nothing is hidden.
 */
export function flagNames(flags: number, table: Readonly<Record<string, number>> = TICKET_FLAGS): string[] {
  const byMask = new Map<number, string>();
  for (const [name, mask] of Object.entries(table)) byMask.set(mask, name);
  const out: string[] = [];
  for (let bit = 0; bit < 32; bit++) {
    const mask = flagBit(bit);
    if (((flags >>> 0) & mask) >>> 0 === 0) continue;
    out.push(byMask.get(mask) ?? `bit${bit}`);
  }
  return out;
}

/** A flags number from names (the inverse of {@link flagNames} for named bits). */
export function flagsFrom<T extends Readonly<Record<string, number>>>(table: T, names: readonly (keyof T)[]): number {
  let flags = 0;
  for (const n of names) flags = (flags | table[n]!) >>> 0;
  return flags;
}
