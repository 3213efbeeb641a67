import { beforeEach, describe, expect, it } from 'vitest';
import { ProblemError } from '../../src/errors/index.js';
import { harness, type Harness } from './fixture.js';

const ctx = { address: '127.0.0.1' };
const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof ProblemError) return e.code;
    throw e;
  }
  return 'no error';
};

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
