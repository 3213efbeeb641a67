import type { EncryptionKey } from '../asn1/index.js';
import { fromUnixSeconds, unixSeconds } from '../util/index.js';
import { BinaryReader, BinaryWriter, encodeText } from './binary.js';
import type { FilePrincipal } from './file-principal.js';

/**
 * MIT krb5 FILE keytab, after MIT's doc/formats/keytab_file_format.rst:
 *
 *   file    = 0x05, version (1 | 2), record*
 *   record  = size i32; size > 0: an entry, which may be shorter than size;
 *             size < 0: a hole of -size zero bytes (a deleted entry); size = 0: end
 *   entry   = count u16 (v1: realm included), realm data, component data*, [name_type i32 (not v1)],
 *             timestamp u32, vno8 u8, enctype u16, key data, [vno u32]
 *   data    = length u16, bytes
 *
 * The optional 32-bit vno (krb5 1.14+) is present when at least 4 bytes of the record remain,
 * and overrides vno8 when non-zero. Version 2 (0x0502) is big-endian; version 1 uses native
 * order, read here as x86 little-endian. We write 0x0502 with the 32-bit vno always present:
 * RODC kvnos ((N << 16) | v, MS-KILE §3.1.5.8) do not fit in 8 bits.
 */
export interface Keytab {
  readonly version: 1 | 2;
  readonly entries: readonly KeytabEntry[];
}

export interface KeytabEntry {
  readonly principal: FilePrincipal;
  /** When the key was written (u32 seconds). */
  readonly timestamp: Date;
  /** Unsigned 32-bit key version (the trailer when present and non-zero, else the 8-bit vno). */
  readonly kvno: number;
  readonly key: EncryptionKey;
}

/** Does `bytes` start like a keytab (0x05 0x01 or 0x05 0x02)? A sniff for format detection. */
export function looksLikeKeytab(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x05 && (bytes[1] === 0x01 || bytes[1] === 0x02);
}

export function decodeKeytab(bytes: Uint8Array): Keytab {
  const r = new BinaryReader(bytes, 'ERR_KEYTAB_FORMAT');
  if (r.u8('keytab.magic') !== 0x05) r.fail('keytab.magic', 'first byte is not 0x05', 0);
  const byte = r.u8('keytab.version');
  if (byte !== 1 && byte !== 2) return r.fail('keytab.version', `unsupported version ${byte}`, 1);
  const version: 1 | 2 = byte;
  r.littleEndian = version === 1;

  const entries: KeytabEntry[] = [];
  let record = 0;
  while (r.remaining > 0) {
    const path = `keytab.records[${record++}]`;
    const at = r.offset;
    const size = r.i32(`${path}.size`);
    if (size === 0) {
      // The end marker; MIT never writes anything meaningful after it.
      const tail = r.bytes(r.remaining, `${path}.tail`);
      if (tail.some((b) => b !== 0)) r.fail(`${path}.tail`, 'non-zero bytes after the end marker', at + 4);
      break;
    }
    if (size < 0) {
      if (size === -0x80000000) r.fail(`${path}.size`, 'hole size out of range', at);
      r.skip(-size, `${path}.hole`);
      continue;
    }
    entries.push(readEntry(r.sub(size, path), version, path));
  }
  return { version, entries };
}

function readEntry(r: BinaryReader, version: 1 | 2, path: string): KeytabEntry {
  const countAt = r.offset;
  let count = r.count(2, 2, `${path}.principal.count`);
  if (version === 1) {
    if (count === 0) r.fail(`${path}.principal.count`, 'version 1 count must include the realm', countAt);
    count -= 1;
  }
  const realm = r.text(r.u16(`${path}.principal.realm.length`), `${path}.principal.realm`);
  const components: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = `${path}.principal.components[${i}]`;
    components.push(r.text(r.u16(`${p}.length`), p));
  }
  const nameType = version === 1 ? 0 : r.i32(`${path}.principal.nameType`); // krb5_int32, as in the ccache
  const timestamp = fromUnixSeconds(r.u32(`${path}.timestamp`));
  const vno8 = r.u8(`${path}.vno8`);
  const keytype = r.u16(`${path}.key.enctype`);
  const keyvalue = r.bytes(r.u16(`${path}.key.length`), `${path}.key`);
  let kvno = vno8;
  if (r.remaining >= 4) {
    const vno32 = r.u32(`${path}.vno`);
    if (vno32 !== 0) kvno = vno32;
  }
  // Bytes beyond the entry inside its record are allowed by the format (a reused larger hole).
  return { principal: { nameType, components, realm }, timestamp, kvno, key: { keytype, keyvalue } };
}

export function encodeKeytab(kt: Pick<Keytab, 'entries'>): Uint8Array {
  const w = new BinaryWriter();
  w.u8(0x05).u8(0x02);
  for (const e of kt.entries) {
    const rec = encodeEntry(e);
    w.i32(rec.length).bytes(rec);
  }
  return w.finish();
}

function encodeEntry(e: KeytabEntry): Uint8Array {
  const w = new BinaryWriter();
  const p = e.principal;
  w.u16(p.components.length).data16(encodeText(p.realm));
  for (const c of p.components) w.data16(encodeText(c));
  w.i32(p.nameType).u32(unixSeconds(e.timestamp));
  w.u8(e.kvno & 0xff);
  w.u16(e.key.keytype).data16(e.key.keyvalue);
  w.u32(e.kvno >>> 0);
  return w.finish();
}
