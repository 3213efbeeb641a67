import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors/index.js';
import { decodePac, pacBufferOffsets } from '../../src/pac/index.js';
import { msPacExample, sambaPac } from './fixtures.js';

function decodeError(bytes: Uint8Array): DecodeError {
  try {
    decodePac(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return e as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

const u32 = (b: Uint8Array, at: number, v: number): void => new DataView(b.buffer, b.byteOffset).setUint32(at, v, true);
const u16 = (b: Uint8Array, at: number, v: number): void => new DataView(b.buffer, b.byteOffset).setUint16(at, v, true);

describe('PACTYPE layout errors (MS-PAC §2.3–2.4)', () => {
  it('truncated header', () => {
    expect(decodeError(new Uint8Array(5))).toMatchObject({ code: 'ERR_PAC_FORMAT', path: 'PACTYPE', offset: 0 });
  });

  it('version other than 0', () => {
    const b = msPacExample();
    u32(b, 4, 1);
    expect(decodeError(b)).toMatchObject({ code: 'ERR_PAC_FORMAT', path: 'PACTYPE.Version', offset: 4 });
  });

  it('cBuffers beyond the bytes (checked before allocating)', () => {
    const b = msPacExample();
    u32(b, 0, 0xffffffff);
    expect(decodeError(b)).toMatchObject({ code: 'ERR_PAC_FORMAT', path: 'PACTYPE.cBuffers' });
    u32(b, 0, 1000);
    expect(decodeError(b)).toMatchObject({ code: 'ERR_PAC_FORMAT', path: 'PACTYPE.cBuffers', offset: 0 });
  });

  it('misaligned offset', () => {
    const b = msPacExample();
    u32(b, 8 + 16 + 8, 0x4fa);
    expect(decodeError(b)).toMatchObject({ code: 'ERR_PAC_FORMAT', path: 'PACTYPE.Buffers[1].Offset', offset: 8 + 16 + 8 });
  });

  it('offset past the end, inside the header, or a size running past the end', () => {
    const past = msPacExample();
    u32(past, 8 + 8, 0x10000);
    expect(decodeError(past)).toMatchObject({ path: 'PACTYPE.Buffers[0].Offset', offset: 16 });
    const inHeader = msPacExample();
    u32(inHeader, 8 + 8, 0x40);
    expect(decodeError(inHeader)).toMatchObject({ path: 'PACTYPE.Buffers[0].Offset' });
    const high = msPacExample();
    u32(high, 8 + 12, 1);
    expect(decodeError(high)).toMatchObject({ path: 'PACTYPE.Buffers[0].Offset' });
    const long = msPacExample();
    u32(long, 8 + 16 * 3 + 4, 0x100);
    expect(decodeError(long)).toMatchObject({ path: 'PACTYPE.Buffers[3].cbBufferSize', offset: 8 + 16 * 3 + 4 });
  });

  it('overlapping buffers', () => {
    const b = msPacExample();
    u32(b, 8 + 16 * 2 + 8, 0x4f8); // server checksum at CLIENT_INFO's offset
    expect(decodeError(b)).toMatchObject({ code: 'ERR_PAC_FORMAT', path: 'PACTYPE.Buffers[2].Offset' });
  });
});

describe('buffer content errors carry the field path and the PAC offset', () => {
  const LOGON = 0x48;

  it('a truncated LOGON_INFO', () => {
    const b = msPacExample();
    u32(b, 8 + 4, 0x100);
    const e = decodeError(b);
    expect(e.code).toBe('ERR_NDR_DECODE');
    expect(e.path.startsWith('KERB_VALIDATION_INFO')).toBe(true);
    expect(e.offset).toBeGreaterThanOrEqual(LOGON);
    expect(e.offset).toBeLessThanOrEqual(LOGON + 0x100);
  });

  it('a group count beyond the bytes left', () => {
    const b = msPacExample();
    // GroupIds conformance (26 at 0x1d2 in the §3 dump = PAC offset 0x1bc).
    u32(b, 0x1d2 - 0x16, 0x10000000);
    expect(decodeError(b)).toMatchObject({ code: 'ERR_NDR_DECODE', path: 'KERB_VALIDATION_INFO.GroupIds', offset: 0x1d2 - 0x16 });
  });

  it('a conformance that disagrees with GroupCount', () => {
    const b = msPacExample();
    u32(b, 0x1d2 - 0x16, 25);
    expect(decodeError(b)).toMatchObject({ code: 'ERR_NDR_DECODE', path: 'KERB_VALIDATION_INFO.GroupIds' });
  });

  it('a NULL GroupIds referent with GroupCount 26', () => {
    const b = msPacExample();
    u32(b, 0xe2 - 0x16, 0);
    expect(decodeError(b)).toMatchObject({ code: 'ERR_NDR_DECODE', path: 'KERB_VALIDATION_INFO.GroupCount' });
  });

  it('a NULL top-level referent', () => {
    const b = msPacExample();
    u32(b, LOGON + 16, 0);
    expect(decodeError(b)).toMatchObject({ code: 'ERR_NDR_DECODE', path: 'KERB_VALIDATION_INFO', offset: LOGON + 16 });
  });

  it('a string Length that disagrees with its deferred array (EffectiveName)', () => {
    const b = msPacExample();
    u16(b, 0xa2 - 0x16, 6);
    expect(decodeError(b)).toMatchObject({ code: 'ERR_NDR_DECODE', path: 'KERB_VALIDATION_INFO.EffectiveName.Buffer' });
  });

  it('an ExtraSids SID with 16 sub-authorities', () => {
    const b = msPacExample();
    u32(b, 0x36a - 0x16, 16);
    expect(decodeError(b)).toMatchObject({ code: 'ERR_NDR_DECODE', path: 'KERB_VALIDATION_INFO.ExtraSids[0].Sid', offset: 0x36a - 0x16 });
  });

  it('CLIENT_INFO NameLength past its buffer', () => {
    const b = msPacExample();
    u16(b, 0x4f8 + 8, 0x40);
    expect(decodeError(b)).toMatchObject({ code: 'ERR_PAC_FORMAT', path: 'PAC_CLIENT_INFO.Name', offset: 0x4f8 + 10 });
  });

  it('UPN_DNS_INFO offsets past its buffer (Samba PAC)', () => {
    const b = sambaPac();
    const upn = pacBufferOffsets(b)[2]!;
    u16(b, upn.offset + 2, 0x400);
    expect(decodeError(b)).toMatchObject({ code: 'ERR_PAC_FORMAT', path: 'UPN_DNS_INFO.Upn' });
    const sid = sambaPac();
    u16(sid, upn.offset + 16, 0x20);
    expect(decodeError(sid)).toMatchObject({ code: 'ERR_PAC_FORMAT', path: 'UPN_DNS_INFO.Sid' });
  });

  it('a signature buffer that is too short for its checksum type', () => {
    const b = sambaPac();
    const kdc = pacBufferOffsets(b)[4]!;
    u32(b, kdc.offset, 0xffffff76); // HMAC-MD5 needs 16 bytes, the buffer holds 12
    expect(decodeError(b)).toMatchObject({ code: 'ERR_PAC_FORMAT', path: 'PAC_SIGNATURE_DATA.Signature', offset: kdc.offset + 4 });
  });

  it('an unknown buffer type is kept raw, not an error', () => {
    const b = sambaPac();
    u32(b, 8 + 16 * 5, 0x99);
    const pac = decodePac(b);
    expect(pac.Buffers[5]).toMatchObject({ ulType: 0x99 });
    expect(pac.Buffers[5]?.value).toBeUndefined();
  });
});
