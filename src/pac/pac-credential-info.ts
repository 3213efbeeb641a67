import { LeReader } from './le-reader.js';

/**
 * PAC_CREDENTIAL_INFO, MS-PAC §2.6.1 (ulType 2): Version (MUST be 0), EncryptionType, then
 * SerializedData encrypted with the AS reply key (key usage 16). Kept opaque: decrypting it needs the
 * PKINIT reply key, which an inspector does not have.
 */
export interface PacCredentialInfo {
  readonly Version: number;
  readonly EncryptionType: number;
  readonly SerializedData: Uint8Array;
}

export function decodePacCredentialInfo(bytes: Uint8Array, base = 0): PacCredentialInfo {
  const r = new LeReader(bytes, base, 'PAC_CREDENTIAL_INFO');
  const Version = r.u32('Version');
  const EncryptionType = r.u32('EncryptionType');
  return { Version, EncryptionType, SerializedData: r.bytes('SerializedData', r.remaining) };
}

export function encodePacCredentialInfo(info: PacCredentialInfo): Uint8Array {
  const out = new Uint8Array(8 + info.SerializedData.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, info.Version, true);
  v.setUint32(4, info.EncryptionType, true);
  out.set(info.SerializedData, 8);
  return out;
}
