import { describe, expect, it } from 'vitest';
import {
  apReqCodec,
  authenticatorCodec,
  KDC_OPTIONS,
  kerbKeyListRepCodec,
  krbErrorCodec,
  paPacOptionsCodec,
  tgsReqCodec,
} from '../../src/asn1/index.js';
import { decrypt, Key, KEY_USAGE, verifyChecksum } from '../../src/crypto/index.js';
import { buildTgsRequest, isResponseTooBig, KdcReplyError, requestTgs, type TgsRequestInput } from '../../src/kdc/index.js';
import { mintPartialTgt } from '../../src/ticket/index.js';
import { toHex } from '../../src/util/index.js';
import { ALICE, aes256, clock, seededRandom } from '../ticket/support.js';
import { fakeKdc } from './tgs-fake-kdc.js';

const krbtgtN = aes256(0x42);
const serviceKey = aes256(0x55);
const REALM = 'DEMO.TEST';
const KRBTGT = { nameType: 2, nameString: ['krbtgt', REALM] };

function input(over: Partial<TgsRequestInput> = {}): TgsRequestInput {
  const m = mintPartialTgt({ user: ALICE, realm: REALM, rodcKey: { key: krbtgtN, rodcNumber: 3, keyVersion: 1 }, clock, random: seededRandom() });
  return {
    tgt: { ticket: m.ticket, sessionKey: m.sessionKey, crealm: REALM, cname: m.encTicketPart.cname },
    sname: KRBTGT,
    srealm: REALM,
    kdcOptions: (KDC_OPTIONS.forwardable | KDC_OPTIONS.renewable | KDC_OPTIONS.canonicalize) >>> 0,
    till: m.encTicketPart.endtime,
    rtime: m.encTicketPart.renewTill!,
    clock,
    random: seededRandom('client'),
    ...over,
  };
}

function code(e: unknown): string | undefined {
  return (e as { code?: string }).code;
}

describe('buildTgsRequest', () => {
  it('authenticator checksum (usage 6, mandatory type of the session key) verifies over the raw body on the wire', () => {
    const inp = input();
    const built = buildTgsRequest(inp);
    const req = tgsReqCodec.decode(built.der);
    expect(toHex(req.reqBody.raw!)).toBe(toHex(built.body.raw!));
    expect(toHex(built.der)).toContain(toHex(built.body.raw!));
    expect(req.padata!.map((p) => p.padataType)).toEqual([1]);
    const ap = apReqCodec.decode(req.padata![0]!.padataValue);
    expect(ap.apOptions).toBe(0);
    expect(toHex(apReqCodec.encode(ap))).toContain(toHex(new Uint8Array(inp.tgt.ticket.encPart.cipher)));
    const auth = authenticatorCodec.decode(decrypt(inp.tgt.sessionKey, KEY_USAGE.TGS_REQ_AUTH, ap.authenticator.cipher));
    expect(auth.cksum!.cksumtype).toBe(16);
    expect(verifyChecksum(16, inp.tgt.sessionKey, KEY_USAGE.TGS_REQ_AUTH_CKSUM, req.reqBody.raw!, auth.cksum!.checksum)).toBe(true);
    expect(auth).toMatchObject({ crealm: REALM, cname: { nameString: ['alice'] }, cusec: 250_000, ctime: new Date('2026-11-27T12:00:00Z') });
    expect(auth.subkey).toBeUndefined();
    expect(req.reqBody).toMatchObject({ realm: REALM, sname: KRBTGT, nonce: built.nonce, etype: [18, 17], kdcOptions: 0x40810000 });
    expect(built.nonce).toBeLessThan(2 ** 31);
  });

  it('uses the mandatory checksum of an AES128 session key (15)', () => {
    const inp = input();
    const aes128 = Key.fromBytes(17, new Uint8Array(16).fill(3));
    const built = buildTgsRequest({ ...inp, tgt: { ...inp.tgt, sessionKey: aes128 } });
    const ap = apReqCodec.decode(tgsReqCodec.decode(built.der).padata![0]!.padataValue);
    const auth = authenticatorCodec.decode(decrypt(aes128, KEY_USAGE.TGS_REQ_AUTH, ap.authenticator.cipher));
    expect(auth.cksum!.cksumtype).toBe(15);
  });

  it('sends KERB-KEY-LIST-REQ only when asked, PA-PAC-OPTIONS when given', () => {
    const plain = tgsReqCodec.decode(buildTgsRequest(input({ paPacOptions: 0x40000000 })).der);
    expect(plain.padata!.map((p) => p.padataType)).toEqual([1, 167]);
    expect(paPacOptionsCodec.decode(plain.padata![1]!.padataValue).flags).toBe(0x40000000);
    const withKeyList = tgsReqCodec.decode(buildTgsRequest(input({ keyListRequest: true })).der);
    expect(withKeyList.padata!.map((p) => p.padataType)).toEqual([1, 161]);
    expect(toHex(withKeyList.padata![1]!.padataValue)).toBe('3003020117');
  });
});

describe('requestTgs', () => {
  it('exchanges with a KDC that verifies the body checksum; returns the new ticket and session key', async () => {
    const kdc = fakeKdc(krbtgtN, serviceKey);
    const res = await requestTgs({ ...input(), send: kdc.handle });
    expect(kdc.seen[0]!.checksumOk).toBe(true);
    expect(res.ticket.sname).toEqual(KRBTGT);
    expect(res.encPart.applicationTag).toBe(26);
    expect(res.sessionKey.etype).toBe(18);
    expect(res.keyList).toBeUndefined();
  });

  it('with a subkey the reply is opened with it (usage 9)', async () => {
    const kdc = fakeKdc(krbtgtN, serviceKey);
    const subkey = aes256(0x66);
    const res = await requestTgs({ ...input({ subkey }), send: kdc.handle });
    expect(kdc.seen[0]!.authenticator.subkey!.keyvalue).toEqual(subkey.exportBytes());
    expect(res.ticket.sname).toEqual(KRBTGT);
  });

  it('returns KERB-KEY-LIST-REP keys only when the request asked for them', async () => {
    const nt = { keytype: 23, keyvalue: new Uint8Array(16).fill(0xab) };
    const withKeys = (p: Parameters<Parameters<typeof fakeKdc>[2] & object>[0]) => ({ ...p, encryptedPaData: [{ padataType: 162, padataValue: kerbKeyListRepCodec.encode([nt]) }] });
    const asked = await requestTgs({ ...input({ keyListRequest: true }), send: fakeKdc(krbtgtN, serviceKey, withKeys).handle });
    expect(asked.keyList).toEqual([nt]);
    const notAsked = await requestTgs({ ...input(), send: fakeKdc(krbtgtN, serviceKey, withKeys).handle });
    expect(notAsked.keyList).toBeUndefined();
  });

  it('a KRB-ERROR becomes KdcReplyError with its code, number and e-text', async () => {
    const err = krbErrorCodec.encode({ stime: new Date(0), susec: 0, errorCode: 20, realm: REALM, sname: KRBTGT, eText: 'PRP denies' });
    const e = await requestTgs({ ...input(), send: async () => err }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KdcReplyError);
    expect(e).toMatchObject({ code: 'KDC_ERR_TGT_REVOKED', krbCode: 20, eText: 'PRP denies' });
  });

  it('refuses replies that do not answer the request: nonce, sname (without canonicalize), tampered cipher', async () => {
    const badNonce = fakeKdc(krbtgtN, serviceKey, (p) => ({ ...p, nonce: (p.nonce + 1) & 0x7fffffff }));
    expect(code(await requestTgs({ ...input(), send: badNonce.handle }).catch((x: unknown) => x))).toBe('KRB_AP_ERR_MODIFIED');
    const otherName = { nameType: 2, nameString: ['krbtgt', 'OTHER.TEST'] };
    const renamed = fakeKdc(krbtgtN, serviceKey, (p) => ({ ...p, sname: otherName }));
    expect(code(await requestTgs({ ...input(), send: renamed.handle }).catch((x: unknown) => x))).toBe('KRB_AP_ERR_MODIFIED');
    const flip = async (der: Uint8Array) => {
      const out = Uint8Array.from(await fakeKdc(krbtgtN, serviceKey).handle(der));
      out[out.length - 3]! ^= 1;
      return out;
    };
    expect(code(await requestTgs({ ...input(), send: flip }).catch((x: unknown) => x))).toBe('KRB_AP_ERR_BAD_INTEGRITY');
    expect(code(await requestTgs({ ...input(), send: async () => Uint8Array.of(1, 2, 3) }).catch((x: unknown) => x))).toBe('ERR_ASN1_DECODE');
  });

  it('isResponseTooBig spots KRB_ERR_RESPONSE_TOO_BIG only', () => {
    const e52 = krbErrorCodec.encode({ stime: new Date(0), susec: 0, errorCode: 52, realm: REALM, sname: KRBTGT });
    const e20 = krbErrorCodec.encode({ stime: new Date(0), susec: 0, errorCode: 20, realm: REALM, sname: KRBTGT });
    expect(isResponseTooBig(e52)).toBe(true);
    expect(isResponseTooBig(e20)).toBe(false);
    expect(isResponseTooBig(Uint8Array.of(0x30, 0))).toBe(false);
  });
});
