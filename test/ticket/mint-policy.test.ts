import { describe, expect, it } from 'vitest';
import { checkMintPolicy, defaultDeniedGroupSids, MintRefusedError } from '../../src/ticket/index.js';
import { DOMAIN_SID } from './support.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const user = { sAMAccountName: 'bob', objectSid: `${DOMAIN_SID}-1105`, enabled: true };
const policy = { deniedGroupSids: defaultDeniedGroupSids(DOMAIN_SID) };

function refusal(f: () => void): { code: string; reason: string; krbCode: number } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MintRefusedError);
    const r = e as MintRefusedError;
    return { code: r.code, reason: r.reason, krbCode: r.krbCode };
  }
  throw new Error('no refusal');
}

describe('checkMintPolicy', () => {
  it('the default denied set: 572, 512, 518, 519 and BUILTIN 544, 548, 549, 551', () => {
    expect(policy.deniedGroupSids).toEqual([
      `${DOMAIN_SID}-572`,
      `${DOMAIN_SID}-512`,
      `${DOMAIN_SID}-518`,
      `${DOMAIN_SID}-519`,
      'S-1-5-32-544',
      'S-1-5-32-548',
      'S-1-5-32-549',
      'S-1-5-32-551',
    ]);
  });

  it('admits an ordinary enabled user', () => {
    expect(() => checkMintPolicy(user, [`${DOMAIN_SID}-513`, `${DOMAIN_SID}-1200`], policy, NOW)).not.toThrow();
  });

  it('refuses each denied group (nested membership is in groupSids) with KDC_ERR_TGT_REVOKED', () => {
    for (const sid of policy.deniedGroupSids) {
      const r = refusal(() => checkMintPolicy(user, [`${DOMAIN_SID}-513`, sid], policy, NOW));
      expect(r).toEqual({ code: 'KDC_ERR_TGT_REVOKED', reason: 'DENIED_GROUP', krbCode: 20 });
    }
  });

  it('refuses disabled, locked-out, expired and must-change accounts with the DC codes', () => {
    expect(refusal(() => checkMintPolicy({ ...user, enabled: false }, [], policy, NOW))).toEqual({ code: 'KDC_ERR_POLICY', reason: 'ACCOUNT_DISABLED', krbCode: 12 });
    expect(refusal(() => checkMintPolicy({ ...user, lockedOut: true }, [], policy, NOW)).code).toBe('KDC_ERR_CLIENT_REVOKED');
    expect(refusal(() => checkMintPolicy({ ...user, accountExpires: new Date(NOW.getTime() - 1000) }, [], policy, NOW)).code).toBe('KDC_ERR_NAME_EXP');
    expect(() => checkMintPolicy({ ...user, accountExpires: new Date(NOW.getTime() + 1000) }, [], policy, NOW)).not.toThrow();
    expect(refusal(() => checkMintPolicy({ ...user, mustChangePassword: true }, [], policy, NOW)).code).toBe('KDC_ERR_KEY_EXPIRED');
  });

  it('counts accountExpires in whole seconds, as the DC: usable through its second, refused from the next (Samba 4.17: E + 0.6 s issued, E + 1.1 s → 1)', () => {
    const at = (ms: number) => new Date(NOW.getTime() + ms);
    expect(() => checkMintPolicy({ ...user, accountExpires: NOW }, [], policy, NOW)).not.toThrow();
    expect(() => checkMintPolicy({ ...user, accountExpires: NOW }, [], policy, at(600))).not.toThrow();
    expect(refusal(() => checkMintPolicy({ ...user, accountExpires: NOW }, [], policy, at(1000))).reason).toBe('ACCOUNT_EXPIRED');
    expect(refusal(() => checkMintPolicy({ ...user, accountExpires: at(-500) }, [], policy, NOW)).reason).toBe('ACCOUNT_EXPIRED');
  });

  it('with an allowed set, refuses non-members; deny beats allow', () => {
    const allowed = { ...policy, allowedGroupSids: [`${DOMAIN_SID}-571`] };
    expect(refusal(() => checkMintPolicy(user, [`${DOMAIN_SID}-513`], allowed, NOW)).reason).toBe('NOT_ALLOWED_GROUP');
    expect(() => checkMintPolicy(user, [`${DOMAIN_SID}-571`], allowed, NOW)).not.toThrow();
    expect(refusal(() => checkMintPolicy(user, [`${DOMAIN_SID}-571`, `${DOMAIN_SID}-512`], allowed, NOW)).reason).toBe('DENIED_GROUP');
  });
});
