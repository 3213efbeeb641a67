import { beforeEach, describe, expect, it } from 'vitest';
import { parseFileDirectory } from '../../src/directory/index.js';
import { hmacSecretHasher } from '../../src/store/index.js';
import { TapService } from '../../src/webauthn/index.js';
import { codeOf, ctx, DIRECTORY_DOC, harness, type Harness } from './fixture.js';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});

describe('TAP redemption audit', () => {
  it('never records a pass typed into the account-name field', async () => {
    const alice = (await h.svc.directory.findUser('alice'))!;
    const tap = await h.taps.issue(alice, 3600, 1, 'admin');
    // Fields swapped on the TAP page: the pass goes in as the account name.
    for (const typed of [tap.code, tap.code.toLowerCase(), tap.code.replace(/-/g, ''), ` ${tap.code.replace(/-/g, ' ')} `]) {
      expect(await codeOf(h.taps.redeem(typed, 'alice', ctx))).toBe('tap.invalid');
    }
    const audit = JSON.stringify(await h.store.listAudit({ limit: 50 }));
    expect(audit).not.toContain(tap.code.replace(/-/g, '').slice(0, 8));
    expect(audit).not.toContain(tap.code.toLowerCase().replace(/-/g, '').slice(0, 8));
    // An ordinary unknown name is still recorded, so an administrator sees what was tried.
    expect(await codeOf(h.taps.redeem('ghost', tap.code, ctx))).toBe('tap.invalid');
    expect((await h.store.listAudit({ limit: 1 }))[0]).toMatchObject({ kind: 'refusal', code: 'tap.invalid', detail: { username: 'ghost' } });
    expect((await h.taps.redeem('alice', tap.code, ctx)).sAMAccountName).toBe('alice');
  });
});

describe('TAP redemption for an account that cannot sign in', () => {
  /** The same store, server secret and passkey service, over a directory where alice is locked out. */
  async function lockedOutTaps(): Promise<TapService> {
    const doc = { ...DIRECTORY_DOC, users: DIRECTORY_DOC.users.map((u) => (u.sAMAccountName === 'alice' ? { ...u, lockedOut: true } : u)) };
    const directory = parseFileDirectory(doc, 'd.yaml', { realm: 'D.T', dnsDomain: 'd.t', netbiosName: 'D' });
    return new TapService({ config: h.config, directory, store: h.store, hasher: hmacSecretHasher(new Uint8Array(32).fill(7)), clock: h.clock }, h.svc);
  }

  it('spends no use of the pass: it still works once the account is unlocked', async () => {
    const alice = (await h.svc.directory.findUser('alice'))!;
    const tap = await h.taps.issue(alice, 3600, 1, 'admin');
    const locked = await lockedOutTaps();
    expect(await codeOf(locked.redeem('alice', tap.code, ctx))).toBe('user.locked_out');
    expect((await h.store.listTaps(alice.objectSid))[0]!.usesLeft).toBe(1);
    expect((await h.taps.redeem('alice', tap.code, ctx)).sAMAccountName).toBe('alice');
  });

  it('tells the account state only to the holder of a live pass', async () => {
    const alice = (await h.svc.directory.findUser('alice'))!;
    const tap = await h.taps.issue(alice, 60, 1, 'admin');
    const locked = await lockedOutTaps();
    expect(await codeOf(locked.redeem('alice', 'AAAA-BBBB-CCCC', ctx))).toBe('tap.invalid');
    h.clock.t += 61_000;
    expect(await codeOf(locked.redeem('alice', tap.code, ctx))).toBe('tap.expired');
  });
});

describe('TAP uses under concurrent redemption (pinned: found sound in the audit)', () => {
  it.each([1, 3])('a %i-use pass admits exactly that many of 8 simultaneous redemptions', async (uses) => {
    const alice = (await h.svc.directory.findUser('alice'))!;
    const tap = await h.taps.issue(alice, 3600, uses, 'admin');
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => codeOf(h.taps.redeem('alice', tap.code, ctx))));
    expect(outcomes.filter((o) => o === 'no error')).toHaveLength(uses);
    expect(outcomes.filter((o) => o === 'tap.used_up')).toHaveLength(8 - uses);
    expect((await h.store.listTaps(alice.objectSid))[0]!.usesLeft).toBe(0);
  });
});
