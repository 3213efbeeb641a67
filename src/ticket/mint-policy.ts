import { KrbError } from '../errors/index.js';
import type { KrbErrorName } from '../errors/index.js';
import { accountExpiredAt } from '../util/index.js';

/**
 * Why the bridge refuses to mint. Each is the refusal the writable DC would give the partial TGT
 * at the exchange (samba-lab.md, "Refusals seen"), applied before a ticket exists so the person is
 * told at sign-in rather than by an opaque KRB-ERROR on the device.
 */
export const MINT_REFUSAL = {
  ACCOUNT_DISABLED: 'KDC_ERR_POLICY',
  ACCOUNT_LOCKED_OUT: 'KDC_ERR_CLIENT_REVOKED',
  ACCOUNT_EXPIRED: 'KDC_ERR_NAME_EXP',
  PASSWORD_MUST_CHANGE: 'KDC_ERR_KEY_EXPIRED',
  DENIED_GROUP: 'KDC_ERR_TGT_REVOKED',
  NOT_ALLOWED_GROUP: 'KDC_ERR_TGT_REVOKED',
} as const satisfies Record<string, KrbErrorName>;
export type MintRefusalReason = keyof typeof MINT_REFUSAL;

/** A refusal to mint: `code` is the KRB-ERROR the DC would answer, `reason` says which rule. */
export class MintRefusedError extends KrbError {
  readonly reason: MintRefusalReason;
  /** The denied (or missing allowed) group SID, for DENIED_GROUP. */
  readonly groupSid: string | undefined;

  constructor(reason: MintRefusalReason, message: string, groupSid?: string) {
    super(MINT_REFUSAL[reason], message, { eText: message });
    this.reason = reason;
    this.groupSid = groupSid;
  }
}

/** Domain-relative RIDs of the groups an RODC never reveals by default (MS-ADTS §3.1.1.4.1 / DESIGN.md). */
export const DEFAULT_DENIED_RIDS = {
  deniedRodcPasswordReplicationGroup: 572,
  domainAdmins: 512,
  schemaAdmins: 518,
  enterpriseAdmins: 519,
} as const;

/** BUILTIN aliases in the default never-reveal list. */
export const DEFAULT_DENIED_BUILTIN_SIDS = {
  administrators: 'S-1-5-32-544',
  accountOperators: 'S-1-5-32-548',
  serverOperators: 'S-1-5-32-549',
  backupOperators: 'S-1-5-32-551',
} as const;

/** The default denied set for a domain: its 572, 512, 518, 519 and the four BUILTIN operator aliases. */
export function defaultDeniedGroupSids(domainSid: string): string[] {
  return [
    ...Object.values(DEFAULT_DENIED_RIDS).map((rid) => `${domainSid}-${rid}`),
    ...Object.values(DEFAULT_DENIED_BUILTIN_SIDS),
  ];
}

/** The account facts the policy reads (a subset of the directory's user record). */
export interface MintPolicyUser {
  readonly sAMAccountName: string;
  readonly objectSid: string;
  readonly enabled: boolean;
  readonly lockedOut?: boolean;
  readonly accountExpires?: Date | undefined;
  readonly mustChangePassword?: boolean;
}

export interface MintPolicy {
  /** Members (transitively) of any of these are refused: the RODC never-reveal set. */
  readonly deniedGroupSids: readonly string[];
  /** When given, only members of one of these are minted for: the reveal-on-demand set. */
  readonly allowedGroupSids?: readonly string[];
}

/**
 * Apply the DC's policy before minting. `groupSids` is every group the user is in, transitively
 * (the directory's groupSidsOf), so nested membership of a denied group counts like direct
 * membership, as it does for an RODC's password-replication policy. Deny wins over allow.
 * Throws MintRefusedError; returns nothing when the user may have a partial TGT.
 */
export function checkMintPolicy(user: MintPolicyUser, groupSids: readonly string[], policy: MintPolicy, now: Date): void {
  const who = user.sAMAccountName;
  // Disabled accounts: Samba answers KDC_ERR_POLICY at the exchange.
  if (!user.enabled) throw new MintRefusedError('ACCOUNT_DISABLED', `the account ${who} is disabled in the directory`);
  // Locked out: KDC_ERR_CLIENT_REVOKED.
  if (user.lockedOut === true) throw new MintRefusedError('ACCOUNT_LOCKED_OUT', `the account ${who} is locked out`);
  // Expired: KDC_ERR_NAME_EXP — in whole seconds, as the DC compares (Samba 4.17 still exchanges
  // during the second of accountExpires, refuses from the next; docs/kdc.md "Account expiry"). An
  // expiry still ahead does not shorten the ticket: Samba's AS-REP keeps the full lifetime too.
  if (user.accountExpires !== undefined && accountExpiredAt(user.accountExpires, now)) {
    throw new MintRefusedError('ACCOUNT_EXPIRED', `the account ${who} expired on ${user.accountExpires.toISOString()}`);
  }
  // Must change password: KDC_ERR_KEY_EXPIRED.
  if (user.mustChangePassword === true) throw new MintRefusedError('PASSWORD_MUST_CHANGE', `the account ${who} must change its password first`);
  // The never-reveal set, nested membership included: KDC_ERR_TGT_REVOKED.
  const member = new Set([user.objectSid, ...groupSids]);
  const denied = policy.deniedGroupSids.find((sid) => member.has(sid));
  if (denied !== undefined) {
    throw new MintRefusedError(
      'DENIED_GROUP',
      `the account ${who} is a member of ${denied}, which the password-replication policy denies (privileged accounts are denied by design)`,
      denied,
    );
  }
  // The reveal-on-demand set, when configured: KDC_ERR_TGT_REVOKED.
  if (policy.allowedGroupSids !== undefined && !policy.allowedGroupSids.some((sid) => member.has(sid))) {
    throw new MintRefusedError('NOT_ALLOWED_GROUP', `the account ${who} is in none of the groups allowed for passkey sign-in`);
  }
}
