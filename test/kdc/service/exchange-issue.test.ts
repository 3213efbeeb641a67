import { describe, expect, it } from 'vitest';
import { extractPac, KDC_OPTIONS, TICKET_FLAGS, type Ticket } from '../../../src/asn1/index.js';
import { ETYPE, randomKey, type Key } from '../../../src/crypto/index.js';
import { formatSid, verifyPac, PAC_BUFFER_TYPE as T, USER_FLAGS, type KerbValidationInfo } from '../../../src/pac/index.js';
import { createExchangeKdc, defaultExchangePolicy, MemoryReplayCache } from '../../../src/kdc/index.js';
import { KeySet, openTicket, ticketChecksumInput } from '../../../src/ticket/index.js';
import { systemRandom } from '../../../src/util/index.js';
import { CIFS, code, DOMAIN_SID, exchange, KRBTGT, makeLab, mint, type Lab, type Outcome, type Tgt } from './support.js';

function rep(o: Outcome): Extract<Outcome, { kind: 'rep' }> {
  if (o.kind !== 'rep') throw new Error(`KRB-ERROR ${o.code}: ${o.eText}`);
  return o;
}

function opened(ticket: Ticket, key: Key) {
  const { encTicketPart } = openTicket(ticket, key);
  const pacBytes = extractPac(encTicketPart.authorizationData)!;
  return { enc: encTicketPart, pacBytes };
}

function logonInfo(pacBytes: Uint8Array): KerbValidationInfo {
  const b = verifyPac(pacBytes).pac.Buffers.find((x) => x.ulType === T.LOGON_INFO);
  if (b?.value?.type !== 'LOGON_INFO') throw new Error('no LOGON_INFO');
  return b.value.value;
}

/** A full TGT from the exchange, as the client holds it (for the next TGS-REQs). */
async function fullTgt(lab: Lab, user = 'alice'): Promise<Tgt> {
  const r = rep(await exchange(lab, mint(lab, { user }), KRBTGT));
  return { ...r.tgt, enc: opened(r.ticket, lab.krbtgtKey.key).enc };
}

describe('exchange: partial TGT → full TGT', () => {
  const lab = makeLab();

  it('is sealed with the realm krbtgt key and its kvno, PAC rebuilt from the directory, signed without 16/19', async () => {
    const partial = mint(lab);
    const r = rep(await exchange(lab, partial, KRBTGT));
    expect(r.ticket.encPart.kvno).toBe(lab.krbtgtKey.kvno);
    expect(r.ticket.sname.nameString).toEqual(['krbtgt', 'DEMO.TEST']);
    const { enc, pacBytes } = opened(r.ticket, lab.krbtgtKey.key);
    expect(enc.authtime).toEqual(partial.enc.authtime);
    expect(enc.cname.nameString).toEqual(['alice']);
    const v = verifyPac(pacBytes, { serverKey: lab.krbtgtKey.key, kdcKey: lab.krbtgtKey.key });
    expect(v.signatures.map((s) => [s.ulType, s.verified, s.rodcId])).toEqual([
      [T.SERVER_CHECKSUM, true, undefined],
      [T.PRIVSVR_CHECKSUM, true, undefined],
    ]);
    expect(v.pac.Buffers.map((b) => b.ulType)).toEqual([T.LOGON_INFO, T.CLIENT_INFO, T.UPN_DNS_INFO, T.ATTRIBUTES_INFO, T.REQUESTOR, T.SERVER_CHECKSUM, T.PRIVSVR_CHECKSUM]);
    const li = logonInfo(pacBytes);
    // Engineering (1201) → Staff (1200) → Allowed RODC PRP group (571), plus Domain Users (513) first.
    expect(li.GroupIds!.map((g) => [g.RelativeId, g.Attributes])).toEqual([[513, 7], [571, 7], [1200, 7], [1201, 7]]);
    expect(li.ExtraSids?.map((s) => [formatSid(s.Sid!), s.Attributes])).toEqual([['S-1-18-1', 7]]);
    expect(li.UserFlags & USER_FLAGS.EXTRA_SIDS).toBe(USER_FLAGS.EXTRA_SIDS);
    expect(formatSid(li.LogonDomainId!)).toBe(DOMAIN_SID);
    expect(li.UserId).toBe(1104);
    expect(li.FullName.Buffer).toBe('Alice Adams');
  });

  it('reply: EncTGSRepPart [APPLICATION 26] under the TGT session key, nonce echoed, times and flags as the ticket', async () => {
    const r = rep(await exchange(lab, mint(lab), KRBTGT, { nonce: 777 }));
    expect(r.encPart.applicationTag).toBe(26);
    expect(r.encPart.nonce).toBe(777);
    const { enc } = opened(r.ticket, lab.krbtgtKey.key);
    expect(r.encPart.flags).toBe(enc.flags);
    expect(r.encPart.endtime).toEqual(enc.endtime);
    expect(r.encPart.key.keyvalue).toEqual(enc.key.keyvalue);
    expect(enc.flags & (TICKET_FLAGS.forwardable | TICKET_FLAGS.renewable | TICKET_FLAGS['pre-authent'])).toBe((TICKET_FLAGS.forwardable | TICKET_FLAGS.renewable | TICKET_FLAGS['pre-authent']) >>> 0);
    expect(enc.flags & TICKET_FLAGS.initial).toBe(0);
  });

  it('reply under the authenticator subkey (usage 9) when one is sent', async () => {
    const subkey = randomKey(ETYPE.AES128_CTS_HMAC_SHA1_96);
    const r = rep(await exchange(lab, mint(lab), KRBTGT, { subkey }));
    expect(r.encPart.nonce).toBe(12345);
  });

  it('session key etype is the first requested one the target has a key of', async () => {
    const r = rep(await exchange(lab, mint(lab), CIFS, { etypes: [ETYPE.AES256_CTS_HMAC_SHA384_192, ETYPE.AES128_CTS_HMAC_SHA1_96, ETYPE.AES256_CTS_HMAC_SHA1_96] }));
    expect(r.encPart.key.keytype).toBe(ETYPE.AES128_CTS_HMAC_SHA1_96);
    expect(r.ticket.encPart.etype).toBe(ETYPE.AES256_CTS_HMAC_SHA1_96);
  });

  it('lifetimes never longer than the partial TGT nor policy', async () => {
    const short = mint(lab, { lifetimeSec: 3600 });
    const r = rep(await exchange(lab, short, KRBTGT));
    expect(r.encPart.endtime).toEqual(short.enc.endtime);
    expect(r.encPart.renewTill!.getTime()).toBeLessThanOrEqual(short.enc.renewTill!.getTime());
    const capped = makeLab({ maxLifetimeSec: 600, maxRenewSec: 3600 });
    const c = rep(await exchange(capped, mint(capped), KRBTGT, { rtime: new Date(capped.clock.at + 30 * 86400e3) }));
    expect(c.encPart.endtime.getTime() - capped.clock.at).toBe(600_000);
    expect(c.encPart.renewTill!.getTime() - capped.clock.at).toBe(3600_000);
  });

  it('a non-renewable partial TGT gives a non-renewable ticket with renewable-ok', async () => {
    const r = rep(await exchange(lab, mint(lab, { renewable: false }), KRBTGT, { kdcOptions: KDC_OPTIONS['renewable-ok'] }));
    expect(r.encPart.flags & TICKET_FLAGS.renewable).toBe(0);
    expect(r.encPart.renewTill).toBeUndefined();
  });
});

describe('service tickets', () => {
  const lab = makeLab();

  async function checkCifs(r: Extract<Outcome, { kind: 'rep' }>): Promise<void> {
    expect(r.ticket.encPart.kvno).toBe(lab.cifsKey.kvno);
    const { enc, pacBytes } = opened(r.ticket, lab.cifsKey.key);
    const v = verifyPac(pacBytes, { serverKey: lab.cifsKey.key, kdcKey: lab.krbtgtKey.key, ticketChecksumInput: ticketChecksumInput(enc) });
    expect(v.signatures.map((s) => [s.ulType, s.verified])).toEqual([
      [T.SERVER_CHECKSUM, true],
      [T.PRIVSVR_CHECKSUM, true],
      [T.TICKET_CHECKSUM, true],
      [T.FULL_CHECKSUM, true],
    ]);
    // Like Samba's cifs PAC (krb-fixtures/samba): no ATTRIBUTES_INFO or REQUESTOR in a service ticket.
    expect(v.pac.Buffers.map((b) => b.ulType)).toEqual([T.LOGON_INFO, T.CLIENT_INFO, T.UPN_DNS_INFO, T.SERVER_CHECKSUM, T.PRIVSVR_CHECKSUM, T.TICKET_CHECKSUM, T.FULL_CHECKSUM]);
    expect(logonInfo(pacBytes).GroupIds!.map((g) => g.RelativeId)).toContain(1200);
  }

  it('directly from the partial TGT', async () => checkCifs(rep(await exchange(lab, mint(lab), CIFS))));
  it('from the full TGT', async () => checkCifs(rep(await exchange(lab, await fullTgt(lab), CIFS))));
  it('unknown SPN → 7', async () => expect(code(await exchange(lab, await fullTgt(lab), { nameType: 2, nameString: ['cifs', 'nowhere.demo.test'] }))).toBe(7));
  it('SPN in the directory but in no keytab → 7', async () => expect(code(await exchange(lab, await fullTgt(lab), { nameType: 2, nameString: ['host', 'fs1.demo.test'] }))).toBe(7));
  it('cross-realm krbtgt → 7', async () => expect(code(await exchange(lab, await fullTgt(lab), { nameType: 2, nameString: ['krbtgt', 'OTHER.TEST'] }))).toBe(7));
  it('a full TGT whose user was disabled since → 12', async () => {
    const tgt = await fullTgt(lab, 'bob');
    const disabled = makeLabSharingKeys(lab, 'bob');
    expect(code(await exchange(disabled, tgt, CIFS))).toBe(12);
  });
  it('a full TGT with a tampered PAC (KDC signature by another key) → 31', async () => {
    const forged = mint(lab, { sealKey: lab.krbtgtKey.key, kvno: lab.krbtgtKey.kvno });
    expect(code(await exchange(lab, forged, CIFS))).toBe(31);
  });
});

describe('renew and validate', () => {
  const lab = makeLab();

  it('RENEW of a renewable full TGT within renew-till gives a fresh endtime, same authtime', async () => {
    const tgt = await fullTgt(lab);
    lab.clock.advance(5 * 3600);
    // As MIT's kinit -R asks: RENEW with the ticket's own flags as options.
    const r = rep(await exchange(lab, tgt, KRBTGT, { kdcOptions: KDC_OPTIONS.renew | KDC_OPTIONS.renewable | KDC_OPTIONS.forwardable }));
    const { enc } = opened(r.ticket, lab.krbtgtKey.key);
    expect(enc.authtime).toEqual(tgt.enc.authtime);
    expect(enc.endtime.getTime()).toBeGreaterThan(tgt.enc.endtime.getTime());
    expect(enc.renewTill).toEqual(tgt.enc.renewTill);
    expect(enc.flags & (TICKET_FLAGS.renewable | TICKET_FLAGS.forwardable)).toBe((TICKET_FLAGS.renewable | TICKET_FLAGS.forwardable) >>> 0);
  });
  it('RENEW alone gives a ticket without renewable and renew-till (Samba 4.17 measured) and without forwardable (Heimdal sets it only when asked)', async () => {
    const tgt = await fullTgt(lab);
    lab.clock.advance(3600);
    const { enc } = opened(rep(await exchange(lab, tgt, KRBTGT, { kdcOptions: KDC_OPTIONS.renew })).ticket, lab.krbtgtKey.key);
    expect(enc.flags & (TICKET_FLAGS.renewable | TICKET_FLAGS.forwardable)).toBe(0);
    expect(enc.renewTill).toBeUndefined();
    expect(enc.endtime.getTime()).toBeGreaterThan(tgt.enc.endtime.getTime());
  });
  it('RENEW of a partial TGT → 13', async () => expect(code(await exchange(lab, mint(lab), KRBTGT, { kdcOptions: KDC_OPTIONS.renew }))).toBe(13));
  it('RENEW of a non-renewable full TGT → 13', async () => {
    const r = rep(await exchange(lab, mint(lab, { renewable: false }), KRBTGT, { kdcOptions: KDC_OPTIONS['renewable-ok'] }));
    const tgt = { ...r.tgt, enc: opened(r.ticket, lab.krbtgtKey.key).enc };
    expect(code(await exchange(lab, tgt, KRBTGT, { kdcOptions: KDC_OPTIONS.renew }))).toBe(13);
  });
  it('VALIDATE of a ticket that is not invalid → 13', async () => expect(code(await exchange(lab, await fullTgt(lab), KRBTGT, { kdcOptions: KDC_OPTIONS.validate }))).toBe(13));
  it('postdated and user-to-user requests → 13', async () => {
    expect(code(await exchange(lab, await fullTgt(lab), CIFS, { kdcOptions: KDC_OPTIONS.postdated }))).toBe(13);
    expect(code(await exchange(lab, await fullTgt(lab), CIFS, { kdcOptions: KDC_OPTIONS['enc-tkt-in-skey'] }))).toBe(13);
  });
});

/** A KDC with the same keys whose directory has `user` disabled. */
function makeLabSharingKeys(lab: Lab, user: string): Lab {
  const dir = lab.directory;
  const directory = {
    ...dir,
    domain: dir.domain,
    findUser: async (n: string) => {
      const u = await dir.findUser(n);
      return u !== undefined && u.sAMAccountName === user ? { ...u, enabled: false } : u;
    },
    findUserBySpn: (s: string) => dir.findUserBySpn(s),
    listUsers: () => dir.listUsers(),
    findGroup: (g: string) => dir.findGroup(g),
    listGroups: () => dir.listGroups(),
    groupSidsOf: (u: Parameters<typeof dir.groupSidsOf>[0]) => dir.groupSidsOf(u),
  };
  return makeLabWith(lab, directory);
}

function makeLabWith(lab: Lab, directory: Lab['directory']): Lab {
  const kdc = createExchangeKdc({
    realm: 'DEMO.TEST',
    directory,
    rodcKeys: KeySet.empty(),
    krbtgtKeys: [lab.krbtgtKey],
    serviceKeys: new Map([['cifs/fs1.demo.test', [lab.cifsKey]]]),
    policy: defaultExchangePolicy(DOMAIN_SID),
    clock: lab.clock,
    random: systemRandom,
    replayCache: new MemoryReplayCache({ clock: lab.clock }),
  });
  return { ...lab, kdc, directory };
}
