import { checksum, KEY_USAGE, mandatoryChecksumType, type Key } from '../crypto/index.js';
import { PAC_BUFFER_TYPE } from './pac-buffer-type.js';
import { encodePacSignatureData, SIGNATURE_SIZE } from './pac-signature-data.js';
import { encodePac, pacBufferOffsets, type Pac, type PacBuffer } from './pac-type.js';

/**
 * Signing a PAC, MS-PAC §2.8.1–2.8.5, in the order MIT krb5 (`pac_sign.c`) and Heimdal
 * (`_krb5_pac_sign`) use:
 *
 *  1. ticket signature (16): over `ticketChecksumInput`, the DER EncTicketPart with the PAC's ad-data
 *     replaced by a single zero byte (§2.8.2; the ticket module computes it), krbtgt key;
 *  2. full-PAC signature (19): over the whole PAC with 6, 7 and 19 zeroed (§2.8.3), krbtgt key;
 *  3. server signature (6): over the whole PAC with 6 and 7 zeroed, 16 and 19 filled (§2.8.4), server key;
 *  4. KDC signature (7): over the server Signature bytes (§2.8.5), krbtgt key.
 *
 * "Zeroed" covers everything after the 4-byte SignatureType, RODCIdentifier included: MIT's
 * verifier zeroes `cbBufferSize - 4` bytes and Heimdal writes the RODC number only after computing
 * the checksums, so both agree on this input.
 *
 * RODC identifier: appended (u16 LE) to the krbtgt-keyed signatures — KDC (7), ticket (16) and full
 * (19) — never to the server signature (6). For 7 and 16 that is what Heimdal/Samba do
 * (`_krb5_pac_sign` grows only the privsvr and ticket buffers by `sizeof(rodc_id)`), matching
 * MS-PAC §2.8: the field names the KDC that signed, and the server signature is made with the
 * service's key. For 19 it follows by analogy (same key as 7); no RODC-signed service ticket with a
 * full signature has been measured. TGTs, the case tgtbridge mints, carry neither 16 nor 19.
 *
 * Checksum types follow the keys: RFC 3961 §4's mandatory checksum of each key's etype (16 for
 * AES256, 15 for AES128, -138 for RC4, 19/20 for the RFC 8009 etypes).
 */
export interface SignPacOptions {
  readonly pac: Pac;
  readonly serverKey: Key;
  readonly kdcKey: Key;
  /** The signing RODC's number (the top 16 bits of its krbtgt_N kvno). */
  readonly rodcId?: number;
  /** DER EncTicketPart with the PAC replaced by one zero byte; adds/refreshes the ticket signature (16). */
  readonly ticketChecksumInput?: Uint8Array;
  /** Add/refresh the full-PAC signature (19). Defaults to whether the PAC already has one. */
  readonly includeFullChecksum?: boolean;
}

const T = PAC_BUFFER_TYPE;
const KRBTGT_SIGNED: readonly number[] = [T.PRIVSVR_CHECKSUM, T.TICKET_CHECKSUM, T.FULL_CHECKSUM];

function signatureSize(cksumtype: number): number {
  const size = SIGNATURE_SIZE[cksumtype];
  if (size === undefined) throw new RangeError(`no PAC signature size for checksum type ${cksumtype}`);
  return size;
}

/** Returns the signed PAC bytes. Buffer order is kept; missing signature buffers are appended as 6, 7, 16, 19. */
export function signPac(options: SignPacOptions): Uint8Array {
  const { pac, serverKey, kdcKey, rodcId, ticketChecksumInput } = options;
  if (rodcId !== undefined && (!Number.isInteger(rodcId) || rodcId < 1 || rodcId > 0xffff)) {
    throw new RangeError('rodcId must be 1..65535');
  }
  const has = (t: number): boolean => pac.Buffers.some((b) => b.ulType === t);
  const withTicket = ticketChecksumInput !== undefined;
  if (has(T.TICKET_CHECKSUM) && !withTicket) throw new RangeError('PAC has a ticket signature (16) but no ticketChecksumInput was given');
  const withFull = options.includeFullChecksum ?? has(T.FULL_CHECKSUM);
  if (has(T.FULL_CHECKSUM) && !withFull) throw new RangeError('PAC has a full signature (19) but includeFullChecksum is false');

  const serverType = mandatoryChecksumType(serverKey.etype);
  const kdcType = mandatoryChecksumType(kdcKey.etype);
  const placeholder = (ulType: number): PacBuffer => {
    const cksumtype = ulType === T.SERVER_CHECKSUM ? serverType : kdcType;
    const rodc = rodcId !== undefined && KRBTGT_SIGNED.includes(ulType) ? { RODCIdentifier: 0 } : {};
    return { ulType, data: encodePacSignatureData({ SignatureType: cksumtype, Signature: new Uint8Array(signatureSize(cksumtype)), ...rodc }) };
  };
  const wanted: readonly number[] = [T.SERVER_CHECKSUM, T.PRIVSVR_CHECKSUM, ...(withTicket ? [T.TICKET_CHECKSUM] : []), ...(withFull ? [T.FULL_CHECKSUM] : [])];
  const buffers = pac.Buffers.map((b) => (wanted.includes(b.ulType) ? { ...placeholder(b.ulType), ...(b.padding ? { padding: b.padding } : {}) } : b));
  for (const t of wanted) if (!has(t)) buffers.push(placeholder(t));

  const out = encodePac({ ...pac, Buffers: buffers });
  const layout = pacBufferOffsets(out);
  const where = (t: number) => {
    const e = layout.find((x) => x.ulType === t);
    if (e === undefined) throw new RangeError(`PAC lost buffer ${t}`);
    return e;
  };
  const sigAt = (t: number) => where(t).offset + 4;
  const writeRodc = (t: number, size: number): void => {
    if (rodcId === undefined) return;
    const at = sigAt(t) + size;
    out[at] = rodcId & 0xff;
    out[at + 1] = rodcId >> 8;
  };
  const kdcSize = signatureSize(kdcType);
  const usage = KEY_USAGE.APP_DATA_CKSUM;

  if (withTicket) {
    out.set(checksum(kdcType, kdcKey, usage, ticketChecksumInput), sigAt(T.TICKET_CHECKSUM));
    writeRodc(T.TICKET_CHECKSUM, kdcSize);
  }
  if (withFull) {
    out.set(checksum(kdcType, kdcKey, usage, out), sigAt(T.FULL_CHECKSUM));
    writeRodc(T.FULL_CHECKSUM, kdcSize);
  }
  const serverSig = checksum(serverType, serverKey, usage, out);
  out.set(serverSig, sigAt(T.SERVER_CHECKSUM));
  out.set(checksum(kdcType, kdcKey, usage, serverSig), sigAt(T.PRIVSVR_CHECKSUM));
  writeRodc(T.PRIVSVR_CHECKSUM, kdcSize);
  return out;
}
