import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors/index.js';
import {
  NdrReader,
  NdrWriter,
  decodeTypeSerialization1,
  encodeTypeSerialization1,
  readRpcSid,
  readRpcUnicodeString,
  writeRpcSid,
  writeRpcUnicodeString,
  drain,
  rpcUnicodeString,
  type RpcUnicodeString,
} from '../../src/ndr/index.js';
import { fromHex, toHex } from '../../src/util/index.js';

function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return e as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

describe('NdrReader', () => {
  it('aligns primitives to their size and reads little-endian', () => {
    const r = new NdrReader(fromHex('01 cc 0302 07060504 0f0e0d0c0b0a0908'));
    expect(r.u8()).toBe(1);
    expect(r.u16()).toBe(0x0203);
    expect(r.u32()).toBe(0x04050607);
    expect(r.u64()).toBe(0x08090a0b0c0d0e0fn);
    expect(r.remaining).toBe(0);
  });

  it('reads FILETIME as two 4-byte-aligned ULONGs, low word first (MS-DTYP §2.3.3)', () => {
    const r = new NdrReader(fromHex('00000000 ffffffff ffffff7f'));
    r.u32();
    expect(r.filetime()).toBe(0x7fffffffffffffffn);
  });

  it('reports the field path and absolute offset of a short read', () => {
    const r = new NdrReader(fromHex('0100'), 0x40, 'X');
    const e = decodeError(() => r.at('A', () => r.at(3, () => r.at('B', () => r.u32()))));
    expect(e.code).toBe('ERR_NDR_DECODE');
    expect(e.path).toBe('X.A[3].B');
    expect(e.offset).toBe(0x40);
  });

  it('rejects a count larger than the bytes left before allocating', () => {
    const r = new NdrReader(fromHex('ffffff7f 00000000'), 0, 'X');
    const e = decodeError(() => r.count(8));
    expect(e.code).toBe('ERR_NDR_DECODE');
    expect(e.offset).toBe(0);
  });
});

describe('NdrWriter', () => {
  it('pads with zeros and numbers referents 0x00020000 + 4n, skipping NULL (MS-PAC §3)', () => {
    const w = new NdrWriter();
    w.u8(1);
    w.u32(2);
    expect(w.pointer(true)).toBe(true);
    expect(w.pointer(false)).toBe(false);
    w.pointer(true);
    w.u8(3);
    w.u64(4n);
    expect(toHex(w.toBytes())).toBe('01000000' + '02000000' + '00000200' + '00000000' + '04000200' + '03000000' + '0400000000000000');
  });

  it('grows past its initial buffer', () => {
    const w = new NdrWriter();
    for (let i = 0; i < 1000; i++) w.u32(i);
    const b = w.toBytes();
    expect(b.length).toBe(4000);
    expect(new DataView(b.buffer).getUint32(3996, true)).toBe(999);
  });
});

describe('type serialization version 1 (MS-RPCE §2.2.6)', () => {
  const body = (w: NdrWriter, v: number): void => w.u32(v);
  const read = (r: NdrReader): number => r.u32();

  it('writes the common and private headers and pads the body to 8', () => {
    const b = encodeTypeSerialization1(0x11223344, body);
    expect(toHex(b)).toBe('01100800cccccccc' + '08000000' + '00000000' + '00000200' + '44332211');
    expect(decodeTypeSerialization1(b, 0, 'T', read)).toBe(0x11223344);
  });

  it.each([
    ['version', 0, 2, 0],
    ['big-endian data representation', 1, 0x00, 1],
    ['common header length', 2, 9, 2],
  ])('rejects a bad %s', (_name, at, value, offset) => {
    const b = encodeTypeSerialization1(1, body);
    b[at] = value;
    const e = decodeError(() => decodeTypeSerialization1(b, 100, 'T', read));
    expect(e.code).toBe('ERR_NDR_DECODE');
    expect(e.offset).toBe(100 + offset);
  });

  it('rejects an ObjectBufferLength beyond the buffer, a NULL top pointer and trailing bytes', () => {
    const b = encodeTypeSerialization1(1, body);
    const long = Uint8Array.from(b);
    long[8] = 0x40;
    expect(decodeError(() => decodeTypeSerialization1(long, 0, 'T', read)).offset).toBe(8);
    const nul = Uint8Array.from(b);
    nul.fill(0, 16, 20);
    expect(decodeError(() => decodeTypeSerialization1(nul, 0, 'T', read)).offset).toBe(16);
    const trailing = new Uint8Array(b.length + 8);
    trailing.set(b);
    expect(decodeError(() => decodeTypeSerialization1(trailing, 0, 'T', read)).code).toBe('ERR_NDR_DECODE');
  });
});

describe('RPC_UNICODE_STRING (MS-DTYP §2.3.10)', () => {
  function roundTrip(s: RpcUnicodeString): RpcUnicodeString {
    const w = new NdrWriter();
    const q: Array<() => void> = [];
    writeRpcUnicodeString(w, s, q);
    drain(q);
    const r = new NdrReader(w.toBytes());
    const rq: Array<() => void> = [];
    const out = readRpcUnicodeString(r, rq);
    drain(rq);
    expect(r.remaining).toBe(0);
    return out;
  }

  it('keeps NULL apart from empty and MaximumLength apart from Length', () => {
    expect(roundTrip(rpcUnicodeString(null))).toEqual({ Length: 0, MaximumLength: 0, Buffer: null });
    expect(roundTrip(rpcUnicodeString(''))).toEqual({ Length: 0, MaximumLength: 0, Buffer: '' });
    expect(roundTrip({ Length: 10, MaximumLength: 12, Buffer: 'NTDEV' })).toEqual({ Length: 10, MaximumLength: 12, Buffer: 'NTDEV' });
  });

  it('keeps lone surrogates so re-encoding is exact', () => {
    expect(roundTrip(rpcUnicodeString('a\ud800b')).Buffer).toBe('a\ud800b');
  });

  it('rejects a deferred array whose counts disagree with Length/MaximumLength', () => {
    // Length 4, MaximumLength 4, pointer; then max 2, offset 0, actual 1 (should be 2).
    const bytes = fromHex('0400 0400 04000200 02000000 00000000 01000000 4100');
    const r = new NdrReader(bytes, 0, 'S');
    const q: Array<() => void> = [];
    r.at('Name', () => readRpcUnicodeString(r, q));
    const e = decodeError(() => drain(q));
    expect(e.path).toBe('S.Name.Buffer');
    expect(e.offset).toBe(16);
  });

  it('rejects a non-zero Length with a NULL pointer', () => {
    const r = new NdrReader(fromHex('0400 0400 00000000'));
    expect(decodeError(() => readRpcUnicodeString(r, [])).code).toBe('ERR_NDR_DECODE');
  });
});

describe('RPC_SID (MS-DTYP §2.4.2.3)', () => {
  it('is a conformant structure: size first, then the fields', () => {
    const w = new NdrWriter();
    writeRpcSid(w, { Revision: 1, IdentifierAuthority: 5, SubAuthority: [21, 1, 2, 3] });
    const bytes = w.toBytes();
    expect(toHex(bytes)).toBe('04000000' + '0104000000000005' + '15000000010000000200000003000000');
    expect(readRpcSid(new NdrReader(bytes))).toEqual({ Revision: 1, IdentifierAuthority: 5, SubAuthority: [21, 1, 2, 3] });
  });

  it('rejects more than 15 sub-authorities and a count that disagrees with its size', () => {
    expect(decodeError(() => readRpcSid(new NdrReader(fromHex('10000000 0110000000000005' + '00'.repeat(64))))).offset).toBe(0);
    expect(decodeError(() => readRpcSid(new NdrReader(fromHex('01000000 0102000000000005 15000000')))).offset).toBe(5);
  });
});
