import { describe, expect, it } from 'vitest';
import { KDC_OPTIONS, TICKET_FLAGS } from '../../../src/asn1/index.js';
import { parseFileDirectory } from '../../../src/directory/index.js';
import { CIFS, code, DOMAIN_SID, exchange, KRBTGT, makeLab, mint, REALM, T0, TARGETS, type Outcome, type Tgt } from './support.js';

/**
 * Ticket times against the client's accountExpires, as Samba 4.17 AD DC gives them (measured,
 * docs/kdc.md "Account expiry"): an expiry still ahead never shortens endtime or renew-till — not
 * of the full TGT from a partial one, not of a service ticket, not on RENEW — and the account is
 * refused with 1 (KDC_ERR_NAME_EXP) only once the whole second of accountExpires has passed
 * (issued at E + 0.1 s and E + 0.6 s, refused at E + 1.1 s).
 */
const EXPIRES = new Date(T0.getTime() + 2 * 3600 * 1000);
const IVY_RID = 1120;

function directory() {
  return parseFileDirectory(
    {
      domain: { sid: DOMAIN_SID },
      groups: [
        { name: 'Staff', rid: 1200 },
        { name: 'Allowed RODC Password Replication Group', members: ['Staff'] },
      ],
      users: [
        { sAMAccountName: 'ivy', rid: IVY_RID, accountExpires: EXPIRES.toISOString(), groups: ['Staff'] },
        { sAMAccountName: 'FS1$', rid: 1109, kind: 'computer', spns: ['cifs/fs1.demo.test'] },
      ],
    },
    'account-expiry',
    { realm: REALM, dnsDomain: 'demo.test', netbiosName: 'DEMO' },
  );
}

function rep(o: Outcome) {
  if (o.kind !== 'rep') throw new Error(`expected a TGS-REP, got KRB-ERROR ${o.code}`);
  return o;
}

const RENEWABLE = (KDC_OPTIONS.forwardable | KDC_OPTIONS.renewable) >>> 0;
const ivy = (lab: ReturnType<typeof makeLab>): Tgt => mint(lab, { user: 'ivy', rid: IVY_RID });

describe.each(TARGETS)('partial TGT of an account expiring in 2 h → %s', (_name, sname) => {
  it("keeps the TGT's endtime and renew-till (10 h, 7 d), not accountExpires", async () => {
    const lab = makeLab({}, { directory: directory() });
    const tgt = ivy(lab);
    const { encPart } = rep(await exchange(lab, tgt, sname, { kdcOptions: RENEWABLE, rtime: new Date(T0.getTime() + 7 * 86400 * 1000) }));
    expect(encPart.endtime).toEqual(tgt.enc.endtime);
    expect(encPart.endtime.getTime()).toBeGreaterThan(EXPIRES.getTime());
    expect(encPart.renewTill).toEqual(tgt.enc.renewTill);
  });
});

describe('full TGT of an account expiring in 2 h', () => {
  const fullTgt = async (lab: ReturnType<typeof makeLab>) => rep(await exchange(lab, ivy(lab), KRBTGT, { kdcOptions: RENEWABLE }));

  it("gives service tickets that end with the TGT, after accountExpires", async () => {
    const lab = makeLab({}, { directory: directory() });
    const full = await fullTgt(lab);
    lab.clock.advance(60);
    const { encPart } = rep(await exchange(lab, full.tgt, CIFS, { kdcOptions: RENEWABLE }));
    expect(encPart.endtime).toEqual(full.encPart.endtime);
    expect(encPart.renewTill).toEqual(full.encPart.renewTill);
  });

  it('is renewed without being cut at accountExpires', async () => {
    const lab = makeLab({}, { directory: directory() });
    const full = await fullTgt(lab);
    lab.clock.advance(3600);
    const { encPart } = rep(await exchange(lab, full.tgt, KRBTGT, { kdcOptions: (KDC_OPTIONS.renew | KDC_OPTIONS.renewable) >>> 0 }));
    expect(encPart.endtime.getTime()).toBe(T0.getTime() + 11 * 3600 * 1000);
    expect(encPart.flags & TICKET_FLAGS.renewable).not.toBe(0);
  });

  it('is refused with 1 for a service ticket or RENEW once the account has expired', async () => {
    const lab = makeLab({}, { directory: directory() });
    const full = await fullTgt(lab);
    lab.clock.advance(2 * 3600 + 2);
    expect(code(await exchange(lab, full.tgt, CIFS))).toBe(1);
    expect(code(await exchange(lab, full.tgt, KRBTGT, { kdcOptions: (KDC_OPTIONS.renew | KDC_OPTIONS.renewable) >>> 0 }))).toBe(1);
  });
});

describe.each(TARGETS)('the second of accountExpires → %s', (_name, sname) => {
  // Heimdal compares whole seconds (valid_end < kdc_time); the account is usable through second E.
  const at = async (offsetMs: number) => {
    const lab = makeLab({}, { directory: directory() });
    lab.clock.at = EXPIRES.getTime() - 3600 * 1000;
    const tgt = ivy(lab);
    lab.clock.at = EXPIRES.getTime() + offsetMs;
    return code(await exchange(lab, tgt, sname));
  };

  it('is still issued at E and E + 0.6 s', async () => {
    expect(await at(0)).toBe(0);
    expect(await at(600)).toBe(0);
  });
  it('is refused with 1 from E + 1 s', async () => {
    expect(await at(1000)).toBe(1);
    expect(await at(1100)).toBe(1);
  });
});
