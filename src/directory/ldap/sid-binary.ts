import { TgtbridgeError } from '../../errors/index.js';

/**
 * objectSid as LDAP returns it: the binary SID of MS-DTYP §2.4.2.2
 *   Revision (1 byte, = 1) | SubAuthorityCount (1 byte, ≤ 15) |
 *   IdentifierAuthority (6 bytes, big-endian) | SubAuthority[SubAuthorityCount] (u32 little-endian)
 * turned into its string form S-1-<authority>-<sub>… (MS-DTYP §2.4.2.1).
 */
export function sidFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 8 || bytes[0] !== 1) {
    throw new TgtbridgeError('ERR_DIRECTORY', 'objectSid is not a revision-1 binary SID');
  }
  const count = bytes[1]!;
  if (count > 15 || bytes.length !== 8 + 4 * count) {
    throw new TgtbridgeError('ERR_DIRECTORY', `objectSid length ${bytes.length} does not match ${count} sub-authorities`);
  }
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + bytes[i]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const subs: number[] = [];
  for (let i = 0; i < count; i++) subs.push(view.getUint32(8 + 4 * i, true));
  return ['S', '1', String(authority), ...subs.map(String)].join('-');
}
