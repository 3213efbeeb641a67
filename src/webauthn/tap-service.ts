import type { DirectoryUser } from '../directory/index.js';
import { isoDate } from './format.js';
import type { PasskeyService, PasskeyServiceOptions, RequestContext } from './passkey-service.js';
import type { TapRecord, TapRedemption } from '../store/index.js';
import { looksLikeTapCode, newTapCode, normalizeTapCode } from './tap-code.js';
import { accountExpiredAt, systemClock, systemRandom } from '../util/index.js';

export interface IssuedTap {
  /** Shown once; only its keyed hash is stored. */
  readonly code: string;
  readonly expiresAt: Date;
  readonly uses: number;
}

/**
 * Temporary access passes (Entra TAP): a time-limited, use-limited code an administrator issues
 * so a user without a passkey can register the first one.
 */
export class TapService {
  constructor(
    private readonly opts: PasskeyServiceOptions,
    private readonly passkeys: PasskeyService,
  ) {}

  // The user's SID is inside the MAC: a pass for one account never matches for another, and a
  // wrong account name spends no use of anybody's pass.
  private hash(user: DirectoryUser, code: string): string {
    return this.opts.hasher.hash('tap', `${user.objectSid}\0${normalizeTapCode(code)}`);
  }

  async issue(user: DirectoryUser, ttl: number | undefined, uses: number | undefined, actor: string): Promise<IssuedTap> {
    const { tap } = this.opts.config;
    const seconds = ttl ?? tap.ttl;
    const count = uses ?? tap.uses;
    if (!Number.isInteger(seconds) || seconds <= 0 || seconds > tap.maxTtl) {
      throw new RangeError(`TAP lifetime must be 1..${tap.maxTtl} seconds`);
    }
    if (!Number.isInteger(count) || count < 1 || count > 100) throw new RangeError('TAP uses must be 1..100');
    const now = (this.opts.clock ?? systemClock).now();
    const random = this.opts.random ?? systemRandom;
    const code = newTapCode(random);
    const expiresAt = new Date(now.getTime() + seconds * 1000);
    const id = Buffer.from(random.bytes(9)).toString('base64url');
    await this.opts.store.addTap(
      { id, userSid: user.objectSid, hash: this.hash(user, code), createdAt: now, expiresAt, usesLeft: count },
      this.passkeys.audit('tap_issued', { address: undefined }, { userSid: user.objectSid, detail: { id, expiresAt: isoDate(expiresAt), uses: count, actor } }),
    );
    return { code, expiresAt, uses: count };
  }

  /** Spend one use of a pass; returns the account it was issued to. */
  async redeem(username: string, code: string, ctx: RequestContext): Promise<DirectoryUser> {
    const user = await this.opts.directory.findUser(username);
    const invalid = 'This temporary access pass is not valid for this account. Check it, or ask for a new one.';
    if (!user) {
      // The name tried helps an administrator, unless it is a pass typed into the wrong field:
      // the audit log must never hold a live pass.
      const detail = looksLikeTapCode(username) ? { usernameLooksLikePass: true } : { username: username.slice(0, 64) };
      return this.passkeys.refuse('tap.invalid', invalid, ctx, { detail });
    }
    const now = (this.opts.clock ?? systemClock).now();
    const hash = this.hash(user, code);
    const usable = user.enabled && !user.lockedOut && !accountExpiredAt(user.accountExpires, now);
    // An account that cannot sign in spends no use (the pass still works once it is unlocked);
    // its state is told only to the holder of a live pass, so the pass is looked at first.
    const result = usable
      ? await this.opts.store.redeemTap(hash, now)
      : peek((await this.opts.store.listTaps(user.objectSid)).find((t) => t.hash === hash), now);
    if (!result.ok) {
      const detail = {
        invalid: invalid,
        expired: 'This temporary access pass has expired. Ask your administrator for a new one.',
        used_up: 'This temporary access pass has already been used. Ask your administrator for a new one.',
      }[result.reason];
      return this.passkeys.refuse(`tap.${result.reason}`, detail, ctx, { userSid: user.objectSid });
    }
    if (!usable) {
      const code = !user.enabled ? 'user.disabled' : user.lockedOut ? 'user.locked_out' : 'user.expired';
      return this.passkeys.refuse(code, 'Your account cannot sign in. Ask your administrator.', ctx, { userSid: user.objectSid });
    }
    await this.opts.store.appendAudit(this.passkeys.audit('tap_redeemed', ctx, { userSid: user.objectSid, detail: { id: result.tap.id, usesLeft: result.tap.usesLeft } }));
    return user;
  }
}

/** What Store.redeemTap would answer for this pass, without spending a use. */
function peek(tap: TapRecord | undefined, now: Date): TapRedemption {
  if (!tap) return { ok: false, reason: 'invalid' };
  if (tap.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  if (tap.usesLeft <= 0) return { ok: false, reason: 'used_up' };
  return { ok: true, tap };
}
