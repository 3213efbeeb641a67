import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APPLICATION_TAGS,
  PA_DATA_TYPES,
  asRepCodec,
  asReqCodec,
  detectMessage,
  encKdcRepPartCodec,
  encTicketPartCodec,
  etypeInfo2Codec,
  extractPac,
  kerbExtErrorOf,
  krbErrorCodec,
  paEncTsEncCodec,
  encryptedDataCodec,
  type Codec,
} from '../../src/asn1/index.js';
import { KEY_USAGE, Key, decrypt, stringToKey } from '../../src/crypto/index.js';
import { decodeKeytab } from '../../src/files/index.js';
import { KRB_ERROR_CODES } from '../../src/errors/index.js';

/**
 * Messages captured from a Samba 4.17.12 AD DC (its Heimdal KDC) with an MIT 1.20.1 client by
 * scripts/fixtures/samba-messages.sh (krb-fixtures/README.md): a wrong password, a good kinit,
 * a disabled account.
 */
const DIR = join(import.meta.dirname, '..', '..', 'krb-fixtures', 'asn1');
const PASSWORD = 'Us3r-Lab-Pw!'; // scripts/lab/samba-dc.sh's user password
const files = readdirSync(DIR).filter((f) => f.startsWith('samba-') && f.endsWith('.hex'));
const load = (f: string): Uint8Array => new Uint8Array(Buffer.from(readFileSync(join(DIR, f), 'utf8').trim(), 'hex'));
const byKind = (kind: string): Uint8Array[] =>
  files.filter((f) => f.endsWith(`-${kind}.hex`)).sort((a, b) => parseInt(a.slice(6)) - parseInt(b.slice(6))).map(load);
const CODECS: Readonly<Record<string, Codec<unknown>>> = { 'as-req': asReqCodec, 'as-rep': asRepCodec, 'krb-error': krbErrorCodec };

describe('real Samba AD DC messages', () => {
  it.each(files)('%s: detected, decoded and re-encoded byte-identically', (file) => {
    const der = load(file);
    const kind = file.replace(/^samba-\d+-|\.hex$/g, '');
    const codec = CODECS[kind]!;
    expect(detectMessage(der)).toBe(kind.toUpperCase());
    expect(codec.encode(codec.decode(der))).toStrictEqual(der);
  });

  it('a disabled account: CLIENT_REVOKED with STATUS_ACCOUNT_DISABLED in a PA-PW-SALT element', () => {
    const revoked = byKind('krb-error').map((b) => krbErrorCodec.decode(b)).find((e) => e.errorCode === KRB_ERROR_CODES.KDC_ERR_CLIENT_REVOKED)!;
    expect(kerbExtErrorOf(revoked.eData)).toStrictEqual({
      extError: { status: 0xc0000072, reserved: 0, flags: 1 },
      source: 'PA-PW-SALT',
    });
  });

  it('a wrong password: PREAUTH_FAILED whose METHOD-DATA carries no NTSTATUS', () => {
    const failed = byKind('krb-error').map((b) => krbErrorCodec.decode(b)).find((e) => e.errorCode === KRB_ERROR_CODES.KDC_ERR_PREAUTH_FAILED)!;
    expect(failed.eData).toBeDefined();
    expect(kerbExtErrorOf(failed.eData)).toBeUndefined();
  });

  it('the PA-ENC-TIMESTAMP of the good AS-REQ opens with alice\'s key to a PA-ENC-TS-ENC', () => {
    const asRep = asRepCodec.decode(byKind('as-rep')[0]!);
    const salt = etypeInfo2Codec.decode(asRep.padata!.find((p) => p.padataType === PA_DATA_TYPES['PA-ETYPE-INFO2'])!.padataValue)[0]!;
    const alice = stringToKey(salt.etype, PASSWORD, salt.salt!);
    // The AS-REQ just before the AS-REP is the one that succeeded.
    const reqs = byKind('as-req').map((b) => asReqCodec.decode(b));
    const opened = reqs
      .map((r) => r.padata?.find((p) => p.padataType === PA_DATA_TYPES['PA-ENC-TIMESTAMP']))
      .filter((p) => p !== undefined)
      .map((p) => encryptedDataCodec.decode(p.padataValue))
      .flatMap((ed) => {
        try {
          return [paEncTsEncCodec.decode(decrypt(alice, KEY_USAGE.AS_REQ_PA_ENC_TIMESTAMP, ed.cipher))];
        } catch {
          return []; // the wrong-password attempt
        }
      });
    expect(opened).toHaveLength(1);
    // The client's clock and the KDC's (stime of the errors in the same exchange) agree within seconds.
    const stime = krbErrorCodec.decode(byKind('krb-error')[0]!).stime;
    expect(Math.abs(opened[0]!.patimestamp.getTime() - stime.getTime())).toBeLessThan(60_000);
  });

  it('the TGT carries AD-IF-RELEVANT[AD-WIN2K-PAC] and its EncTicketPart re-encodes byte-identically', () => {
    const asRep = asRepCodec.decode(byKind('as-rep')[0]!);
    const entries = decodeKeytab(new Uint8Array(readFileSync(join(DIR, 'samba-krbtgt.keytab')))).entries;
    const krbtgt = entries.find((e) => e.key.keytype === asRep.ticket.encPart.etype && e.kvno === asRep.ticket.encPart.kvno)!;
    const plain = decrypt(Key.fromBytes(krbtgt.key.keytype, krbtgt.key.keyvalue), KEY_USAGE.KDC_REP_TICKET, asRep.ticket.encPart.cipher);
    const etp = encTicketPartCodec.decode(plain);
    expect(etp.raw).toStrictEqual(plain);
    expect(encTicketPartCodec.encode(etp)).toStrictEqual(plain);
    expect(etp.cname.nameString).toStrictEqual(['alice']);
    const pac = extractPac(etp.authorizationData)!;
    const view = new DataView(pac.buffer, pac.byteOffset, pac.byteLength);
    expect(view.getUint32(4, true)).toBe(0); // PACTYPE.Version (MS-PAC §2.3)
    expect(view.getUint32(0, true)).toBeGreaterThanOrEqual(4); // cBuffers

    const alice = stringToKey(asRep.encPart.etype, PASSWORD, 'SAMBA.TESTalice');
    const part = encKdcRepPartCodec.decode(decrypt(alice, KEY_USAGE.AS_REP_ENC_PART, asRep.encPart.cipher));
    // Samba's Heimdal KDC uses EncASRepPart's own tag, unlike MIT (mit-messages.test.ts).
    expect(part.applicationTag).toBe(APPLICATION_TAGS.EncASRepPart);
    expect(part.key).toStrictEqual(etp.key);
  });
});
