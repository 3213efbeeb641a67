import { describe, expect, it } from 'vitest';
import { NAME_TYPES, pacAuthorizationData, type EncKdcRepPart } from '../../src/asn1/index.js';
import { ETYPE, randomKey, type Key } from '../../src/crypto/index.js';
import { checkReply, type ProbeUser } from '../../src/harness/index.js';
import type { TgsResult } from '../../src/kdc/index.js';
import { buildPac, kerbValidationInfoFor, parseSid, signPac } from '../../src/pac/index.js';
import { sealTicket } from '../../src/ticket/index.js';
import { DOMAIN, NOW, REALM, seededRandom } from './fixtures.js';

const random = seededRandom(21);
const krbtgt = randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96, random);
const alice: ProbeUser = { name: 'alice', sid: `${DOMAIN}-1103`, groupSids: [`${DOMAIN}-513`, `${DOMAIN}-1105`] };

interface PacShape {
  readonly groups?: readonly number[];
  readonly assertedIdentity?: boolean;
  readonly requestor?: string;
  readonly kdcKey?: Key;
}

/** A TGS-REP's ticket as a DC would issue it after the exchange: a full TGT under `krbtgt`, PAC as shaped. */
function fullTgt(shape: PacShape = {}, user = alice): TgsResult {
  const pac = buildPac({
    logonInfo: kerbValidationInfoFor({
      domainSid: parseSid(DOMAIN),
      userRid: Number(user.sid.split('-').pop()),
      effectiveName: user.name,
      logonServer: 'DC1',
      logonDomainName: 'SAMBA',
      groups: (shape.groups ?? [513, 1105]).map((rid) => ({ rid })),
      extraSids: shape.assertedIdentity === false ? [] : [{ sid: parseSid('S-1-18-1') }],
    }),
    clientInfo: { authtime: NOW, name: user.name },
    requestorSid: parseSid(shape.requestor ?? user.sid),
  });
  const signed = signPac({ pac, serverKey: krbtgt, kdcKey: shape.kdcKey ?? krbtgt });
  const cname = { nameType: NAME_TYPES['NT-PRINCIPAL'], nameString: [user.name] };
  const sname = { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['krbtgt', REALM] };
  const session = randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96, random);
  const ticket = sealTicket({
    realm: REALM,
    sname,
    key: krbtgt,
    kvno: 2,
    random,
    encTicketPart: {
      flags: 0x40e00000,
      key: { keytype: session.etype, keyvalue: session.exportBytes() },
      crealm: REALM,
      cname,
      transited: { trType: 1, contents: new Uint8Array(0) },
      authtime: NOW,
      endtime: new Date(NOW.getTime() + 36_000_000),
      authorizationData: [pacAuthorizationData(signed)],
    },
  });
  return { ticket, rep: { crealm: REALM, cname, ticket, encPart: { etype: 18, cipher: new Uint8Array(0) } }, encPart: {} as EncKdcRepPart, sessionKey: session };
}

const keys = { krbtgt: [{ kvno: 2, key: krbtgt }] };
const check = (result: TgsResult, k: Parameters<typeof checkReply>[4] = keys) => checkReply(result, 'krbtgt', alice, { pacRebuilt: true }, k);

describe('checkReply', () => {
  it('a PAC rebuilt for the user passes, and says what it looked at', () => {
    const r = check(fullTgt());
    expect(r.failures).toEqual([]);
    expect(r.notes.join('; ')).toMatch(/PAC: 3 group SIDs/);
  });

  it('each missing property is a failure: a group, S-1-18-1, REQUESTOR, the KDC signature, the client', () => {
    expect(check(fullTgt({ groups: [513] })).failures).toEqual([`PAC lacks groups ${DOMAIN}-1105`]);
    expect(check(fullTgt({ assertedIdentity: false })).failures).toEqual(['PAC lacks S-1-18-1']);
    expect(check(fullTgt({ requestor: `${DOMAIN}-1104` })).failures).toEqual([`REQUESTOR ${DOMAIN}-1104, expected ${alice.sid}`]);
    expect(check(fullTgt({ kdcKey: randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96, random) })).failures).toEqual(['PRIVSVR_CHECKSUM does not verify']);
    const bob = { name: 'bob', sid: `${DOMAIN}-1104` };
    expect(check(fullTgt({}, bob)).failures).toEqual([
      'reply cname bob, expected alice',
      `LOGON_INFO is for ${bob.sid}, expected ${alice.sid}`,
      `REQUESTOR ${bob.sid}, expected ${alice.sid}`,
    ]);
  });

  it("times 'tgt': the reply's endtime and renew-till must be the presented TGT's, to the second", () => {
    const end = new Date(NOW.getTime() + 36_000_000);
    const renew = new Date(NOW.getTime() + 7 * 86_400_000);
    const reply = (endtime: Date, renewTill?: Date): TgsResult => ({ ...fullTgt(), encPart: { endtime, ...(renewTill ? { renewTill } : {}) } as EncKdcRepPart });
    const times = (r: TgsResult, presented?: { endtime: Date; renewTill?: Date }) => checkReply(r, 'krbtgt', alice, { times: 'tgt' }, keys, presented).failures;
    expect(times(reply(end, renew), { endtime: end, renewTill: renew })).toEqual([]);
    // Cut at an accountExpires 2 h ahead: what Samba 4.17 does not do.
    const cut = new Date(NOW.getTime() + 7_200_000);
    expect(times(reply(cut, cut), { endtime: end, renewTill: renew })).toEqual([
      `reply endtime ${cut.toISOString()}, the TGT's is ${end.toISOString()}`,
      `reply renew-till ${cut.toISOString()}, the TGT's is ${renew.toISOString()}`,
    ]);
    expect(times(reply(end), { endtime: end, renewTill: renew })).toEqual([`reply renew-till none, the TGT's is ${renew.toISOString()}`]);
    expect(times(reply(end, renew))).toEqual(["times not checked: the presented TGT's times are unknown"]);
  });

  it('without the ticket\'s key the PAC is not checked, and the detail says so', () => {
    const r = check(fullTgt({ groups: [513] }), {});
    expect(r.failures).toEqual([]);
    expect(r.notes.join('; ')).toMatch(/PAC not checked: no krbtgt key for etype 18 kvno 2/);
  });
});
