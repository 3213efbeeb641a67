import type { DirectoryUser } from '../directory/index.js';
import { ProblemError } from '../errors/index.js';
import { accountExpiredAt } from '../util/index.js';

/** MS-KILE §3.3.5.7.1-style account checks, applied before any passkey or TAP is accepted. */
export function assertAccountUsable(user: DirectoryUser, now: Date): void {
  if (!user.enabled) throw new ProblemError('user.disabled', 'Your account is disabled. Ask your administrator.');
  if (user.lockedOut) throw new ProblemError('user.locked_out', 'Your account is locked. Ask your administrator.');
  if (accountExpiredAt(user.accountExpires, now)) {
    throw new ProblemError('user.expired', 'Your account has expired. Ask your administrator.');
  }
}
