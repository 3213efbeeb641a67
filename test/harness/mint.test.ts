import { describe, expect, it } from 'vitest';
import { extractPac, rodcKvno, TICKET_FLAGS } from '../../src/asn1/index.js';
import { ETYPE } from '../../src/crypto/index.js';
import { mintForProbe, rodcKeyring, unknownRodcNumber, type MintSpec } from '../../src/harness/index.js';
import { decodePac, formatSid, PAC_BUFFER_TYPE as T, verifyPac } from '../../src/pac/index.js';
import { mintPartialTgt, openTicket } from '../../src/ticket/index.js';
import { dateToFiletime } from '../../src/util/index.js';
import { clock, NOW, REALM, RODC_N, rodcKeys, seededRandom, USERS } from './fixtures.js';

const keys = rodcKeys();
const ctx = { realm: REALM, keys: keys.ring, user: USERS.allowed!, other: USERS.other!, clock, random: seededRandom(3) };
const mint = (spec: MintSpec) => mintForProbe(spec, ctx);
/** The PAC as the KDC would find it: decrypt with the key that sealed it. */
const pacOf = (spec: MintSpec, key = keys.ring.aes256) => {
  const part = openTicket(mint(spec).ticket, key).encTicketPart;
  const bytes = extractPac(part.authorizationData);
  return bytes === undefined ? undefined : { bytes, pac: decodePac(bytes), part };
};
const types = (spec: MintSpec) => pacOf(spec)!.pac.Buffers.map((b) => b.ulType);

describe('mintForProbe: PAC variants', () => {
  it('minimal: LOGON_INFO, CLIENT_INFO, REQUESTOR, server and KDC signatures — DESIGN.md\'s smallest PAC', () => {
    expect(types({})).toEqual([T.LOGON_INFO, T.CLIENT_INFO, T.REQUESTOR, T.SERVER_CHECKSUM, T.PRIVSVR_CHECKSUM]);
  });

  it('windows: the buffers mintPartialTgt puts into the bridge\'s real partial TGT', () => {
    const real = mintPartialTgt({ user: { samAccountName: 'alice', sid: USERS.allowed!.sid }, realm: REALM, rodcKey: { key: keys.ring.aes256, rodcNumber: RODC_N, keyVersion: 1 }, clock, random: seededRandom(9) });
    const realTypes = decodePac(extractPac(openTicket(real.ticket, keys.ring.aes256).encTicketPart.authorizationData)!).Buffers.map((b) => b.ulType);
    expect(types({ pac: 'windows' })).toEqual(realTypes);
    expect(mint({ pac: 'windows' }).encTicketPart.flags).toBe(real.encTicketPart.flags);
    expect(mint({}).ticket.encPart.kvno).toBe(real.kvno);
  });

  it('no-pac has no authorization-data at all', () => {
    expect(mint({ pac: 'no-pac' }).encTicketPart.authorizationData).toBeUndefined();
    expect(pacOf({ pac: 'no-pac' })).toBeUndefined();
  });

  it('no-requestor has no type-18 buffer; no-logon-info no type 1; no-client-info no type 10', () => {
    expect(types({ pac: 'no-requestor' })).not.toContain(T.REQUESTOR);
    expect(types({ pac: 'no-requestor' })).toContain(T.LOGON_INFO);
    expect(types({ pac: 'no-logon-info' })).not.toContain(T.LOGON_INFO);
    expect(types({ pac: 'no-client-info' })).not.toContain(T.CLIENT_INFO);
  });

  it('requestor-of-other-user names the other user\'s SID', () => {
    const r = pacOf({ pac: 'requestor-of-other-user' })!.pac.Buffers.find((b) => b.ulType === T.REQUESTOR)!.value;
    expect(r?.type === 'REQUESTOR' && formatSid(r.value.Sid)).toBe(USERS.other!.sid);
  });

  it('CLIENT_INFO mismatches: the other user\'s name; authtime + 1 s', () => {
    const info = (spec: MintSpec) => {
      const v = pacOf(spec)!.pac.Buffers.find((b) => b.ulType === T.CLIENT_INFO)!.value;
      if (v?.type !== 'CLIENT_INFO') throw new Error('no CLIENT_INFO');
      return v.value;
    };
    expect(info({}).Name).toBe('alice');
    expect(info({}).ClientId).toBe(dateToFiletime(NOW));
    expect(info({ pac: 'client-info-name-mismatch' }).Name).toBe('bob');
    expect(info({ pac: 'client-info-time-mismatch' }).ClientId).toBe(dateToFiletime(NOW) + 10_000_000n);
  });

  it('signatures: minimal verifies with the krbtgt_N key and carries N; bad-server-checksum fails only the server signature', () => {
    const good = verifyPac(pacOf({})!.bytes, { serverKey: keys.ring.aes256, kdcKey: keys.ring.aes256 }).signatures;
    expect(good.map((s) => [s.type, s.verified, s.rodcId])).toEqual([
      ['SERVER_CHECKSUM', true, undefined],
      ['PRIVSVR_CHECKSUM', true, RODC_N],
    ]);
    const bad = verifyPac(pacOf({ pac: 'bad-server-checksum' })!.bytes, { serverKey: keys.ring.aes256, kdcKey: keys.ring.aes256 }).signatures;
    expect(bad.map((s) => [s.type, s.verified])).toEqual([
      ['SERVER_CHECKSUM', false],
      ['PRIVSVR_CHECKSUM', true],
    ]);
  });

  it('full-checksum-inside adds a FULL_CHECKSUM (19) buffer that verifies', () => {
    const v = verifyPac(pacOf({ pac: 'full-checksum-inside' })!.bytes, { serverKey: keys.ring.aes256, kdcKey: keys.ring.aes256 });
    expect(v.signatures.find((s) => s.type === 'FULL_CHECKSUM')?.verified).toBe(true);
  });
});

describe('mintForProbe: keys, numbers, times, flags', () => {
  it('unknown RODC number and unknown key version change the kvno and nothing else', () => {
    expect(mint({ rodcNumber: 'unknown' }).ticket.encPart.kvno).toBe(rodcKvno(RODC_N + 1, 1));
    expect(unknownRodcNumber(0xffff)).toBe(0xfffe);
    expect(mint({ keyVersion: 'unknown' }).ticket.encPart.kvno).toBe(rodcKvno(RODC_N, 101));
    expect(pacOf({ rodcNumber: 'unknown' })).toBeDefined();
  });

  it('rodc-aes128 seals with the keytab\'s AES128 key; a keytab without one gets a stand-in and a note', () => {
    const m = mint({ key: 'rodc-aes128' });
    expect(m.ticket.encPart.etype).toBe(ETYPE.AES128_CTS_HMAC_SHA1_96);
    expect(openTicket(m.ticket, keys.ring.aes128!).encTicketPart.cname.nameString).toEqual(['alice']);
    const without = mintForProbe({ key: 'rodc-aes128' }, { ...ctx, keys: { rodcNumber: RODC_N, keyVersion: 1, aes256: keys.ring.aes256 } });
    expect(without.ticket.encPart.etype).toBe(ETYPE.AES128_CTS_HMAC_SHA1_96);
    expect(without.notes).toHaveLength(1);
  });

  it('wrong key: the krbtgt_N key does not open it', () => {
    expect(() => openTicket(mint({ key: 'wrong' }).ticket, keys.ring.aes256)).toThrow(expect.objectContaining({ code: 'KRB_AP_ERR_BAD_INTEGRITY' }));
  });

  it('times and the renewable flag', () => {
    const expired = mint({ times: { authtime: -11 * 3600, endtime: -3600 } }).encTicketPart;
    expect(expired.endtime.getTime()).toBe(NOW.getTime() - 3600_000);
    expect(expired.authtime.getTime()).toBe(NOW.getTime() - 11 * 3600_000);
    const postdated = mint({ times: { authtime: 0, starttime: 7200, endtime: 36000 } }).encTicketPart;
    expect(postdated.starttime?.getTime()).toBe(NOW.getTime() + 7200_000);
    const fixed = mint({ renewable: false }).encTicketPart;
    expect(fixed.flags & TICKET_FLAGS.renewable).toBe(0);
    expect(fixed.renewTill).toBeUndefined();
    expect(mint({}).encTicketPart.flags & TICKET_FLAGS.renewable).not.toBe(0);
  });
});

describe('rodcKeyring', () => {
  it('takes the highest AES256 version with an RODC number, and the AES128 key of that kvno', () => {
    const newer = rodcKeys(seededRandom(11)).entries.map((e) => ({ ...e, kvno: rodcKvno(RODC_N, 2) }));
    const ring = rodcKeyring([...keys.entries, ...newer]);
    expect(ring.keyVersion).toBe(2);
    expect(ring.aes128?.exportBytes()).toEqual(newer[1]!.key.keyvalue);
  });

  it('refuses a keytab without an RODC AES256 key', () => {
    const plain = keys.entries.map((e) => ({ ...e, kvno: 3 }));
    expect(() => rodcKeyring(plain)).toThrow(expect.objectContaining({ code: 'ERR_KEY_SET' }));
  });
});
