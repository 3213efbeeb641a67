import { readFileSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, stat, symlink, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encKrbCredPartCodec, krbCredCodec, ticketCodec } from '../../src/asn1/index.js';
import { KEY_USAGE, Key, encrypt } from '../../src/crypto/index.js';
import { TgtbridgeError } from '../../src/errors/index.js';
import {
  ccacheToKirbi,
  decodeCcache,
  decodeKeytab,
  decodeKirbi,
  encodeCcache,
  encodeKeytab,
  encodeKirbi,
  kirbiToCcache,
  writeCredentialFile,
  type Ccache,
} from '../../src/files/index.js';
import { buildCcache } from './mit-builder.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'krb-fixtures', 'files');
const mit = (): Ccache => decodeCcache(new Uint8Array(readFileSync(join(FIXTURES, 'mit-alice.ccache'))));

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof TgtbridgeError) return e.code;
    throw e;
  }
  throw new Error('expected an error');
}

describe('ccache -> .kirbi -> ccache', () => {
  it('keeps every credential field of the MIT ccache, byte for byte, and reports the config entry it cannot carry', () => {
    const cc = mit();
    const toKirbi = ccacheToKirbi(cc);
    expect(toKirbi.dropped.map((d) => d.field)).toEqual(cc.credentials.filter((c) => c.isConfigEntry).map(() => 'config-entry'));
    const kirbi = encodeKirbi(toKirbi.value);
    const back = kirbiToCcache(decodeKirbi(kirbi));
    expect(back.dropped).toEqual([]);
    const tickets = cc.credentials.filter((c) => !c.isConfigEntry);
    expect(back.value.credentials).toEqual(tickets);
    expect(back.value.defaultPrincipal).toEqual(cc.defaultPrincipal);
    const expected = encodeCcache({ ...cc, credentials: tickets });
    expect(Buffer.from(encodeCcache(back.value)).equals(Buffer.from(expected))).toBe(true);
  });

  it('writes a .kirbi as RFC 6448 describes: enc-part etype 0 holding the DER EncKrbCredPart, tickets as the ccache\'s DER', () => {
    const cc = mit();
    const cred = krbCredCodec.decode(encodeKirbi(ccacheToKirbi(cc).value));
    expect(cred.encPart.etype).toBe(0);
    expect(cred.encPart.kvno).toBeUndefined();
    const part = encKrbCredPartCodec.decode(cred.encPart.cipher);
    const tickets = cc.credentials.filter((c) => !c.isConfigEntry);
    expect(cred.tickets.map((t) => Buffer.from(ticketCodec.encode(t)).toString('hex'))).toEqual(tickets.map((c) => Buffer.from(c.ticket).toString('hex')));
    part.ticketInfo.forEach((info, i) => {
      const c = tickets[i]!;
      expect(info.flags).toBe(c.ticketFlags);
      expect(info.sname?.nameString).toEqual(c.server.components);
      expect(info.srealm).toBe(c.server.realm);
      expect(info.pname?.nameString).toEqual(c.client.components);
      expect(info.key.keyvalue).toEqual(c.key.keyvalue);
      expect(info.endtime).toEqual(c.endtime);
      expect(info.renewTill).toEqual(c.renewTill);
    });
  });

  it('lists, never silently drops, the ccache fields KRB-CRED has no place for', () => {
    const ticket = mit().credentials.find((c) => !c.isConfigEntry)!;
    const other = { nameType: 1, components: ['bob'], realm: 'MIT.TEST' };
    const cc: Ccache = {
      version: 4,
      headerTags: [{ tag: 1, value: Uint8Array.of(0, 0, 0, 5, 0, 0, 0, 0) }, { tag: 9, value: Uint8Array.of(1) }],
      defaultPrincipal: other,
      credentials: [{ ...ticket, authdata: [{ adType: 1, adData: Uint8Array.of(0x30, 0) }], isSkey: true, secondTicket: ticket.ticket }],
    };
    const fields = ccacheToKirbi(cc).dropped.map((d) => d.field).sort();
    expect(fields).toEqual(['authdata', 'default-principal', 'header-tag', 'is-skey', 'kdc-time-offset', 'second-ticket']);
  });

  it('keeps addresses as caddr and zero times as absent fields, both ways', () => {
    const ticketDer = mit().credentials.find((c) => !c.isConfigEntry)!.ticket;
    const cc = decodeCcache(
      buildCcache(4, ['alice'], 'MIT.TEST', [
        { client: ['alice'], server: ['host', 'x'], realm: 'MIT.TEST', enctype: 17, key: Array(16).fill(7), times: [1_700_000_000, 0, 1_700_003_600, 0], flags: 0x00a00000, ticket: [...ticketDer] },
      ]),
    );
    const k = ccacheToKirbi(cc).value;
    expect(k.encPart.ticketInfo[0]!.starttime).toBeUndefined();
    expect(k.encPart.ticketInfo[0]!.caddr).toEqual([{ addrType: 2, address: Uint8Array.of(127, 0, 0, 1) }]);
    const back = kirbiToCcache(decodeKirbi(encodeKirbi(k))).value;
    expect(back.credentials).toEqual(cc.credentials);
  });
});

describe('name types are signed 32-bit, as RFC 4120 Int32 and MIT\'s krb5_int32 name_type', () => {
  // MS-KILE/Heimdal NT-MS-PRINCIPAL is -128; MIT writes it into files as ff ff ff 80.
  const NT_MS_PRINCIPAL = -128;

  it('a KRB-CRED client of name type -128 goes into a ccache as ff ff ff 80 and back to the same KRB-CRED octets', () => {
    const k = ccacheToKirbi(mit()).value;
    const info = k.encPart.ticketInfo[0]!;
    const kirbi = encodeKirbi({ tickets: k.tickets.slice(0, 1), encPart: { ticketInfo: [{ ...info, pname: { nameType: NT_MS_PRINCIPAL, nameString: ['alice@mit.test'] } }] } });
    const bytes = encodeCcache(kirbiToCcache(decodeKirbi(kirbi)).value);
    // v4 header (2 + 2 + 12), then the default principal's name_type.
    expect([...bytes.subarray(16, 20)]).toEqual([0xff, 0xff, 0xff, 0x80]);
    const cc = decodeCcache(bytes);
    expect(cc.defaultPrincipal.nameType).toBe(NT_MS_PRINCIPAL);
    expect(cc.credentials[0]!.client.nameType).toBe(NT_MS_PRINCIPAL);
    expect(Buffer.from(encodeKirbi(ccacheToKirbi(cc).value)).equals(Buffer.from(kirbi))).toBe(true);
  });

  it('a keytab entry of name type -128 reads back as -128', () => {
    const entry = { principal: { nameType: NT_MS_PRINCIPAL, components: ['svc'], realm: 'MIT.TEST' }, timestamp: new Date(0), kvno: 2, key: { keytype: 18, keyvalue: new Uint8Array(32) } };
    expect(decodeKeytab(encodeKeytab({ entries: [entry] })).entries[0]!.principal.nameType).toBe(NT_MS_PRINCIPAL);
  });
});

describe('.kirbi', () => {
  const k = ccacheToKirbi(mit()).value;
  const key = Key.fromBytes(18, new Uint8Array(32).fill(0x42));
  const encrypted = krbCredCodec.encode({
    tickets: k.tickets,
    encPart: { etype: 18, kvno: 3, cipher: encrypt(key, KEY_USAGE.KRB_CRED_ENC_PART, encKrbCredPartCodec.encode(k.encPart)) },
  });

  it('opens an encrypted enc-part with the key (usage 14), and says a key is needed without one', () => {
    expect(decodeKirbi(encrypted, key).encPart).toEqual(k.encPart);
    expect(codeOf(() => decodeKirbi(encrypted))).toBe('ERR_KIRBI_FORMAT');
    expect(codeOf(() => decodeKirbi(encrypted, Key.fromBytes(18, new Uint8Array(32))))).toBe('KRB_AP_ERR_BAD_INTEGRITY');
  });

  it('refuses ticket and KrbCredInfo counts that differ, and a KrbCredInfo without a client', () => {
    expect(codeOf(() => encodeKirbi({ tickets: k.tickets.slice(1), encPart: k.encPart }))).toBe('ERR_KIRBI_FORMAT');
    const unnamed = { tickets: k.tickets.slice(0, 1), encPart: { ticketInfo: [{ key: k.encPart.ticketInfo[0]!.key }] } };
    expect(codeOf(() => kirbiToCcache(decodeKirbi(encodeKirbi(unnamed))))).toBe('ERR_KIRBI_FORMAT');
  });

  it('refuses a KrbCredInfo time the ccache\'s u32 seconds cannot hold (before 1970, after 2106) with ERR_KIRBI_FORMAT', () => {
    const info = k.encPart.ticketInfo[0]!;
    for (const [field, when] of [['endtime', '2200-01-01T00:00:00Z'], ['authtime', '1960-01-01T00:00:00Z'], ['renewTill', '2106-02-07T06:28:16Z']] as const) {
      const odd = { tickets: k.tickets.slice(0, 1), encPart: { ticketInfo: [{ ...info, [field]: new Date(when) }] } };
      expect(codeOf(() => kirbiToCcache(decodeKirbi(encodeKirbi(odd))))).toBe('ERR_KIRBI_FORMAT');
    }
    // The last second a u32 holds still converts.
    const last = { tickets: k.tickets.slice(0, 1), encPart: { ticketInfo: [{ ...info, renewTill: new Date('2106-02-07T06:28:15Z') }] } };
    expect(decodeCcache(encodeCcache(kirbiToCcache(last).value)).credentials[0]!.renewTill.toISOString()).toBe('2106-02-07T06:28:15.000Z');
  });

  it('takes sname/srealm from the ticket when KrbCredInfo leaves them out', () => {
    const { pname, prealm, key: sk } = k.encPart.ticketInfo[0]!;
    const bare = { tickets: k.tickets.slice(0, 1), encPart: { ticketInfo: [{ key: sk, pname: pname!, prealm: prealm! }] } };
    const c = kirbiToCcache(bare).value.credentials[0]!;
    expect(c.server.components).toEqual(k.tickets[0]!.sname.nameString);
    expect(c.server.realm).toBe(k.tickets[0]!.realm);
  });

  it('reports DER damage as the asn1 DecodeError', () => {
    const bytes = encodeKirbi(k);
    expect(codeOf(() => decodeKirbi(bytes.subarray(0, bytes.length - 1)))).toBe('ERR_ASN1_DECODE');
  });
});

describe('writeCredentialFile', () => {
  it('writes mode 0600 whatever the umask, replaces a wider file atomically, leaves no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tgtb-files-'));
    const path = join(dir, 'cc');
    await writeFile(path, 'old', { mode: 0o644 });
    const old = process.umask(0);
    try {
      await writeCredentialFile(path, encodeCcache(mit()));
    } finally {
      process.umask(old);
    }
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(decodeCcache(new Uint8Array(readFileSync(path))).credentials.length).toBe(mit().credentials.length);
    expect(await readdir(dir)).toEqual(['cc']);
  });

  it('replaces a symlink at the target, never writing through it (as MIT kinit does: measured with FILE:<symlink>)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tgtb-files-'));
    await writeFile(join(dir, 'victim'), 'untouched', { mode: 0o644 });
    await symlink(join(dir, 'victim'), join(dir, 'cc'));
    await writeCredentialFile(join(dir, 'cc'), encodeCcache(mit()));
    expect((await lstat(join(dir, 'cc'))).isFile()).toBe(true);
    expect((await lstat(join(dir, 'cc'))).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'victim'), 'utf8')).toBe('untouched');
  });

  it('a write that cannot complete (the target is a directory) leaves no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tgtb-files-'));
    await mkdir(join(dir, 'cc'));
    await expect(writeCredentialFile(join(dir, 'cc'), encodeCcache(mit()))).rejects.toMatchObject({ code: 'EISDIR' });
    expect(await readdir(dir)).toEqual(['cc']);
  });
});
