import type { Directory, DirectoryUser } from '../directory/index.js';
import { accountExpiredAt } from '../util/index.js';
import type { ProbeUser } from './pac-variants.js';
import type { ProbeUsers } from './runner.js';
import { TIMES, type UserRole } from './scenario.js';

/** The RODC's password-replication policy as the probe needs it: reveal-on-demand and never-reveal SIDs. */
export interface ProbePolicy {
  readonly allowedGroupSids: readonly string[];
  readonly deniedGroupSids: readonly string[];
}

/**
 * AD's defaults for a new RODC (samba-lab.md, DESIGN.md): msDS-RevealOnDemandGroup = Allowed RODC
 * Password Replication Group (-571); msDS-NeverRevealGroup = Denied RODC Password Replication
 * Group (-572) and BUILTIN Administrators, Server, Backup and Account Operators.
 */
export function defaultProbePolicy(domainSid: string): ProbePolicy {
  return {
    allowedGroupSids: [`${domainSid}-571`],
    deniedGroupSids: [`${domainSid}-572`, 'S-1-5-32-544', 'S-1-5-32-549', 'S-1-5-32-551', 'S-1-5-32-548'],
  };
}

interface Classified {
  readonly user: DirectoryUser;
  readonly allowed: boolean;
  readonly denied: boolean;
  readonly expired: boolean;
  /** accountExpires after now but before the end of the TGT the suite mints (TIMES.valid). */
  readonly expiresSoon: boolean;
}

/** Which role an account can play, or undefined (e.g. allowed and disabled and locked out at once). */
function roleOf(c: Classified): UserRole | undefined {
  const u = c.user;
  const trouble = [!u.enabled, u.lockedOut, u.mustChangePassword, c.expired].filter(Boolean).length;
  if (c.denied) return c.allowed && trouble === 0 ? 'never-reveal' : undefined;
  if (!c.allowed) return trouble === 0 ? 'not-allowed' : undefined;
  if (trouble === 0) return c.expiresSoon ? 'expires-soon' : 'allowed';
  if (trouble > 1) return undefined;
  if (!u.enabled) return 'disabled';
  if (u.lockedOut) return 'locked-out';
  if (u.mustChangePassword) return 'must-change-password';
  return 'expired';
}

/**
 * Assign the suite's roles from a directory: each user account (by name order) is classified by
 * the policy (transitive groups) and its state, and fills the first role it fits that is still
 * empty; the second plain allowed account becomes `other`. An allowed account whose accountExpires
 * falls inside the suite's TGT lifetime is `expires-soon`, not `allowed`. `allowed` gets its domain global and
 * universal groups as the groups its rebuilt PAC must carry.
 */
export async function probeUsersFromDirectory(directory: Directory, policy: ProbePolicy, now: Date): Promise<ProbeUsers> {
  const out: Partial<Record<UserRole, ProbeUser>> = {};
  const users = [...(await directory.listUsers())].filter((u) => u.kind === 'user').sort((a, b) => a.sAMAccountName.localeCompare(b.sAMAccountName));
  for (const user of users) {
    const groups = await directory.groupSidsOf(user);
    const has = (sids: readonly string[]): boolean => sids.some((s) => groups.includes(s));
    const expires = user.accountExpires?.getTime();
    const expired = accountExpiredAt(user.accountExpires, now);
    const expiresSoon = expires !== undefined && !expired && expires < now.getTime() + TIMES.valid.endtime * 1000;
    const role = roleOf({ user, allowed: has(policy.allowedGroupSids), denied: has(policy.deniedGroupSids), expired, expiresSoon });
    if (role === undefined) continue;
    const probeUser: ProbeUser = { name: user.sAMAccountName, sid: user.objectSid };
    if (role === 'allowed' && out.allowed !== undefined) {
      out.other ??= probeUser;
      continue;
    }
    if (out[role] !== undefined) continue;
    if (role === 'allowed') {
      const domainGroups: string[] = [];
      for (const sid of groups) {
        const g = await directory.findGroup(sid);
        if (g !== undefined && (g.scope === 'global' || g.scope === 'universal')) domainGroups.push(sid);
      }
      out.allowed = { ...probeUser, groupSids: domainGroups };
    } else {
      out[role] = probeUser;
    }
  }
  return out;
}
