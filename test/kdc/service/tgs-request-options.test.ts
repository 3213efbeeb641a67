import { describe, expect, it } from 'vitest';
import {
  AD_TYPES,
  apReqCodec,
  authenticatorCodec,
  authorizationDataCodec,
  kdcReqBodyCodec,
  KDC_OPTIONS,
  PA_DATA_TYPES,
  tgsReqCodec,
  TICKET_FLAGS,
  type AuthorizationDataEntry,
  type EncTicketPart,
  type KdcReqBody,
  type PrincipalName,
  type Ticket,
} from '../../../src/asn1/index.js';
import { checksum, encrypt, ETYPE, KEY_USAGE, mandatoryChecksumType, randomKey, type Key } from '../../../src/crypto/index.js';
import { openTicket } from '../../../src/ticket/index.js';
import { CIFS, KRBTGT, makeLab, mint, openReply, REALM, type Lab, type Outcome, type Tgt } from './support.js';

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
    realm: REALM,
    sname,
    ...(r.from !== undefined ? { from: sec(r.from) } : {}),
    till: sec(r.tillSec ?? 10 * 3600),
    ...(r.rtimeSec !== undefined ? { rtime: sec(r.rtimeSec) } : {}),
    nonce: 777,
    etype: [ETYPE.AES256_CTS_HMAC_SHA1_96],
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
  const der = tgsReqCodec.encode({ padata: [{ padataType: PA_DATA_TYPES['PA-TGS-REQ'], padataValue: apReq }], reqBody: { ...body, raw } });
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
