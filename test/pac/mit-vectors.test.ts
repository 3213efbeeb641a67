import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractPac, ticketCodec } from '../../src/asn1/index.js';
import { Key } from '../../src/crypto/index.js';
import { DecodeError } from '../../src/errors/index.js';
import { decodePac, describePac, encodePac, pacBuffer, signPac, verifyPac } from '../../src/pac/index.js';
import { openTicket, ticketChecksumInput } from '../../src/ticket/index.js';
import { dateToFiletime, fromHex, toHex } from '../../src/util/index.js';

/**
 * PACs from Windows KDCs, with their keys, as MIT krb5 keeps them in src/lib/krb5/krb/t_pac.c
 * (krb-fixtures/pac/mit-t-pac.json, extracted by extract-mit-t-pac.py): a Windows 2003 PAC, four
 * Windows 2008 S4U2Self PACs, two fuzzer finds, and a Windows Server 2022 cifs ticket whose PAC has
 * ticket and full signatures.
 */
interface KeyJson {
  readonly etype: number;
  readonly key: string;
}
const V = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'krb-fixtures', 'pac', 'mit-t-pac.json'), 'utf8')) as {
  saved_pac: { pac: string; authtime: number; user: string; kdc_key: KeyJson; server_key: KeyJson };
  s4u_pacs: { server_key: KeyJson; xrealm_server_key: KeyJson; pacs: { name: string; authtime: number; is_enterprise: boolean; is_xrealm: boolean; pac: string }[] };
  fuzz: { fuzz1: string; fuzz2: string };
  w2022_ticket: { ticket: string; server_key: KeyJson; krbtgt_key: KeyJson };
};
const key = (k: KeyJson): Key => Key.fromBytes(k.etype, fromHex(k.key));

describe('Windows 2003 PAC (Samba torture, via MIT t_pac.c)', () => {
  const bytes = fromHex(V.saved_pac.pac);

  it('decodes, names the client, and re-encodes byte-identically', () => {
    const pac = decodePac(bytes);
    expect(pac.Buffers.map((b) => b.ulType)).toEqual([1, 10, 6, 7]);
    const c = pac.Buffers[1]?.value;
    expect(c?.type === 'CLIENT_INFO' && c.value).toEqual({ ClientId: dateToFiletime(new Date(V.saved_pac.authtime * 1000)), Name: 'w2003final$' });
    expect(toHex(encodePac(pac))).toBe(toHex(bytes));
    expect(toHex(encodePac({ ...pac, Buffers: pac.Buffers.map((b) => ({ ...pacBuffer(b.value!), ...(b.padding ? { padding: b.padding } : {}) })) }))).toBe(toHex(bytes));
  });

  it('verifies its RC4 (HMAC-MD5) server and KDC signatures', () => {
    const { signatures } = verifyPac(bytes, { serverKey: key(V.saved_pac.server_key), kdcKey: key(V.saved_pac.kdc_key) });
    expect(signatures.map((s) => [s.type, s.checksumType, s.verified])).toEqual([
      ['SERVER_CHECKSUM', -138, true],
      ['PRIVSVR_CHECKSUM', -138, true],
    ]);
  });
});

describe('Windows 2008 S4U2Self PACs (MIT t_pac.c)', () => {
  it.each(V.s4u_pacs.pacs.map((p) => [p.name, p] as const))('%s: decodes, round-trips, server signature verifies', (_name, p) => {
    const bytes = fromHex(p.pac);
    const pac = decodePac(bytes);
    expect(toHex(encodePac(pac))).toBe(toHex(bytes));
    // t_pac.c checks the cross-realm ones with the key of the TGT's service (s4u_tgt_srv_key).
    const view = describePac(bytes, { serverKey: key(p.is_xrealm ? V.s4u_pacs.xrealm_server_key : V.s4u_pacs.server_key) });
    // MIT's t_pac.c: enterprise names keep their '@abc', cross-realm ones carry the realm.
    expect(view.clientInfo?.name).toBe(`w2k8u${p.is_enterprise ? '@abc' : ''}${p.is_xrealm ? '@ACME.COM' : ''}`);
    expect(view.logonInfo?.effectiveName).toBe('w2k8u');
    expect(view.upnDnsInfo?.upn).toMatch(/^w2k8u@/);
    expect(view.signatures[0]).toMatchObject({ type: 'SERVER_CHECKSUM', checksumType: 16, verified: true });
    // MIT's test has no key for the KDC signature either.
    expect(view.signatures[1]).toMatchObject({ type: 'PRIVSVR_CHECKSUM', verified: 'not-checked' });
  });
});

describe('PACs MIT found by fuzzing', () => {
  it.each([
    ['fuzz1', V.fuzz.fuzz1],
    ['fuzz2', V.fuzz.fuzz2],
  ])('%s is rejected with a typed error', (_name, hex) => {
    expect(() => decodePac(fromHex(hex))).toThrow(DecodeError);
  });
});

describe('Windows Server 2022 cifs ticket (MIT t_pac.c)', () => {
  const serverKey = key(V.w2022_ticket.server_key);
  const kdcKey = key(V.w2022_ticket.krbtgt_key);
  const { encTicketPart } = openTicket(ticketCodec.decode(fromHex(V.w2022_ticket.ticket)), serverKey);
  const bytes = extractPac(encTicketPart.authorizationData);
  if (bytes === undefined) throw new Error('no PAC in the ticket');
  const input = ticketChecksumInput(encTicketPart);

  it('decodes and re-encodes byte-identically', () => {
    const pac = decodePac(bytes);
    expect(pac.Buffers.map((b) => b.ulType)).toContain(19);
    expect(toHex(encodePac(pac))).toBe(toHex(bytes));
    const view = describePac(bytes);
    expect(view.clientInfo?.name).toBe('administrator');
    expect(view.logonInfo?.effectiveName).toBe('Administrator');
  });

  it('verifies server, KDC, ticket and full signatures', () => {
    const { signatures } = verifyPac(bytes, { serverKey, kdcKey, ticketChecksumInput: input });
    expect(signatures.map((s) => [s.type, s.verified])).toEqual([
      ['SERVER_CHECKSUM', true],
      ['PRIVSVR_CHECKSUM', true],
      ['TICKET_CHECKSUM', true],
      ['FULL_CHECKSUM', true],
    ]);
  });

  it('signPac reproduces Windows’ signatures byte for byte', () => {
    const pac = decodePac(bytes);
    const blank = { ...pac, Buffers: pac.Buffers.map((b) => ([6, 7, 16, 19].includes(b.ulType) ? { ...b, data: new Uint8Array(b.data.length) } : b)) };
    expect(toHex(signPac({ pac: blank, serverKey, kdcKey, ticketChecksumInput: input, includeFullChecksum: true }))).toBe(toHex(bytes));
  });
});
