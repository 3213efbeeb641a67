import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors/index.js';
import { decodeKeytab, encodeKeytab, filePrincipalText, type KeytabEntry } from '../../src/files/index.js';
import { Bytes } from './mit-builder.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'krb-fixtures', 'files');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

const ETYPE_NAMES: Readonly<Record<number, string>> = {
  17: 'aes128-cts-hmac-sha1-96',
  18: 'aes256-cts-hmac-sha1-96',
  19: 'aes128-cts-hmac-sha256-128',
  20: 'aes256-cts-hmac-sha384-192',
};

function decodeError(f: () => unknown): DecodeError {
  try {
    f();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError');
}

/** The line `klist -k -K -e -t` prints for an entry (TZ=UTC, LC_ALL=C in the fixture script). */
function klistLine(e: KeytabEntry): string {
  const d = e.timestamp;
  const p = (n: number): string => String(n).padStart(2, '0');
  const ts = `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  return `${String(e.kvno).padStart(4)} ${ts} ${filePrincipalText(e.principal)} (${ETYPE_NAMES[e.key.keytype]})  (0x${Buffer.from(e.key.keyvalue).toString('hex')})`;
}

describe('MIT keytab: real files from kadmin ktadd / ktremove / ktutil (krb5 1.20.1)', () => {
  for (const name of ['mit-service.keytab', 'mit-alice.keytab', 'mit-holes.keytab', 'mit-rodc-kvno.keytab', 'mit-odd-reuse.keytab']) {
    it(`${name}: the same entries as klist -k -K -e -t`, () => {
      const kt = decodeKeytab(fixture(name));
      const klist = readFileSync(join(FIXTURES, `${name}.klist.txt`), 'utf8').split('\n').slice(3).filter((l) => l !== '');
      expect(kt.version).toBe(2);
      expect(kt.entries.map(klistLine)).toEqual(klist);
    });
  }

  it('skips the hole ktremove left (a negative record length)', () => {
    const bytes = fixture('mit-holes.keytab');
    expect(new DataView(bytes.buffer, bytes.byteOffset).getInt32(2)).toBeLessThan(0);
    const kt = decodeKeytab(bytes);
    expect(kt.entries.every((e) => e.principal.components[0] === 'alice')).toBe(true);
  });

  it('reads the RODC kvno from the 32-bit trailer, overriding the 8-bit vno', () => {
    const bytes = fixture('mit-rodc-kvno.keytab');
    const kt = decodeKeytab(bytes);
    expect(kt.entries[0]!.kvno).toBe(0x12340001);
    expect(kt.entries[0]!.kvno >>> 16).toBe(0x1234);
  });

  for (const name of ['mit-service.keytab', 'mit-rodc-kvno.keytab']) {
    it(`${name}: our 0x502 writer gives MIT's bytes`, () => {
      expect(Buffer.from(encodeKeytab(decodeKeytab(fixture(name)))).equals(Buffer.from(fixture(name)))).toBe(true);
    });
  }

  it('drops holes when writing and keeps every entry', () => {
    const kt = decodeKeytab(fixture('mit-holes.keytab'));
    const again = decodeKeytab(encodeKeytab(kt));
    expect(again.entries).toEqual(kt.entries);
    expect(encodeKeytab(kt).length).toBeLessThan(fixture('mit-holes.keytab').length);
  });
});

/** An entry as keytab_file_format.rst lays it out; `trailer` undefined = no 32-bit vno. */
function entry(opts: { v1?: boolean; vno8: number; trailer?: number; pad?: number }): Uint8Array {
  const rec = new Bytes(opts.v1 === true);
  rec.u16(opts.v1 === true ? 3 : 2).str16('EXAMPLE.TEST').str16('host').str16('fs.example.test');
  if (opts.v1 !== true) rec.u32(3);
  rec.u32(1_700_000_000).u8(opts.vno8).u16(17).u16(16).raw(Array.from({ length: 16 }, (_, i) => 0xa0 + i));
  if (opts.trailer !== undefined) rec.u32(opts.trailer);
  for (let i = 0; i < (opts.pad ?? 0); i++) rec.u8(0);
  return rec.done();
}

function keytabOf(version: 1 | 2, records: readonly Uint8Array[], tail: readonly number[] = []): Uint8Array {
  const b = new Bytes(version === 1);
  b.u8(5).u8(version);
  for (const r of records) b.u32(r.length).raw(r);
  return b.raw(tail).done();
}

describe('MIT keytab: layouts from the format text', () => {
  it('reads version 1 (native little-endian, realm in the count, no name type)', () => {
    const kt = decodeKeytab(keytabOf(1, [entry({ v1: true, vno8: 3 })]));
    expect(kt.version).toBe(1);
    expect(kt.entries[0]!.principal).toEqual({ nameType: 0, components: ['host', 'fs.example.test'], realm: 'EXAMPLE.TEST' });
    expect(kt.entries[0]!.kvno).toBe(3);
    expect(kt.entries[0]!.key.keytype).toBe(17);
  });

  it('uses the 8-bit vno when there is no trailer, or when the trailer is zero', () => {
    expect(decodeKeytab(keytabOf(2, [entry({ vno8: 7 })])).entries[0]!.kvno).toBe(7);
    expect(decodeKeytab(keytabOf(2, [entry({ vno8: 7, trailer: 0 })])).entries[0]!.kvno).toBe(7);
    expect(decodeKeytab(keytabOf(2, [entry({ vno8: 1, trailer: 0x80010002 })])).entries[0]!.kvno).toBe(0x80010002);
  });

  it('accepts an entry shorter than its record, and stops at a zero length', () => {
    const kt = decodeKeytab(keytabOf(2, [entry({ vno8: 2, trailer: 2, pad: 11 })], [0, 0, 0, 0, 0, 0]));
    expect(kt.entries.length).toBe(1);
    expect(kt.entries[0]!.kvno).toBe(2);
  });

  it('always writes the 32-bit trailer, with the 8-bit vno truncated', () => {
    const kt = decodeKeytab(keytabOf(2, [entry({ vno8: 1, trailer: 0x12340001 })]));
    const out = encodeKeytab(kt);
    expect([...out.subarray(out.length - 4)]).toEqual([0x12, 0x34, 0x00, 0x01]);
    expect(decodeKeytab(out).entries[0]!.kvno).toBe(0x12340001);
    const small = encodeKeytab({ entries: [{ ...kt.entries[0]!, kvno: 5 }] });
    expect([...small.subarray(small.length - 4)]).toEqual([0, 0, 0, 5]);
  });
});

describe('MIT keytab: hostile input', () => {
  it('every truncation gives ERR_KEYTAB_FORMAT or a shorter valid keytab, never a crash', () => {
    const good = fixture('mit-service.keytab');
    const full = decodeKeytab(good).entries.length;
    let valid = 0;
    for (let len = 0; len < good.length; len++) {
      try {
        expect(decodeKeytab(good.subarray(0, len)).entries.length).toBeLessThan(full);
        valid++;
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
        expect((e as DecodeError).code).toBe('ERR_KEYTAB_FORMAT');
        expect((e as DecodeError).offset).toBeLessThanOrEqual(len);
      }
    }
    expect(valid).toBe(full); // the header alone, and a cut after each entry but the last
  });

  it('refuses record and hole sizes beyond the file, and the most negative size', () => {
    const over = decodeError(() => decodeKeytab(Uint8Array.from([5, 2, 0, 0, 1, 0, 1, 2, 3])));
    expect(over.code).toBe('ERR_KEYTAB_FORMAT');
    expect(over.offset).toBe(6);
    expect(decodeError(() => decodeKeytab(Uint8Array.from([5, 2, 0xff, 0xff, 0xff, 0x00, 0]))).path).toBe('keytab.records[0].hole');
    expect(decodeError(() => decodeKeytab(Uint8Array.from([5, 2, 0x80, 0, 0, 0]))).path).toBe('keytab.records[0].size');
  });

  it('refuses a component count larger than its record, a bad version, and bytes after the end marker', () => {
    const rec = entry({ vno8: 1 });
    rec[0] = 0xff;
    expect(decodeError(() => decodeKeytab(keytabOf(2, [rec]))).path).toBe('keytab.records[0].principal.count');
    expect(decodeError(() => decodeKeytab(Uint8Array.from([5, 3]))).path).toBe('keytab.version');
    expect(decodeError(() => decodeKeytab(Uint8Array.from([5, 2, 0, 0, 0, 0, 1]))).path).toBe('keytab.records[0].tail');
  });

  it('refuses a key that runs past its record', () => {
    const rec = entry({ vno8: 1 });
    const keyLenAt = rec.length - 16 - 2;
    rec[keyLenAt + 1] = 40;
    const e = decodeError(() => decodeKeytab(keytabOf(2, [rec])));
    expect(e.path).toBe('keytab.records[0].key');
    expect(e.offset).toBe(2 + 4 + keyLenAt + 2);
  });
});
