import { describe, expect, it } from 'vitest';
import { Key } from '../../src/crypto/index.js';
import { buildPac, fillAuthtimePacTemplate, kerbValidationInfoFor, makeAuthtimePacTemplate, parseSid, signPac, type Pac } from '../../src/pac/index.js';

const domainSid = parseSid('S-1-5-21-1-2-3');
const key = Key.fromBytes(18, new Uint8Array(32).fill(7));
const signing = { serverKey: key, kdcKey: key, rodcId: 1, includeFullChecksum: false, withTicket: false } as const;

/** A PAC for alice at `authtime`; `extra` lets a test make another field depend on the time too. */
function pacAt(authtime: Date, extra: (t: Date) => Partial<Parameters<typeof kerbValidationInfoFor>[0]> = () => ({})): Pac {
  return buildPac({
    logonInfo: kerbValidationInfoFor({ domainSid, userRid: 1105, effectiveName: 'alice', logonServer: 'DC', logonDomainName: 'EXAMPLE', logonTime: authtime, groups: [{ rid: 1108 }], ...extra(authtime) }),
    clientInfo: { authtime, name: 'alice' },
    requestorSid: parseSid('S-1-5-21-1-2-3-1105'),
  });
}

describe('authtime PAC template (pac/authtime-template.ts)', () => {
  it('a filled template is byte-identical to signPac over the PAC built for that authtime', () => {
    const t = makeAuthtimePacTemplate((at) => pacAt(at), signing);
    expect(t).not.toBeNull();
    for (const at of [new Date('2026-11-27T12:00:00Z'), new Date('2031-01-01T00:00:01Z')]) {
      const keys = { serverKey: key, kdcKey: key, rodcId: 0xd3ff };
      expect(fillAuthtimePacTemplate(t!, at, keys)).toEqual(signPac({ pac: pacAt(at), ...keys, includeFullChecksum: false }));
    }
  });

  it('refuses to make a template when more than LogonTime and ClientId depend on authtime', () => {
    expect(makeAuthtimePacTemplate((at) => pacAt(at, (t) => ({ passwordLastSet: t })), signing)).toBeNull();
    expect(makeAuthtimePacTemplate((at) => pacAt(at, (t) => ({ effectiveName: `alice${t.getTime()}` })), signing)).toBeNull();
  });
});
