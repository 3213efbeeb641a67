import { describe, expect, it } from 'vitest';
import { explainKrbError } from '../../src/kdc/explain.js';

describe('explainKrbError', () => {
  it('names the code and says what the RODC policy refusal means', () => {
    const text = explainKrbError(20);
    expect(text.startsWith('KDC_ERR_TGT_REVOKED (20): ')).toBe(true);
    expect(text).toContain('password-replication policy');
    // Samba answers 20 for both sides of the policy (samba-e2e: erin and dave): name both groups.
    expect(text).toContain('Allowed RODC Password Replication Group');
    expect(text).toContain('Denied RODC Password Replication Group');
    expect(explainKrbError(12)).toContain('disabled');
  });

  it('keeps the KDC e-text and copes with codes no spec defines', () => {
    expect(explainKrbError(44, 'key version mismatch')).toMatch(/^KRB_AP_ERR_BADKEYVER \(44\): .*\(KDC said: key version mismatch\)$/);
    expect(explainKrbError(999)).toMatch(/^unknown error \(999\): /);
  });
});
