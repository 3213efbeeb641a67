import { LeReader } from './le-reader.js';

/**
 * PAC_SIGNATURE_DATA, MS-PAC §2.8 (ulType 6, 7, 16, 19):
 *
 *   ULONG SignatureType;      // a Kerberos checksum type, sent as u32 (0xFFFFFF76 = -138)
 *   UCHAR Signature[];        // size fixed by SignatureType
 *   USHORT RODCIdentifier;    // only when an RODC signed: the top 16 bits of its krbtgt kvno
 *
 * The RODC identifier is present when the buffer is longer than 4 + the checksum size (how Heimdal's
 * krb5_pac_get_kdc_checksum_info and Samba read it). For a checksum type we do not know the size of,
 * everything after SignatureType is the Signature.
 */
export interface PacSignatureData {
  /** Signed, as Kerberos checksum types are (RFC 3961 §5; -138 is KERB_CHECKSUM_HMAC_MD5). */
  readonly SignatureType: number;
  readonly Signature: Uint8Array;
  readonly RODCIdentifier?: number;
}

/** Signature sizes, MS-PAC §2.8 (-138, 15, 16) and RFC 8009 §5 (19: 128 bits, 20: 192 bits). */
export const SIGNATURE_SIZE: Readonly<Record<number, number>> = {
  [-138]: 16,
  15: 12,
  16: 12,
  19: 16,
  20: 24,
};

const ROOT = 'PAC_SIGNATURE_DATA';

export function decodePacSignatureData(bytes: Uint8Array, base = 0): PacSignatureData {
  const r = new LeReader(bytes, base, ROOT);
  const SignatureType = r.u32('SignatureType') | 0;
  const size = SIGNATURE_SIZE[SignatureType];
  if (size === undefined) return { SignatureType, Signature: r.bytes('Signature', r.remaining) };
  const Signature = r.bytes('Signature', size);
  if (r.remaining === 0) return { SignatureType, Signature };
  const RODCIdentifier = r.u16('RODCIdentifier');
  r.end();
  return { SignatureType, Signature, RODCIdentifier };
}

export function encodePacSignatureData(sig: PacSignatureData): Uint8Array {
  const rodc = sig.RODCIdentifier !== undefined;
  const out = new Uint8Array(4 + sig.Signature.length + (rodc ? 2 : 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, sig.SignatureType >>> 0, true);
  out.set(sig.Signature, 4);
  if (rodc) view.setUint16(4 + sig.Signature.length, sig.RODCIdentifier as number, true);
  return out;
}
