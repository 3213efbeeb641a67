import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import {
  APPLICATION_TAGS,
  PA_DATA_TYPES,
  apReqCodec,
  asRepCodec,
  asReqCodec,
  authenticatorCodec,
  classifyEData,
  detectMessage,
  encKdcRepPartCodec,
  encTicketPartCodec,
  etypeInfo2Codec,
  flagNames,
  krbErrorCodec,
  tgsRepCodec,
  tgsReqCodec,
  type Codec,
} from '../../src/asn1/index.js';
import { KEY_USAGE, Key, decrypt, stringToKey, verifyChecksum } from '../../src/crypto/index.js';
import { decodeKeytab } from '../../src/files/index.js';
import { KRB_ERROR_CODES } from '../../src/errors/index.js';

/**
 * Messages captured from MIT krb5 1.20.1 by scripts/fixtures/mit-messages.sh (krb-fixtures/README.md):
 * kinit with pre-authentication, kvno of a service, kvno of an unknown service.
 */
const DIR = join(import.meta.dirname, '..', '..', 'krb-fixtures', 'asn1');
const files = readdirSync(DIR).filter((f) => f.startsWith('mit-') && f.endsWith('.hex')).sort((a, b) => parseInt(a.slice(4)) - parseInt(b.slice(4)));
const load = (f: string): Uint8Array => new Uint8Array(Buffer.from(readFileSync(join(DIR, f), 'utf8').trim(), 'hex'));
const byKind = (kind: string): Uint8Array[] => files.filter((f) => f.endsWith(`-${kind}.hex`)).map(load);

const CODECS: Readonly<Record<string, Codec<unknown>>> = {
  'as-req': asReqCodec,
  'as-rep': asRepCodec,
  'tgs-req': tgsReqCodec,
  'tgs-rep': tgsRepCodec,
  'krb-error': krbErrorCodec,
};
const KINDS: Readonly<Record<string, string>> = { 'as-req': 'AS-REQ', 'as-rep': 'AS-REP', 'tgs-req': 'TGS-REQ', 'tgs-rep': 'TGS-REP', 'krb-error': 'KRB-ERROR' };

function keytabKey(file: string, etype: number): Key {
  const entry = decodeKeytab(new Uint8Array(readFileSync(join(DIR, file)))).entries.find((e) => e.key.keytype === etype);
  if (entry === undefined) throw new Error(`no etype ${etype} key in ${file}`);
  return Key.fromBytes(etype, entry.key.keyvalue);
}

describe('real MIT krb5 messages', () => {
  it('the capture holds every message kind the script asks for', () => {
    expect(new Set(files.map((f) => f.replace(/^mit-\d+-|\.hex$/g, '')))).toStrictEqual(new Set(Object.keys(CODECS)));
  });

  it.each(files)('%s: detected, decoded, re-encoded byte-identically, and read whole by asn1js', (file) => {
    const der = load(file);
    const kind = file.replace(/^mit-\d+-|\.hex$/g, '');
    expect(detectMessage(der)).toBe(KINDS[kind]);
    const codec = CODECS[kind]!;
    expect(codec.encode(codec.decode(der))).toStrictEqual(der);
    expect(asn1js.fromBER(der).offset).toBe(der.length);
  });

  it('KRB-ERROR PREAUTH_REQUIRED carries METHOD-DATA with ETYPE-INFO2 and FAST advertised', () => {
    const errors = byKind('krb-error').map((b) => krbErrorCodec.decode(b));
    const preauth = errors.find((e) => e.errorCode === KRB_ERROR_CODES.KDC_ERR_PREAUTH_REQUIRED)!;
    const eData = classifyEData(preauth.eData!);
    expect(eData.kind).toBe('METHOD-DATA');
    if (eData.kind !== 'METHOD-DATA') return;
    const types = eData.methodData.map((p) => p.padataType);
    expect(types).toContain(PA_DATA_TYPES['PA-FX-FAST']);
    const info = etypeInfo2Codec.decode(eData.methodData.find((p) => p.padataType === PA_DATA_TYPES['PA-ETYPE-INFO2'])!.padataValue);
    expect(info[0]).toMatchObject({ etype: 18, salt: 'MIT.TESTalice' });
    expect(errors.some((e) => e.errorCode === KRB_ERROR_CODES.KDC_ERR_S_PRINCIPAL_UNKNOWN)).toBe(true);
  });

  it("AS-REP: MIT's EncASRepPart travels under [APPLICATION 26], and the TGT opens with the krbtgt key", () => {
    const rep = asRepCodec.decode(byKind('as-rep')[0]!);
    const alice = stringToKey(rep.encPart.etype, 'tgtbridge-lab-pw', 'MIT.TESTalice');
    const part = encKdcRepPartCodec.decode(decrypt(alice, KEY_USAGE.AS_REP_ENC_PART, rep.encPart.cipher));
    expect(part.applicationTag).toBe(APPLICATION_TAGS.EncTGSRepPart);
    expect(part.sname.nameString).toStrictEqual(['krbtgt', 'MIT.TEST']);

    const plain = decrypt(keytabKey('mit-krbtgt.keytab', rep.ticket.encPart.etype), KEY_USAGE.KDC_REP_TICKET, rep.ticket.encPart.cipher);
    const etp = encTicketPartCodec.decode(plain);
    expect(etp.raw).toStrictEqual(plain);
    expect(encTicketPartCodec.encode(etp)).toStrictEqual(plain);
    expect(etp.cname.nameString).toStrictEqual(['alice']);
    expect(etp.key).toStrictEqual(part.key);
    expect(flagNames(etp.flags)).toContain('pre-authent');
    expect(etp.flags).toBe(part.flags);
  });

  it('TGS-REQ: the authenticator checksum verifies over KDC-REQ-BODY.raw (key usage 6)', () => {
    for (const der of byKind('tgs-req')) {
      const req = tgsReqCodec.decode(der);
      const apReq = apReqCodec.decode(req.padata!.find((p) => p.padataType === PA_DATA_TYPES['PA-TGS-REQ'])!.padataValue);
      const etp = encTicketPartCodec.decode(
        decrypt(keytabKey('mit-krbtgt.keytab', apReq.ticket.encPart.etype), KEY_USAGE.KDC_REP_TICKET, apReq.ticket.encPart.cipher),
      );
      const session = Key.fromBytes(etp.key.keytype, etp.key.keyvalue);
      const auth = authenticatorCodec.decode(decrypt(session, KEY_USAGE.TGS_REQ_AUTH, apReq.authenticator.cipher));
      expect(auth.cname.nameString).toStrictEqual(['alice']);
      const { cksumtype, checksum } = auth.cksum!;
      expect(verifyChecksum(cksumtype, session, KEY_USAGE.TGS_REQ_AUTH_CKSUM, req.reqBody.raw!, checksum)).toBe(true);
      // One octet of the body changed and the same checksum no longer verifies.
      const altered = req.reqBody.raw!.slice();
      altered[altered.length - 1]! ^= 1;
      expect(verifyChecksum(cksumtype, session, KEY_USAGE.TGS_REQ_AUTH_CKSUM, altered, checksum)).toBe(false);
    }
  });
});
