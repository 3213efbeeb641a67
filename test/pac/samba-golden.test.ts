import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ticketCodec } from '../../src/asn1/index.js';
import { ETYPE, Key } from '../../src/crypto/index.js';
import { decodeCcache, decodeKeytab } from '../../src/files/index.js';
import { decodePac, encodePac, pacBuffer, signPac, verifyPac } from '../../src/pac/index.js';
import { openTicket, ticketChecksumInput } from '../../src/ticket/index.js';
import { toHex } from '../../src/util/index.js';
import { asSambaJson } from './samba-json.js';

/**
 * PACs a real Samba 4.17.12 AD DC issued to alice (krb-fixtures/lab, made by
 * scripts/lab/make-samba-golden.sh), compared field by field with what Samba's own python NDR
 * (`samba.dcerpc.krb5pac.PAC_DATA`) read from the same bytes (krb-fixtures/samba/*.pac.json), and
 * their signatures checked with the keys exported from that DC.
 */
const FIX = join(import.meta.dirname, '..', '..', 'krb-fixtures');
const read = (p: string): Uint8Array => new Uint8Array(readFileSync(join(FIX, p)));
const json = (p: string): Record<string, unknown> => JSON.parse(readFileSync(join(FIX, p), 'utf8')) as Record<string, unknown>;

function keyFrom(keytab: string): Key {
  const e = decodeKeytab(read(keytab)).entries.find((x) => x.key.keytype === ETYPE.AES256_CTS_HMAC_SHA1_96);
  if (e === undefined) throw new Error(`no AES256 key in ${keytab}`);
  return Key.fromBytes(e.key.keytype, e.key.keyvalue);
}

describe.each([
  ['tgt', 'lab/samba-alice-tgt.pac', 'samba/samba-alice-tgt.pac.json'],
  ['cifs', 'lab/samba-alice-cifs.pac', 'samba/samba-alice-cifs.pac.json'],
])('Samba 4.17 %s PAC', (_name, pacFile, jsonFile) => {
  const bytes = read(pacFile);
  const pac = decodePac(bytes);

  it('decodes to what Samba’s own NDR reads, field by field', () => {
    const expected = json(jsonFile);
    const ours = asSambaJson(pac);
    for (const key of Object.keys(expected)) expect({ [key]: ours[key] }).toEqual({ [key]: expected[key] });
  });

  it('re-encodes byte-identically, from raw buffers and from decoded values', () => {
    expect(toHex(encodePac(pac))).toBe(toHex(bytes));
    const rebuilt = pac.Buffers.map((b) => ({ ...pacBuffer(b.value!), ...(b.padding ? { padding: b.padding } : {}) }));
    expect(toHex(encodePac({ ...pac, Buffers: rebuilt }))).toBe(toHex(bytes));
  });
});

describe('signatures of the Samba-issued PACs verify with the DC’s keys', () => {
  const krbtgt = keyFrom('lab/samba-krbtgt.keytab');
  const cifs = keyFrom('lab/samba-cifs.keytab');

  it('TGT: server and KDC signatures, both with the krbtgt key', () => {
    const { signatures } = verifyPac(read('lab/samba-alice-tgt.pac'), { serverKey: krbtgt, kdcKey: krbtgt });
    expect(signatures.map((s) => [s.type, s.verified])).toEqual([
      ['SERVER_CHECKSUM', true],
      ['PRIVSVR_CHECKSUM', true],
    ]);
  });

  it('cifs ticket: server (cifs key), KDC, ticket and full signatures (krbtgt key)', () => {
    const cc = decodeCcache(read('lab/samba-alice.ccache'));
    const cred = cc.credentials.find((c) => c.server.components[0] === 'cifs');
    if (cred === undefined) throw new Error('no cifs ticket in the ccache');
    const { encTicketPart } = openTicket(ticketCodec.decode(cred.ticket), cifs);
    const { signatures } = verifyPac(read('lab/samba-alice-cifs.pac'), { serverKey: cifs, kdcKey: krbtgt, ticketChecksumInput: ticketChecksumInput(encTicketPart) });
    expect(signatures.map((s) => [s.type, s.verified])).toEqual([
      ['SERVER_CHECKSUM', true],
      ['PRIVSVR_CHECKSUM', true],
      ['TICKET_CHECKSUM', true],
      ['FULL_CHECKSUM', true],
    ]);
  });

  it('signPac reproduces Samba’s signatures byte for byte (a known answer from a real KDC)', () => {
    const tgt = read('lab/samba-alice-tgt.pac');
    expect(toHex(signPac({ pac: decodePac(tgt), serverKey: krbtgt, kdcKey: krbtgt }))).toBe(toHex(tgt));
    const cc = decodeCcache(read('lab/samba-alice.ccache'));
    const cred = cc.credentials.find((c) => c.server.components[0] === 'cifs');
    if (cred === undefined) throw new Error('no cifs ticket in the ccache');
    const { encTicketPart } = openTicket(ticketCodec.decode(cred.ticket), cifs);
    const service = read('lab/samba-alice-cifs.pac');
    // Start from a PAC whose signatures are wiped, so nothing of Samba's output is carried over.
    const wiped = decodePac(service);
    const blank = { ...wiped, Buffers: wiped.Buffers.map((b) => ([6, 7, 16, 19].includes(b.ulType) ? { ...b, data: new Uint8Array(b.data.length) } : b)) };
    const resigned = signPac({ pac: blank, serverKey: cifs, kdcKey: krbtgt, ticketChecksumInput: ticketChecksumInput(encTicketPart), includeFullChecksum: true });
    expect(toHex(resigned)).toBe(toHex(service));
  });

  it('a wrong key fails, a flipped bit fails only what it covers', () => {
    const bytes = read('lab/samba-alice-cifs.pac');
    expect(verifyPac(bytes, { serverKey: krbtgt, kdcKey: cifs }).signatures.map((s) => s.verified)).toEqual([false, false, 'not-checked', false]);
    const flipped = Uint8Array.from(bytes);
    flipped[200]! ^= 1;
    expect(verifyPac(flipped, { serverKey: cifs, kdcKey: krbtgt }).signatures.map((s) => [s.type, s.verified])).toEqual([
      ['SERVER_CHECKSUM', false],
      ['PRIVSVR_CHECKSUM', true],
      ['TICKET_CHECKSUM', 'not-checked'],
      ['FULL_CHECKSUM', false],
    ]);
  });
});
