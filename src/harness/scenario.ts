import type { Authenticator, TicketFlagName, Ticket } from '../asn1/index.js';
import type { KrbErrorName } from '../errors/index.js';

/**
 * A KDC scenario as data (CONVENTIONS.md, after Samba's kdc_tgs_tests): mint a partial TGT of some
 * variant → mutate the ticket, authenticator or wire bytes → TGS exchange for a target → expect a
 * KRB-ERROR code or a reply with stated properties. Every scenario runs once per target.
 */

/** What the TGS-REQ asks for: the realm's TGT (krbtgt/REALM) or a service ticket (a cifs SPN). */
export const PROBE_TARGETS = ['krbtgt', 'cifs'] as const;
export type ProbeTarget = (typeof PROBE_TARGETS)[number];

/**
 * Accounts by the part they play, so one suite fits any realm: the caller maps each role to a
 * directory user (samba-lab.md's lab: alice, bob, carol, dave, erin …). A scenario whose role has
 * no user is skipped, never passed.
 */
export const USER_ROLES = [
  /** In the reveal-on-demand set (nested groups), enabled: the one that is exchanged. */
  'allowed',
  /** A second allowed user, whose SID goes into someone else's REQUESTOR. */
  'other',
  'disabled',
  /** Allowed, but in the never-reveal set through nesting (Domain Admins). */
  'never-reveal',
  /** Not in the reveal-on-demand set. */
  'not-allowed',
  'must-change-password',
  'expired',
  /**
   * Allowed and enabled, with an accountExpires still ahead but before the minted TGT's end (10 h):
   * what a DC does with the ticket times of an account about to expire.
   */
  'expires-soon',
  'locked-out',
  /** A name and SID the directory does not have. */
  'unknown',
] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * The PAC put into the partial TGT. `minimal` is DESIGN.md's smallest accepted PAC (LOGON_INFO,
 * CLIENT_INFO, REQUESTOR + signatures); `windows` adds UPN_DNS_INFO and ATTRIBUTES_INFO as
 * mintPartialTgt does; the others each break one thing the DC checks (samba-lab.md).
 */
export const PAC_VARIANTS = [
  'minimal',
  'windows',
  'no-pac',
  'no-requestor',
  'requestor-of-other-user',
  'no-logon-info',
  'no-client-info',
  'client-info-name-mismatch',
  'client-info-time-mismatch',
  'bad-server-checksum',
  'full-checksum-inside',
] as const;
export type PacVariant = (typeof PAC_VARIANTS)[number];

/**
 * The key the ticket is encrypted (and the PAC signed) with: krbtgt_N's AES256 or AES128 key from
 * the RODC keytab, or a fresh random AES256 key no KDC holds.
 */
export const KEY_CHOICES = ['rodc-aes256', 'rodc-aes128', 'wrong'] as const;
export type KeyChoice = (typeof KEY_CHOICES)[number];

/** Ticket times relative to the moment of minting, in seconds. */
export interface TimesSpec {
  readonly authtime: number;
  /** Default: authtime. */
  readonly starttime?: number;
  readonly endtime: number;
}

export const TIMES = {
  /** Valid now for 10 h — the bridge's default lifetime. */
  valid: { authtime: 0, endtime: 10 * 3600 },
  /** Issued 11 h ago, ended 1 h ago. */
  expired: { authtime: -11 * 3600, endtime: -3600 },
  /** Issued now, valid only from 2 h on: far beyond any clock skew (RFC 4120 §1.5.2). */
  postdated: { authtime: 0, starttime: 2 * 3600, endtime: 10 * 3600 },
} as const satisfies Record<string, TimesSpec>;

export interface MintSpec {
  readonly user?: UserRole;
  /** `own`: the N of the RODC keytab; `unknown`: an N no RODC object has. */
  readonly rodcNumber?: 'own' | 'unknown';
  /** `current`: the keytab's highest key version; `unknown`: one the DC never had. */
  readonly keyVersion?: 'current' | 'unknown';
  readonly key?: KeyChoice;
  readonly times?: TimesSpec;
  /** The renewable flag and renew-till (7 d); default true, as the bridge mints. */
  readonly renewable?: boolean;
  readonly pac?: PacVariant;
  /** Ticket flags set on top of the bridge's (e.g. `forwarded`: a TGT that was forwarded). */
  readonly flags?: readonly TicketFlagName[];
  /** Ticket flags taken off the bridge's (e.g. `forwardable`: a TGT that may not be forwarded). */
  readonly clearFlags?: readonly TicketFlagName[];
  /** `other`: crealm (ticket and authenticator) names a realm the DC does not serve, OTHER.INVALID. */
  readonly clientRealm?: 'other';
}

/** The partial TGT at the moment mutations see it. */
export interface MintedProbeTgt {
  readonly ticket: Ticket;
  readonly rodcNumber: number;
  readonly keyVersion: number;
}

/**
 * A small named change applied after minting: to the Ticket record, to the authenticator before it
 * is encrypted, or to the final DER TGS-REQ. `name` shows in the matrix.
 */
export interface Mutation {
  readonly name: string;
  readonly ticket?: (ticket: Ticket, minted: MintedProbeTgt) => Ticket;
  readonly authenticator?: (authenticator: Authenticator) => Authenticator;
  readonly wire?: (tgsReq: Uint8Array) => Uint8Array;
}

/**
 * enc-authorization-data the DC cannot take (RFC 4120 §5.4.1): an AuthorizationData under the
 * session key with the subkey usage (5) though the authenticator has no subkey, or the right key
 * and usage (4) around bytes that are no AuthorizationData.
 */
export const ENC_AUTHORIZATION_DATA_VARIANTS = ['usage-5-without-subkey', 'not-authorization-data'] as const;
export type EncAuthorizationDataVariant = (typeof ENC_AUTHORIZATION_DATA_VARIANTS)[number];

export interface RequestSpec {
  /** KDC option renewable with an rtime of 7 d. */
  readonly renewable?: boolean;
  /** KDC-REQ-BODY.from this many seconds after now (without the POSTDATED option). */
  readonly fromSec?: number;
  /** KDC option request-anonymous (RFC 8062). */
  readonly anonymous?: boolean;
  /** KDC option proxiable (the request always asks forwardable, as MIT's client does with a forwardable TGT). */
  readonly proxiable?: boolean;
  /** KDC option forwarded or proxy, with one address in KDC-REQ-BODY.addresses (192.0.2.1, RFC 5737 documentation range). */
  readonly readdress?: 'forwarded' | 'proxy';
  /** KDC-REQ-BODY.realm, and the realm component of krbtgt/REALM, in lower case (AD compares realms without case). */
  readonly realmInLowerCase?: boolean;
  readonly encAuthorizationData?: EncAuthorizationDataVariant;
  /** sname as one component holding the whole SPN, '/' included: ['cifs/host'] (another principal than ['cifs', 'host']). */
  readonly snameOneComponent?: boolean;
  /** sname the sAMAccountName of the account holding the cifs SPN (RunSuiteInput.cifsAccount, e.g. DC1$), NT-PRINCIPAL. */
  readonly snameAccount?: boolean;
}

/** A reply is expected; with the ticket's key at hand its PAC is checked as rebuilt from the directory. */
export interface ReplyExpectation {
  /** LOGON_INFO for the user with the expected groups, S-1-18-1 among ExtraSids, REQUESTOR = user. */
  readonly pacRebuilt?: boolean;
  /** Flags the reply's EncTGSRepPart (and so the ticket) must carry. */
  readonly flags?: readonly TicketFlagName[];
  /**
   * `tgt`: the reply's endtime and renew-till are exactly the presented TGT's — the KDC cut neither
   * (e.g. at the client's accountExpires). The scenario's TGT must end before policy's maximum.
   */
  readonly times?: 'tgt';
}

/**
 * `noAnswer`: the KDC sends nothing back (drops the datagram, closes the TCP connection), as MIT
 * krb5kdc and Samba's KDC do with a request whose outer DER does not decode.
 */
export type Expectation = { readonly error: KrbErrorName } | { readonly reply: ReplyExpectation } | { readonly noAnswer: true };

/**
 * Scenarios that need the directory changed first (e.g. the RODC object without
 * PARTIAL_SECRETS_ACCOUNT): run only when the runner is given a setup of that name.
 */
export const SETUP_NAMES = ['rodc-without-partial-secrets', 'rodc-without-krbtgt-link'] as const;
export type SetupName = (typeof SETUP_NAMES)[number];

export interface Scenario {
  readonly name: string;
  readonly mint: MintSpec;
  readonly mutate?: readonly Mutation[];
  readonly request?: RequestSpec;
  readonly expect: Expectation;
  readonly setup?: SetupName;
  /** Targets to run for; default both. */
  readonly targets?: readonly ProbeTarget[];
}

/** `error('KDC_ERR_TGT_REVOKED')` */
export function error(name: KrbErrorName): Expectation {
  return { error: name };
}

/** `noAnswer()` */
export function noAnswer(): Expectation {
  return { noAnswer: true };
}

/** `reply({ pacRebuilt: true })` */
export function reply(expectation: ReplyExpectation = {}): Expectation {
  return { reply: expectation };
}

/** One scenario in one line: `scenario('no PAC', { pac: 'no-pac' }, error('KDC_ERR_TGT_REVOKED'))`. */
export function scenario(name: string, mint: MintSpec, expect: Expectation, more: Omit<Scenario, 'name' | 'mint' | 'expect'> = {}): Scenario {
  return { name, mint, expect, ...more };
}
