import { describe, expect, it } from 'vitest';
import type { DirectoryUser } from '../../src/directory/index.js';
import { assertAccountUsable } from '../../src/webauthn/index.js';
import { codeOf } from './fixture.js';

describe('assertAccountUsable: accountExpires as the DC compares it', () => {
  const e = new Date('2026-11-28T10:00:00Z');
  const user = { enabled: true, lockedOut: false, accountExpires: e } as unknown as DirectoryUser;
  const check = async (ms: number): Promise<string> => codeOf((async () => assertAccountUsable(user, new Date(e.getTime() + ms)))());

  it('signs in during the second of accountExpires (the DC still serves it) and is refused from the next', async () => {
    expect(await check(600)).toBe('no error');
    expect(await check(1100)).toBe('user.expired');
  });
});
