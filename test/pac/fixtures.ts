import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex } from '../../src/util/index.js';

const DIR = join(import.meta.dirname, '..', '..', 'krb-fixtures', 'pac');

/** Read an `offset hex…` dump (comments start with #), checking each line's offset. */
export function readHexDump(name: string): Uint8Array {
  const parts: string[] = [];
  let expect = 0;
  for (const line of readFileSync(join(DIR, name), 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [addr, ...hex] = line.trim().split(/\s+/);
    if (parseInt(addr!, 16) !== expect) throw new Error(`${name}: line at ${addr} out of sequence`);
    parts.push(...hex);
    expect += hex.length;
  }
  return fromHex(parts.join(''));
}

/** The PACTYPE bytes of MS-PAC §3's example (the dump starts with 0x16 bytes of AD-IF-RELEVANT DER). */
export function msPacExample(): Uint8Array {
  return readHexDump('ms-pac-3-example.hex').slice(0x16);
}

/** A Samba-issued PAC from samba's source4/librpc/tests (krb-fixtures/pac/samba-upn-dns-info-ex.b64). */
export function sambaPac(): Uint8Array {
  return new Uint8Array(Buffer.from(readFileSync(join(DIR, 'samba-upn-dns-info-ex.b64'), 'utf8').trim(), 'base64'));
}

export function hexFixture(name: string): Uint8Array {
  return fromHex(readFileSync(join(DIR, name), 'utf8'));
}
