import { describe, expect, it } from 'vitest';
import { KDC_OPTIONS, rodcKvno } from '../../../src/asn1/index.js';
import { ETYPE } from '../../../src/crypto/index.js';
import { parseSid, type PacClientInfo } from '../../../src/pac/index.js';
import { kvnoAsFiveByteUnsigned } from '../../../src/harness/index.js';
import { code, exchange, fixedKey, makeLab, mint, openReply, PAC_BUFFER_TYPE as T, RODC_NUMBER, replaceValue, sidOf, TARGETS, tgsRequest, without } from './support.js';

/**
 * samba-lab.md "What the writable DC does with an RODC-issued TGT": every refusal, for krbtgt/REALM
 * and for a cifs SPN, with the KRB-ERROR code Samba 4.17 AD DC gives. One line per case: mint → mutate → exchange → expect.
 */
describe.each(TARGETS)('partial TGT → %s: refusals with Samba codes', (_name, sname) => {
  const lab = makeLab();
  const expectCode = async (tgt: ReturnType<typeof mint>, want: number, o = {}) => expect(code(await exchange(lab, tgt, sname, o))).toBe(want);

  it('accepts the minimal PAC', () => expectCode(mint(lab), 0));
  it('no PAC → 20', () => expectCode(mint(lab, { pac: () => undefined }), 20));
  it('no REQUESTOR → 20', () => expectCode(mint(lab, { pac: without(T.REQUESTOR) }), 20));
  it("REQUESTOR of another user → 20", () => expectCode(mint(lab, { pac: replaceValue({ type: 'REQUESTOR', value: { Sid: parseSid(sidOf(1105)) } }) }), 20));
  it('not in the reveal-on-demand set → 20', () => expectCode(mint(lab, { user: 'olga' }), 20));
  it('in the never-reveal set through nesting (Domain Admins) → 20', () => expectCode(mint(lab, { user: 'dave' }), 20));
  it('no LOGON_INFO → 60', () => expectCode(mint(lab, { pac: without(T.LOGON_INFO) }), 60));
  it('no CLIENT_INFO → 60', () => expectCode(mint(lab, { pac: without(T.CLIENT_INFO) }), 60));
  it('CLIENT_INFO name ≠ cname → 60', () => expectCode(mint(lab, { pac: editClientInfo((c) => ({ ...c, Name: 'bob' })) }), 60));
  it('CLIENT_INFO time ≠ authtime → 60', () => expectCode(mint(lab, { pac: editClientInfo((c) => ({ ...c, ClientId: c.ClientId + 10_000_000n })) }), 60));
  it('unknown RODC number → 35', () => expectCode(mint(lab, { kvno: rodcKvno(0x1234, 1) }), 35));
  it('wrong key version → 44', () => expectCode(mint(lab, { kvno: rodcKvno(RODC_NUMBER, 2) }), 44));
  it('sealed with an AES128 key → 44', () => expectCode(mint(lab, { sealKey: fixedKey(ETYPE.AES128_CTS_HMAC_SHA1_96, 1) }), 44));
  it('sealed with an RC4 key → 44', () => expectCode(mint(lab, { encPartEtype: ETYPE.RC4_HMAC }), 44));
  it('wrong key → 31', () => expectCode(mint(lab, { sealKey: fixedKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 99) }), 31));
  it('kvno as a 5-octet unsigned INTEGER (MIT form) → 60, as Samba', async () => {
    const tgt = mint(lab);
    const wire = kvnoAsFiveByteUnsigned.wire!(tgsRequest(lab, tgt, sname, {}));
    const reply = await lab.kdc.handle(wire, { transport: 'direct', address: 'test' });
    expect(code(openReply(reply!, tgt.sessionKey))).toBe(60);
  });
  it('kvno without the RODC number → 31', () => expectCode(mint(lab, { kvno: 1 }), 31));
  it('server checksum made with a wrong key → 31', () => expectCode(mint(lab, { signKey: fixedKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 98) }), 31));
  it('user disabled → 12', () => expectCode(mint(lab, { user: 'carol' }), 12));
  it('must change password → 23', () => expectCode(mint(lab, { user: 'mona' }), 23));
  it('account expired → 1', () => expectCode(mint(lab, { user: 'ed' }), 1));
  it('locked out → 18', () => expectCode(mint(lab, { user: 'lena' }), 18));
  it('unknown user → 6', () => expectCode(mint(lab, { user: 'ghost' }), 6));
  it('ticket expired → 32', () => expectCode(mint(lab, { authOffsetSec: -11 * 3600 }), 32));
  it('starttime in the future → 33', () => expectCode(mint(lab, { authOffsetSec: 3600 }), 33));
  it('renewable requested from a non-renewable TGT → 13', () => expectCode(mint(lab, { renewable: false }), 13, { kdcOptions: KDC_OPTIONS.renewable }));
  it('renewable-ok from a non-renewable TGT is no error', () => expectCode(mint(lab, { renewable: false }), 0, { kdcOptions: KDC_OPTIONS['renewable-ok'] }));
});

describe.each(TARGETS)('authenticator checks → %s', (_name, sname) => {
  const lab = makeLab();
  const expectCode = async (want: number, o: Parameters<typeof exchange>[3]) => expect(code(await exchange(lab, mint(lab), sname, o))).toBe(want);

  it('no body checksum → 50 KRB_AP_ERR_INAPP_CKSUM', () => expectCode(50, { cksum: 'none' }));
  it('unkeyed checksum type (md5) → 50', () => expectCode(50, { cksum: 'wrong-type' }));
  it('checksum over other bytes → 41 KRB_AP_ERR_MODIFIED', () => expectCode(41, { cksum: 'wrong-value' }));
  it('authenticator 6 minutes late → 37', () => expectCode(37, { ctimeOffsetSec: -360 }));
  it('authenticator 6 minutes early → 37', () => expectCode(37, { ctimeOffsetSec: 360 }));
  it('authenticator 4 minutes off is inside the skew', () => expectCode(0, { ctimeOffsetSec: -240 }));
  it('authenticator for another client → 36', () => expectCode(36, { cname: { nameType: 1, nameString: ['bob'] } }));
  it('no usable etype → 14', () => expectCode(14, { etypes: [ETYPE.RC4_HMAC, 3] }));
  it('the same request twice → 34 KRB_AP_ERR_REPEAT', async () => {
    const { tgsRequest, openReply } = await import('./support.js');
    const tgt = mint(lab);
    const req = tgsRequest(lab, tgt, sname);
    const first = await lab.kdc.handle(req, { transport: 'direct', address: 'test' });
    const second = await lab.kdc.handle(req, { transport: 'direct', address: 'test' });
    expect(code(openReply(first!, tgt.sessionKey))).toBe(0);
    expect(code(openReply(second!, tgt.sessionKey))).toBe(34);
  });
});

function editClientInfo(f: (c: PacClientInfo) => PacClientInfo) {
  return (pac: Parameters<ReturnType<typeof without>>[0]) => {
    const b = pac.Buffers.find((x) => x.ulType === T.CLIENT_INFO);
    if (b?.value?.type !== 'CLIENT_INFO') throw new Error('no CLIENT_INFO');
    return replaceValue({ type: 'CLIENT_INFO', value: f(b.value.value) })(pac);
  };
}
