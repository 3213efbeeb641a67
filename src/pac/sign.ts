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

/**
 * Where signPac's layout puts each signature (offsets of the Signature bytes inside the encoded PAC)
 * and which checksum type goes there. A PAC laid out once can be re-signed in place as often as
 * needed (`writePacSignatures`), e.g. after patching a time in a per-account template.
 */
export interface PacSignatureSlots {
  readonly serverType: number;
  readonly serverAt: number;
  readonly kdcType: number;
  readonly kdcAt: number;
  readonly ticketAt?: number;
  readonly fullAt?: number;
  /** Whether the krbtgt-keyed signatures have room for an RODC identifier after the Signature. */
  readonly rodc: boolean;
}

export interface UnsignedPacLayout {
  /** The encoded PAC with every signature (and RODC identifier) zeroed. */
  readonly bytes: Uint8Array;
  readonly slots: PacSignatureSlots;
  /** Each buffer's data offset in `bytes`, in PACTYPE.Buffers order. */
  readonly buffers: readonly { readonly ulType: number; readonly offset: number; readonly size: number }[];
}

/**
 * Step one of signPac: the PAC encoded with zeroed signature buffers in their final places. Only
 * the keys' etypes are read (they fix the checksum types and so the buffer sizes).
 */
export function layOutPacSignatures(options: Omit<SignPacOptions, 'ticketChecksumInput'> & { readonly withTicket: boolean }): UnsignedPacLayout {
  const { pac, serverKey, kdcKey, rodcId, withTicket } = options;
  if (rodcId !== undefined && (!Number.isInteger(rodcId) || rodcId < 1 || rodcId > 0xffff)) {
    throw new RangeError('rodcId must be 1..65535');
  }
  const has = (t: number): boolean => pac.Buffers.some((b) => b.ulType === t);
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

  const bytes = encodePac({ ...pac, Buffers: buffers });
  const layout = pacBufferOffsets(bytes);
  const sigAt = (t: number): number => {
    const e = layout.find((x) => x.ulType === t);
    if (e === undefined) throw new RangeError(`PAC lost buffer ${t}`);
    return e.offset + 4;
  };
  const slots: PacSignatureSlots = {
    serverType,
    serverAt: sigAt(T.SERVER_CHECKSUM),
    kdcType,
    kdcAt: sigAt(T.PRIVSVR_CHECKSUM),
    ...(withTicket ? { ticketAt: sigAt(T.TICKET_CHECKSUM) } : {}),
    ...(withFull ? { fullAt: sigAt(T.FULL_CHECKSUM) } : {}),
    rodc: rodcId !== undefined,
  };
  return { bytes, slots, buffers: layout };
}

export interface PacSigningKeys {
  readonly serverKey: Key;
  readonly kdcKey: Key;
  /** Written when the layout has room for it (`slots.rodc`). */
  readonly rodcId?: number;
  readonly ticketChecksumInput?: Uint8Array;
}

/**
 * Step two of signPac: compute and write the signatures into `out`, a PAC laid out by
 * layOutPacSignatures whose signature fields are still zero (MS-PAC §2.8.1–2.8.5 order above).
 */
export function writePacSignatures(out: Uint8Array, slots: PacSignatureSlots, keys: PacSigningKeys): void {
  const { serverKey, kdcKey, ticketChecksumInput } = keys;
  const rodcId = slots.rodc ? keys.rodcId : undefined;
  if (slots.rodc && (rodcId === undefined || !Number.isInteger(rodcId) || rodcId < 1 || rodcId > 0xffff)) {
    throw new RangeError('rodcId must be 1..65535');
  }
  const kdcSize = signatureSize(slots.kdcType);
  const writeRodc = (sigAt: number): void => {
    if (rodcId === undefined) return;
    out[sigAt + kdcSize] = rodcId & 0xff;
    out[sigAt + kdcSize + 1] = rodcId >> 8;
  };
  const usage = KEY_USAGE.APP_DATA_CKSUM;

  if (slots.ticketAt !== undefined) {
    if (ticketChecksumInput === undefined) throw new RangeError('this PAC layout has a ticket signature (16) but no ticketChecksumInput was given');
    out.set(checksum(slots.kdcType, kdcKey, usage, ticketChecksumInput), slots.ticketAt);
    writeRodc(slots.ticketAt);
  }
  if (slots.fullAt !== undefined) {
    out.set(checksum(slots.kdcType, kdcKey, usage, out), slots.fullAt);
    writeRodc(slots.fullAt);
  }
  const serverSig = checksum(slots.serverType, serverKey, usage, out);
  out.set(serverSig, slots.serverAt);
  out.set(checksum(slots.kdcType, kdcKey, usage, serverSig), slots.kdcAt);
  writeRodc(slots.kdcAt);
}

/** Returns the signed PAC bytes. Buffer order is kept; missing signature buffers are appended as 6, 7, 16, 19. */
export function signPac(options: SignPacOptions): Uint8Array {
  const { ticketChecksumInput, ...rest } = options;
  const { bytes, slots } = layOutPacSignatures({ ...rest, withTicket: ticketChecksumInput !== undefined });
  writePacSignatures(bytes, slots, {
    serverKey: options.serverKey,
    kdcKey: options.kdcKey,
    ...(options.rodcId !== undefined ? { rodcId: options.rodcId } : {}),
    ...(ticketChecksumInput !== undefined ? { ticketChecksumInput } : {}),
  });
  return bytes;
}
