import { describe, expect, it } from 'vitest';
import {
  AD_TYPES,
  apReqCodec,
  authenticatorCodec,
  authorizationDataCodec,
  extractPac,
  kdcReqBodyCodec,
  KDC_OPTIONS,
  PA_DATA_TYPES,
  pacAuthorizationData,
  rodcKvno,
  tgsReqCodec,
  TICKET_FLAGS,
  type AuthorizationDataEntry,
  type EncTicketPart,
  type HostAddress,
  type KdcReqBody,
  type PrincipalName,
  type Ticket,
} from '../../../src/asn1/index.js';
import { checksum, encrypt, ETYPE, KEY_USAGE, mandatoryChecksumType, randomKey, type Key } from '../../../src/crypto/index.js';
import { verifyPac } from '../../../src/pac/index.js';
import { createExchangeKdc, defaultExchangePolicy, MemoryReplayCache } from '../../../src/kdc/index.js';
import { KeySet, openTicket, ticketChecksumInput } from '../../../src/ticket/index.js';
import { systemRandom } from '../../../src/util/index.js';
import { CIFS, DOMAIN_SID, KRBTGT, makeLab, mint, openReply, REALM, RODC_NUMBER, T0, type Lab, type Outcome, type Tgt } from './support.js';

/**
 * What the exchange does with the parts of a TGS-REQ beyond the AP-REQ (RFC 4120 §3.3.2–3.3.3,
 * §5.4.1): KDC options, from, rtime, enc-authorization-data, odd service names. Expected outcomes
 * are Samba 4.17 AD DC's, measured by sending the same requests to the Samba lab (codes named in
 * each test); where Samba issues something RFC 4120 forbids, MIT krb5kdc's rule is followed and
 * the test says so.
 */

const F = TICKET_FLAGS;
const O = KDC_OPTIONS;

interface EncAd {
  /** The DER plaintext: an AuthorizationData, or anything else to see it refused. */
  readonly plain: Uint8Array;
  readonly key: 'session' | 'subkey';
  readonly usage: number;
}

interface Req {
  readonly kdcOptions?: number;
  readonly from?: number;
  readonly tillSec?: number;
  readonly rtimeSec?: number;
  readonly encAd?: EncAd;
  readonly subkey?: boolean;
  readonly etypes?: readonly number[];
  /** KDC-REQ-BODY.realm; REALM by default. */
  readonly realm?: string;
  readonly addresses?: readonly HostAddress[];
  readonly additionalTickets?: readonly Ticket[];
  /** More PA-DATA after PA-TGS-REQ. */
  readonly padata?: readonly { readonly padataType: number; readonly padataValue: Uint8Array }[];
}

function adBytes(entries: readonly AuthorizationDataEntry[]): Uint8Array {
  return authorizationDataCodec.encode([...entries]);
}

function ifRelevant(entries: readonly AuthorizationDataEntry[]): AuthorizationDataEntry {
  return { adType: AD_TYPES['AD-IF-RELEVANT'], adData: adBytes(entries) };
}

/** A TGS-REQ with the fields under test; everything else as a well-behaved client sends it. */
async function send(lab: Lab, tgt: Tgt, sname: PrincipalName, r: Req = {}): Promise<Outcome> {
  const now = lab.clock.at;
  const sec = (s: number): Date => new Date(Math.floor(now / 1000) * 1000 + s * 1000);
  const subkey: Key | undefined = r.subkey === true ? randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96) : undefined;
  let encAuthorizationData;
  if (r.encAd !== undefined) {
    const k = r.encAd.key === 'subkey' ? subkey! : tgt.sessionKey;
    encAuthorizationData = { etype: k.etype, cipher: encrypt(k, r.encAd.usage, r.encAd.plain) };
  }
  const body: KdcReqBody = {
    kdcOptions: (r.kdcOptions ?? O.forwardable | O.canonicalize) >>> 0,
    realm: r.realm ?? REALM,
    sname,
    ...(r.from !== undefined ? { from: sec(r.from) } : {}),
    till: sec(r.tillSec ?? 10 * 3600),
    ...(r.rtimeSec !== undefined ? { rtime: sec(r.rtimeSec) } : {}),
    nonce: 777,
    etype: r.etypes ?? [ETYPE.AES256_CTS_HMAC_SHA1_96],
    ...(r.addresses !== undefined ? { addresses: r.addresses } : {}),
    ...(r.additionalTickets !== undefined ? { additionalTickets: r.additionalTickets } : {}),
    ...(encAuthorizationData !== undefined ? { encAuthorizationData } : {}),
  };
  const raw = kdcReqBodyCodec.encode(body);
  const type = mandatoryChecksumType(tgt.sessionKey.etype);
  const authenticator = authenticatorCodec.encode({
    crealm: tgt.crealm,
    cname: tgt.cname,
    cksum: { cksumtype: type, checksum: checksum(type, tgt.sessionKey, KEY_USAGE.TGS_REQ_AUTH_CKSUM, raw) },
    cusec: 0,
    ctime: sec(0),
    ...(subkey !== undefined ? { subkey: { keytype: subkey.etype, keyvalue: subkey.exportBytes() } } : {}),
  });
  const apReq = apReqCodec.encode({ apOptions: 0, ticket: tgt.ticket, authenticator: { etype: tgt.sessionKey.etype, cipher: encrypt(tgt.sessionKey, KEY_USAGE.TGS_REQ_AUTH, authenticator) } });
  const der = tgsReqCodec.encode({ padata: [{ padataType: PA_DATA_TYPES['PA-TGS-REQ'], padataValue: apReq }, ...(r.padata ?? [])], reqBody: { ...body, raw } });
  const reply = await lab.kdc.handle(der, { transport: 'direct', address: 'test' });
  if (reply === undefined) throw new Error('no reply');
  return openReply(reply, subkey ?? tgt.sessionKey, subkey !== undefined);
}

function issued(o: Outcome): Extract<Outcome, { kind: 'rep' }> {
  if (o.kind !== 'rep') throw new Error(`KRB-ERROR ${o.code}: ${o.eText}`);
  return o;
}

function errorCode(o: Outcome): number {
  return o.kind === 'error' ? o.code : 0;
}

/** The issued ticket opened with the key of the service it is for. */
function ticketOf(lab: Lab, ticket: Ticket): EncTicketPart {
  const key = ticket.sname.nameString[0] === 'krbtgt' ? lab.krbtgtKey.key : lab.cifsKey.key;
  return openTicket(ticket, key).encTicketPart;
}

/** The full TGT the exchange issues for `partial`, as its client holds it. */
async function fullTgt(lab: Lab, partial: Tgt, r: Req = {}): Promise<Tgt> {
  const rep = issued(await send(lab, partial, KRBTGT, r));
  return { ...rep.tgt, enc: ticketOf(lab, rep.ticket) };
}

const withFlags = (flags: number) => (enc: EncTicketPart): EncTicketPart => ({ ...enc, flags: (enc.flags | flags) >>> 0 });

describe('flags the presented TGT passes on (RFC 4120 §2.6; Samba 4.17 measured)', () => {
  const lab = makeLab();

  it.each([
    ['krbtgt', KRBTGT],
    ['cifs', CIFS],
  ] as const)('a ticket issued from a FORWARDED partial TGT is FORWARDED (%s)', async (_, sname) => {
    const rep = issued(await send(lab, mint(lab, { enc: withFlags(F.forwarded) }), sname));
    expect(rep.encPart.flags & F.forwarded).toBe(F.forwarded);
    expect(ticketOf(lab, rep.ticket).flags & F.forwarded).toBe(F.forwarded);
  });

  it('and so is a service ticket from the full TGT that exchange gave', async () => {
    const tgt = await fullTgt(lab, mint(lab, { enc: withFlags(F.forwarded) }));
    const rep = issued(await send(lab, tgt, CIFS));
    expect(ticketOf(lab, rep.ticket).flags & F.forwarded).toBe(F.forwarded);
  });

  it('PROXY and HW-AUTHENT are carried as well; a plain TGT gives neither', async () => {
    const rep = issued(await send(lab, mint(lab, { enc: withFlags(F.proxy | F.proxiable | F['hw-authent']) }), CIFS));
    expect(ticketOf(lab, rep.ticket).flags & (F.proxy | F['hw-authent'])).toBe((F.proxy | F['hw-authent']) >>> 0);
    const plain = issued(await send(lab, mint(lab), CIFS));
    expect(ticketOf(lab, plain.ticket).flags & (F.forwarded | F.proxy | F['hw-authent'])).toBe(0);
  });
});

describe('FORWARDABLE and PROXIABLE are bounded by the TGT (Samba 4.17 measured; Heimdal check_tgs_flags)', () => {
  const lab = makeLab();
  const without = (flags: number) => (enc: EncTicketPart): EncTicketPart => ({ ...enc, flags: (enc.flags & ~flags) >>> 0 });

  it.each([
    ['krbtgt', KRBTGT],
    ['cifs', CIFS],
  ] as const)('FORWARDABLE asked of a TGT that is not forwardable → 13 (Samba: 13), not a ticket without it (%s)', async (_, sname) => {
    const partial = mint(lab, { enc: without(F.forwardable) });
    expect(errorCode(await send(lab, partial, sname, { kdcOptions: O.forwardable }))).toBe(13);
    // Not asked, not refused: the ticket is simply not forwardable.
    const rep = issued(await send(lab, mint(lab, { enc: without(F.forwardable) }), sname, { kdcOptions: O.canonicalize }));
    expect(rep.encPart.flags & F.forwardable).toBe(0);
  });

  it('a full TGT that is not forwardable bounds its service tickets the same way', async () => {
    const tgt = await fullTgt(lab, mint(lab), { kdcOptions: O.canonicalize });
    expect(tgt.enc.flags & F.forwardable).toBe(0);
    expect(errorCode(await send(lab, tgt, CIFS, { kdcOptions: O.forwardable }))).toBe(13);
  });

  it('PROXIABLE asked of a TGT that is not proxiable → 13 (Samba: 13); of a proxiable one it is granted (Samba: proxiable)', async () => {
    expect(errorCode(await send(lab, mint(lab), KRBTGT, { kdcOptions: O.proxiable }))).toBe(13);
    const rep = issued(await send(lab, mint(lab, { enc: withFlags(F.proxiable) }), KRBTGT, { kdcOptions: O.proxiable }));
    expect(rep.encPart.flags & F.proxiable).toBe(F.proxiable);
    expect(ticketOf(lab, rep.ticket).flags & F.proxiable).toBe(F.proxiable);
  });

  it('a RENEW that also asks FORWARDABLE of a non-forwardable TGT → 13 as well', async () => {
    const tgt = await fullTgt(lab, mint(lab), { kdcOptions: O.renewable, rtimeSec: 86400 });
    expect(tgt.enc.flags & F.forwardable).toBe(0);
    expect(errorCode(await send(lab, tgt, KRBTGT, { kdcOptions: O.renew | O.forwardable }))).toBe(13);
    expect(errorCode(await send(lab, tgt, KRBTGT, { kdcOptions: O.renew }))).toBe(0);
  });
});

describe('FORWARDED and PROXY (RFC 4120 §2.5, §2.6, §3.3.3; Samba 4.17 measured)', () => {
  const lab = makeLab();
  const at = (...octets: number[]): HostAddress => ({ addrType: 2, address: Uint8Array.from(octets) });

  it.each([
    ['krbtgt', KRBTGT],
    ['cifs', CIFS],
  ] as const)('FORWARDED from a forwardable TGT: a FORWARDED ticket for the addresses asked (Samba: forwarded, caddr 10.1.2.3) (%s)', async (_, sname) => {
    const rep = issued(await send(lab, mint(lab), sname, { kdcOptions: O.forwarded | O.forwardable, addresses: [at(10, 1, 2, 3)] }));
    const enc = ticketOf(lab, rep.ticket);
    expect(enc.flags & (F.forwarded | F.forwardable)).toBe((F.forwarded | F.forwardable) >>> 0);
    expect(enc.caddr).toEqual([at(10, 1, 2, 3)]);
    expect(rep.encPart.caddr).toEqual([at(10, 1, 2, 3)]);
  });

  it('FORWARDED without addresses: an address-less ticket, as MIT clients ask by default (noaddresses)', async () => {
    const rep = issued(await send(lab, mint(lab), KRBTGT, { kdcOptions: O.forwarded | O.forwardable }));
    const enc = ticketOf(lab, rep.ticket);
    expect(enc.flags & F.forwarded).toBe(F.forwarded);
    expect(enc.caddr).toBeUndefined();
  });

  it('a forwarded full TGT gives FORWARDED service tickets for its own addresses', async () => {
    const tgt = await fullTgt(lab, mint(lab), { kdcOptions: O.forwarded | O.forwardable, addresses: [at(10, 9, 9, 9)] });
    const enc = ticketOf(lab, issued(await send(lab, tgt, CIFS)).ticket);
    expect(enc.flags & F.forwarded).toBe(F.forwarded);
    expect(enc.caddr).toEqual([at(10, 9, 9, 9)]);
  });

  it('FORWARDED from a TGT that is not forwardable → 13', async () => {
    const partial = mint(lab, { enc: (e) => ({ ...e, flags: (e.flags & ~F.forwardable) >>> 0 }) });
    expect(errorCode(await send(lab, partial, KRBTGT, { kdcOptions: O.forwarded }))).toBe(13);
  });

  it('PROXY for a service from a proxiable TGT (Samba: proxy); from one that is not, or for the TGS → 13', async () => {
    const rep = issued(await send(lab, mint(lab, { enc: withFlags(F.proxiable) }), CIFS, { kdcOptions: O.proxy, addresses: [at(10, 4, 4, 4)] }));
    const enc = ticketOf(lab, rep.ticket);
    expect(enc.flags & F.proxy).toBe(F.proxy);
    expect(enc.caddr).toEqual([at(10, 4, 4, 4)]);
    expect(errorCode(await send(lab, mint(lab), CIFS, { kdcOptions: O.proxy }))).toBe(13);
    expect(errorCode(await send(lab, mint(lab, { enc: withFlags(F.proxiable) }), KRBTGT, { kdcOptions: O.proxy }))).toBe(13);
  });

  it('CNAME-IN-ADDL-TKT without additional tickets is ignored (Samba: issued); with one, S4U2Proxy → 13', async () => {
    expect(errorCode(await send(lab, mint(lab), CIFS, { kdcOptions: O['cname-in-addl-tkt'] | O.forwardable }))).toBe(0);
    const evidence = issued(await send(lab, mint(lab), CIFS)).ticket;
    expect(errorCode(await send(lab, mint(lab), CIFS, { kdcOptions: O['cname-in-addl-tkt'] | O.forwardable, additionalTickets: [evidence] }))).toBe(13);
  });

  it('addresses without FORWARDED or PROXY are ignored (Samba: no caddr)', async () => {
    const enc = ticketOf(lab, issued(await send(lab, mint(lab), CIFS, { addresses: [at(10, 1, 2, 3)] })).ticket);
    expect(enc.caddr).toBeUndefined();
    expect(enc.flags & F.forwarded).toBe(0);
  });
});

describe('a computer account named by its sAMAccountName (Samba 4.17: DC1$ issued, alice → 7, measured)', () => {
  const lab = makeLab();
  const named = (name: string): PrincipalName => ({ nameType: 1, nameString: [name] });

  it.each(['FS1$', 'fs1$'])('%s: a ticket under the account\'s key, named as asked', async (name) => {
    const rep = issued(await send(lab, mint(lab), named(name)));
    expect(rep.ticket.sname.nameString).toEqual([name]);
    expect(rep.ticket.encPart.kvno).toBe(lab.cifsKey.kvno);
    expect(openTicket(rep.ticket, lab.cifsKey.key).encTicketPart.cname.nameString).toEqual(['alice']);
  });

  it.each([
    ['a user account', 'alice'],
    ['a user account with a $', 'alice$'],
    ['an account that does not exist', 'NOPE$'],
    ['the computer account\'s SID', `${DOMAIN_SID}-1109`],
    ['the account name with a second component', 'FS1$/x'],
  ])('%s → 7', async (_what, name) => {
    expect(errorCode(await send(lab, mint(lab), { nameType: 1, nameString: name.split('/') }))).toBe(7);
  });
});

describe('the realm is compared without regard to case, as AD does (Samba 4.17 measured)', () => {
  const lab = makeLab();
  const lower = REALM.toLowerCase();

  it.each([
    ['krbtgt', KRBTGT],
    ['cifs', CIFS],
  ] as const)('a body realm in lower case is served, and what is issued names the realm in upper case (%s)', async (_, sname) => {
    const rep = issued(await send(lab, mint(lab), sname, { realm: lower }));
    expect(rep.encPart.srealm).toBe(REALM);
    expect(rep.ticket.realm).toBe(REALM);
  });

  it('krbtgt/<realm in lower case> with CANONICALIZE gets krbtgt/REALM', async () => {
    const rep = issued(await send(lab, mint(lab), { ...KRBTGT, nameString: ['krbtgt', lower] }, { realm: lower }));
    expect(rep.ticket.sname.nameString).toEqual(['krbtgt', REALM]);
    expect(rep.encPart.sname.nameString).toEqual(['krbtgt', REALM]);
  });

  it('without CANONICALIZE the TGT is for the name asked (Samba: ticket and reply sname krbtgt/samba.test, realm SAMBA.TEST), and it serves as a TGT', async () => {
    const rep = issued(await send(lab, mint(lab), { ...KRBTGT, nameString: ['krbtgt', lower] }, { realm: lower, kdcOptions: O.forwardable }));
    expect([rep.ticket.realm, rep.ticket.sname.nameString]).toEqual([REALM, ['krbtgt', lower]]);
    expect([rep.encPart.srealm, rep.encPart.sname.nameString]).toEqual([REALM, ['krbtgt', lower]]);
    const tgt = { ...rep.tgt, enc: ticketOf(lab, rep.ticket) };
    expect(errorCode(await send(lab, tgt, CIFS))).toBe(0);
    const again = issued(await send(lab, tgt, KRBTGT, { kdcOptions: O.forwardable }));
    expect(again.ticket.sname.nameString).toEqual(['krbtgt', REALM]);
  });

  it('another realm stays refused in any case → 7 (Samba: 7)', async () => {
    expect(errorCode(await send(lab, mint(lab), KRBTGT, { realm: 'other.test' }))).toBe(7);
    expect(errorCode(await send(lab, mint(lab), { ...KRBTGT, nameString: ['krbtgt', 'OTHER.TEST'] }))).toBe(7);
    expect(errorCode(await send(lab, mint(lab), { ...KRBTGT, nameString: ['krbtgt'] }))).toBe(7);
  });
});

describe('from, rtime and options nobody may have silently', () => {
  const lab = makeLab();

  it('from an hour ahead without POSTDATED → 10 KDC_ERR_CANNOT_POSTDATE (Samba: 10), not a ticket valid now', async () => {
    expect(errorCode(await send(lab, mint(lab), KRBTGT, { from: 3600 }))).toBe(10);
    expect(errorCode(await send(lab, mint(lab), CIFS, { from: 3600 }))).toBe(10);
  });

  it('from within the clock skew is no postdating (Samba: +290 s issued, +310 s → 10)', async () => {
    expect(errorCode(await send(lab, mint(lab), KRBTGT, { from: 290 }))).toBe(0);
    expect(errorCode(await send(lab, mint(lab), KRBTGT, { from: 310 }))).toBe(10);
    expect(errorCode(await send(lab, mint(lab), KRBTGT, { from: -3600 }))).toBe(0);
  });

  it('from ahead on a RENEW → 10 as well (Samba: 10)', async () => {
    const tgt = await fullTgt(lab, mint(lab), { kdcOptions: O.renewable, rtimeSec: 86400 });
    expect(errorCode(await send(lab, tgt, KRBTGT, { kdcOptions: O.renew, from: 3600 }))).toBe(10);
  });

  it('REQUEST-ANONYMOUS from a named TGT → 12 KDC_ERR_POLICY (Samba: 12), not a named ticket', async () => {
    expect(errorCode(await send(lab, mint(lab), KRBTGT, { kdcOptions: O['request-anonymous'] }))).toBe(12);
    expect(errorCode(await send(lab, mint(lab), CIFS, { kdcOptions: O['request-anonymous'] }))).toBe(12);
  });

  it('RENEWABLE without rtime is renewable as long as the TGT and policy allow (Samba: 7 d from authtime)', async () => {
    const partial = mint(lab);
    const rep = issued(await send(lab, partial, KRBTGT, { kdcOptions: O.renewable, tillSec: 3600 }));
    expect(rep.encPart.flags & F.renewable).toBe(F.renewable);
    expect(rep.encPart.renewTill).toEqual(partial.enc.renewTill);
    expect(rep.encPart.endtime.getTime() - lab.clock.at).toBe(3600_000);
  });
});

describe('enc-authorization-data and the TGT\'s authorization data (RFC 4120 §3.3.3, §5.4.1)', () => {
  const lab = makeLab();
  const restriction = ifRelevant([{ adType: 999, adData: Uint8Array.of(9, 9) }]);
  const session = (entries: readonly AuthorizationDataEntry[]): EncAd => ({ plain: adBytes(entries), key: 'session', usage: KEY_USAGE.TGS_REQ_AD_SESSION_KEY });
  const ad = (enc: EncTicketPart): AuthorizationDataEntry[] => [...(enc.authorizationData ?? [])];
  const theirPac = pacAuthorizationData(new Uint8Array(24));

  it.each([
    ['krbtgt', KRBTGT],
    ['cifs', CIFS],
  ] as const)('what the client asks for under the session key (usage 4) is put after the PAC (Samba: copied) (%s)', async (_, sname) => {
    const rep = issued(await send(lab, mint(lab), sname, { encAd: session([restriction]) }));
    const enc = ticketOf(lab, rep.ticket);
    expect(ad(enc).slice(1)).toEqual([restriction]);
    const pac = extractPac(enc.authorizationData)!;
    const keys = sname === CIFS ? { serverKey: lab.cifsKey.key, kdcKey: lab.krbtgtKey.key, ticketChecksumInput: ticketChecksumInput(enc) } : { serverKey: lab.krbtgtKey.key, kdcKey: lab.krbtgtKey.key };
    // The ticket signature (MS-PAC §2.8.3) covers the copied elements too.
    expect(verifyPac(pac, keys).signatures.map((s) => s.verified)).toEqual(sname === CIFS ? [true, true, true, true] : [true, true]);
  });

  it('with an authenticator subkey it is under the subkey, usage 5; the session key then → 31 (Samba: 31)', async () => {
    const rep = issued(await send(lab, mint(lab), CIFS, { subkey: true, encAd: { plain: adBytes([restriction]), key: 'subkey', usage: KEY_USAGE.TGS_REQ_AD_SUBKEY } }));
    expect(ad(ticketOf(lab, rep.ticket)).slice(1)).toEqual([restriction]);
    expect(errorCode(await send(lab, mint(lab), CIFS, { subkey: true, encAd: session([restriction]) }))).toBe(31);
  });

  it('usage 5 without a subkey, or a plaintext that is no AuthorizationData → 31 (Samba: 31 for both)', async () => {
    expect(errorCode(await send(lab, mint(lab), KRBTGT, { encAd: { plain: adBytes([restriction]), key: 'session', usage: KEY_USAGE.TGS_REQ_AD_SUBKEY } }))).toBe(31);
    expect(errorCode(await send(lab, mint(lab), KRBTGT, { encAd: { plain: Uint8Array.of(1, 2, 3, 4), key: 'session', usage: KEY_USAGE.TGS_REQ_AD_SESSION_KEY } }))).toBe(31);
  });

  it('an AD-IF-RELEVANT whose contents do not decode → 31 (Samba copies it, and its ticket then does not decode)', async () => {
    expect(errorCode(await send(lab, mint(lab), KRBTGT, { encAd: session([{ adType: AD_TYPES['AD-IF-RELEVANT'], adData: Uint8Array.of(1, 2, 3) }]) }))).toBe(31);
  });

  it('a PAC or AD-KDC-ISSUED from the client is never taken, at any depth: the ticket holds one PAC, ours (MIT drops them; Samba 4.17 copies them — two PACs, the MS14-068 pattern)', async () => {
    const offered = [theirPac, ifRelevant([theirPac]), { adType: AD_TYPES['AD-WIN2K-PAC'], adData: new Uint8Array(8) }, { adType: AD_TYPES['AD-KDC-ISSUED'], adData: Uint8Array.of(0x30, 0) }, restriction];
    for (const sname of [KRBTGT, CIFS]) {
      const enc = ticketOf(lab, issued(await send(lab, mint(lab), sname, { encAd: session(offered) })).ticket);
      expect(ad(enc).slice(1)).toEqual([restriction]);
      expect(extractPac(enc.authorizationData)).not.toEqual(new Uint8Array(24));
    }
  });

  it('nor what a KDC vouches about the authentication: AD-INITIAL-VERIFIED-CAS, AD-AUTHENTICATION-STRENGTH, AD-fx-fast-used', async () => {
    const claims = [AD_TYPES['AD-INITIAL-VERIFIED-CAS'], AD_TYPES['AD-AUTHENTICATION-STRENGTH'], AD_TYPES['AD-FX-FAST-USED']].map((adType) => ifRelevant([{ adType, adData: Uint8Array.of(0x30, 0) }]));
    const offered = [...claims, restriction];
    for (const sname of [KRBTGT, CIFS]) {
      const enc = ticketOf(lab, issued(await send(lab, mint(lab), sname, { encAd: session(offered) })).ticket);
      expect(ad(enc).slice(1)).toEqual([restriction]);
      expect(extractPac(enc.authorizationData)).not.toEqual(new Uint8Array(24));
    }
  });

  it('AD-MANDATORY-FOR-KDC, which this KDC does not interpret → 12 KDC_ERR_POLICY (RFC 4120 §5.2.6.4; MIT: 12; Samba copies it)', async () => {
    const mandatory = { adType: AD_TYPES['AD-MANDATORY-FOR-KDC'], adData: adBytes([{ adType: 999, adData: Uint8Array.of(1) }]) };
    expect(errorCode(await send(lab, mint(lab), KRBTGT, { encAd: session([mandatory]) }))).toBe(12);
  });

  it('what a TGT carries goes into every ticket issued from it, renewals included (RFC 4120; MIT: copied; Samba 4.17 drops it, so a restriction vanished from the service tickets)', async () => {
    const tgt = await fullTgt(lab, mint(lab), { kdcOptions: O.renewable | O.forwardable, encAd: session([restriction]) });
    expect(ad(tgt.enc).slice(1)).toEqual([restriction]);
    const cifs = ticketOf(lab, issued(await send(lab, tgt, CIFS)).ticket);
    expect(ad(cifs).slice(1)).toEqual([restriction]);
    const more = { adType: 997, adData: Uint8Array.of(7) };
    const renewed = ticketOf(lab, issued(await send(lab, tgt, KRBTGT, { kdcOptions: O.renew, encAd: session([more]) })).ticket);
    expect(ad(renewed).slice(1)).toEqual([restriction, more]);
  });

  it('a partial TGT\'s elements besides the PAC are carried the same way', async () => {
    const partial = mint(lab, { enc: (e) => ({ ...e, authorizationData: [...(e.authorizationData ?? []), restriction] }) });
    expect(ad(ticketOf(lab, issued(await send(lab, partial, KRBTGT)).ticket)).slice(1)).toEqual([restriction]);
  });
});

describe('service names', () => {
  const lab = makeLab();

  it('an SPN spelt as one component with a / in it is no SPN → 7 (Samba: 7), not a cifs ticket named so', async () => {
    expect(errorCode(await send(lab, mint(lab), { nameType: 2, nameString: ['cifs/fs1.demo.test'] }))).toBe(7);
    expect(errorCode(await send(lab, mint(lab), { nameType: 2, nameString: ['cifs', 'fs1.demo.test/x'] }))).toBe(7);
    expect(errorCode(await send(lab, mint(lab), { nameType: 1, nameString: ['cifs', 'fs1.demo.test'] }))).toBe(0);
  });
});

describe('S4U2Self (MS-SFU §3.2.5.1), which this KDC does not implement', () => {
  const lab = makeLab();

  it.each([
    ['PA-FOR-USER', PA_DATA_TYPES['PA-FOR-USER']],
    ['PA-S4U-X509-USER', PA_DATA_TYPES['PA-FOR-X509-USER']],
  ] as const)('%s → 6, not a ticket for the requester itself (Samba: 6 for PA-FOR-USER from a user, measured; PA-S4U-X509-USER alike)', async (_, padataType) => {
    for (const sname of [KRBTGT, CIFS]) {
      expect(errorCode(await send(lab, mint(lab), sname, { padata: [{ padataType, padataValue: Uint8Array.of(0x30, 0) }] }))).toBe(6);
    }
  });
});

describe('session key etype of a TGT', () => {
  it('any etype this KDC makes session keys of, whatever keys the krbtgt has: a client asking only AES128 gets a TGT from an AES256-only krbtgt (Samba 4.17 gives it an etype 17 session key, measured; the embedded exchange fed the AES256-only krbtgt keytab Samba exports answered 14)', async () => {
    const base = makeLab();
    const lab: Lab = {
      ...base,
      kdc: createExchangeKdc({
        realm: REALM,
        directory: base.directory,
        rodcKeys: KeySet.of([{ realm: REALM, rodcNumber: RODC_NUMBER, keyVersion: 1, kvno: rodcKvno(RODC_NUMBER, 1), key: base.rodcKey, created: T0 }]),
        krbtgtKeys: [base.krbtgtKey],
        serviceKeys: new Map([['cifs/fs1.demo.test', [base.cifsKey]]]),
        policy: defaultExchangePolicy(DOMAIN_SID),
        clock: base.clock,
        random: systemRandom,
        replayCache: new MemoryReplayCache({ clock: base.clock }),
      }),
    };
    const rep = issued(await send(lab, mint(lab), KRBTGT, { etypes: [ETYPE.AES128_CTS_HMAC_SHA1_96] }));
    expect(rep.encPart.key.keytype).toBe(ETYPE.AES128_CTS_HMAC_SHA1_96);
    expect(rep.ticket.encPart.etype).toBe(ETYPE.AES256_CTS_HMAC_SHA1_96);
    // A service's session key stays one of the service's etypes (it must use it): cifs here has AES256 only.
    expect(errorCode(await send(lab, mint(lab), CIFS, { etypes: [ETYPE.AES128_CTS_HMAC_SHA1_96] }))).toBe(14);
  });
});

describe('the client of the presented TGT', () => {
  const lab = makeLab();

  it('a cname in other letter case than sAMAccountName: the rebuilt PAC\'s CLIENT_INFO names the ticket\'s cname, so the full TGT is usable (Samba: CLIENT_INFO "ALICE" for cname ALICE, measured)', async () => {
    const tgt = await fullTgt(lab, mint(lab, { user: 'ALICE', rid: 1104 }));
    const pac = verifyPac(extractPac(tgt.enc.authorizationData)!).pac;
    const ci = pac.Buffers.find((b) => b.value?.type === 'CLIENT_INFO')?.value;
    expect(ci?.type === 'CLIENT_INFO' ? ci.value.Name : undefined).toBe('ALICE');
    expect(errorCode(await send(lab, tgt, CIFS))).toBe(0);
  });

  it('a crealm that is not this realm → 6 KDC_ERR_C_PRINCIPAL_UNKNOWN (Samba: 6, measured), not a ticket naming alice@OTHER.TEST with our alice\'s PAC; the realm in other letter case is this realm (Samba: issued)', async () => {
    const other = (crealm: string): Tgt => ({ ...mint(lab, { enc: (e) => ({ ...e, crealm }) }), crealm });
    expect(errorCode(await send(lab, other('OTHER.TEST'), KRBTGT))).toBe(6);
    expect(errorCode(await send(lab, other('OTHER.TEST'), CIFS))).toBe(6);
    expect(errorCode(await send(lab, other(REALM.toLowerCase()), KRBTGT))).toBe(0);
  });
});

describe('how much authorization data a ticket carries', () => {
  const lab = makeLab();
  const blob = (n: number): AuthorizationDataEntry => ({ adType: 999, adData: new Uint8Array(n) });
  const session = (entries: readonly AuthorizationDataEntry[]): EncAd => ({ plain: adBytes(entries), key: 'session', usage: KEY_USAGE.TGS_REQ_AD_SESSION_KEY });

  it('beyond 4 KiB besides the PAC → 12: a client could otherwise grow its TGT, renewal after renewal, to the 64 KiB request limit, and each such TGT is kept in memory while in use (the verified-TGT cache holds 2,048)', async () => {
    expect(errorCode(await send(lab, mint(lab), KRBTGT, { encAd: session([blob(3000)]) }))).toBe(0);
    expect(errorCode(await send(lab, mint(lab), KRBTGT, { encAd: session([blob(5000)]) }))).toBe(12);
    const tgt = await fullTgt(lab, mint(lab), { kdcOptions: O.renewable | O.forwardable, encAd: session([blob(3000)]) });
    expect(errorCode(await send(lab, tgt, KRBTGT, { kdcOptions: O.renew, encAd: session([blob(3000)]) }))).toBe(12);
    expect(errorCode(await send(lab, tgt, CIFS))).toBe(0);
  });
});
