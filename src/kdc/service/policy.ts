import type { ExchangePolicy } from './types.js';

/** AD's defaults (Default Domain Policy; RFC 4120 §1.5.2 skew). */
export const DEFAULT_MAX_LIFETIME_SEC = 10 * 3600;
export const DEFAULT_MAX_RENEW_SEC = 7 * 86400;
export const DEFAULT_CLOCK_SKEW_SEC = 300;

/**
 * The password-replication policy AD gives a new RODC (samba-lab.md, MS-ADTS §3.1.1.1.5):
 * msDS-RevealOnDemandGroup = Allowed RODC Password Replication Group (-571);
 * msDS-NeverRevealGroup = Denied RODC Password Replication Group (-572) and BUILTIN
 * Administrators (544), Server Operators (549), Backup Operators (551), Account Operators (548).
 * Domain Admins are denied through nesting (they are members of -572 and of BUILTIN Administrators).
 */
export function defaultExchangePolicy(domainSid: string, overrides: Partial<ExchangePolicy> = {}): ExchangePolicy {
  return {
    maxLifetimeSec: DEFAULT_MAX_LIFETIME_SEC,
    maxRenewSec: DEFAULT_MAX_RENEW_SEC,
    clockSkewSec: DEFAULT_CLOCK_SKEW_SEC,
    allowedGroupSids: [`${domainSid}-571`],
    deniedGroupSids: [`${domainSid}-572`, 'S-1-5-32-544', 'S-1-5-32-549', 'S-1-5-32-551', 'S-1-5-32-548'],
    logonServer: 'DC',
    ...overrides,
  };
}
