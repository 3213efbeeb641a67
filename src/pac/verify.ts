import { KEY_USAGE, verifyChecksum, type Key } from '../crypto/index.js';
import { TgtbridgeError } from '../errors/index.js';
import { PAC_BUFFER_TYPE, pacBufferTypeName, SIGNATURE_BUFFER_TYPES } from './pac-buffer-type.js';
import { type PacSignatureData } from './pac-signature-data.js';
import { decodePac, pacBufferOffsets, type Pac } from './pac-type.js';

export interface VerifyPacKeys {
  /** The key of the service the ticket is for (server signature, 6). */
  readonly serverKey?: Key;
  /** The krbtgt key that signed (KDC 7, ticket 16, full 19); for an RODC PAC, its krbtgt_N key. */
  readonly kdcKey?: Key;
  /** DER EncTicketPart with the PAC replaced by one zero byte (ticket signature, 16). */
  readonly ticketChecksumInput?: Uint8Array;
}

/** The outcome for one signature buffer. `verified` is 'not-checked' when the key or input is missing or does not fit. */
export interface PacSignatureReport {
  readonly type: string;
  readonly ulType: number;
  readonly checksumType: number;
  readonly rodcId?: number;
  readonly verified: boolean | 'not-checked';
  /** Why a signature was not checked (missing key, key of another etype, unknown checksum type). */
  readonly reason?: string;
}

export interface PacVerification {
  readonly pac: Pac;
  readonly signatures: readonly PacSignatureReport[];
}

const T = PAC_BUFFER_TYPE;
const ZEROED_FOR: Readonly<Record<number, readonly number[]>> = {
  // MS-PAC §2.8.4: the server signature covers the PAC with the server and KDC signatures zeroed.
  [T.SERVER_CHECKSUM]: [T.SERVER_CHECKSUM, T.PRIVSVR_CHECKSUM],
  // §2.8.3: the full signature is computed with server, KDC and full signatures zeroed.
  [T.FULL_CHECKSUM]: [T.SERVER_CHECKSUM, T.PRIVSVR_CHECKSUM, T.FULL_CHECKSUM],
};

/**
 * Verify each PAC signature on its own (MS-PAC §2.8) and report every one. A signature is checked
 * only with the key it needs; one that fails does not stop the others from being checked. The
 * first buffer of each type counts (§2.4: additional ones "MUST be ignored").
 */
export function verifyPac(bytes: Uint8Array, keys: VerifyPacKeys = {}): PacVerification {
  const pac = decodePac(bytes);
  const layout = pacBufferOffsets(bytes);
  const first = new Map<number, { sig: PacSignatureData; offset: number; size: number }>();
  pac.Buffers.forEach((b, i) => {
    const v = b.value;
    if (v === undefined || !SIGNATURE_BUFFER_TYPES.includes(b.ulType) || first.has(b.ulType)) return;
    if (v.type === 'SERVER_CHECKSUM' || v.type === 'PRIVSVR_CHECKSUM' || v.type === 'TICKET_CHECKSUM' || v.type === 'FULL_CHECKSUM') {
      first.set(b.ulType, { sig: v.value, offset: layout[i]!.offset, size: layout[i]!.size });
    }
  });

  const zeroedCopy = (types: readonly number[]): Uint8Array => {
    const copy = Uint8Array.from(bytes);
    for (const t of types) {
      const e = first.get(t);
      if (e !== undefined) copy.fill(0, e.offset + 4, e.offset + e.size);
    }
    return copy;
  };

  const signatures: PacSignatureReport[] = [];
  for (const [ulType, { sig }] of first) {
    const key = ulType === T.SERVER_CHECKSUM ? keys.serverKey : keys.kdcKey;
    let data: Uint8Array | undefined;
    if (ulType === T.PRIVSVR_CHECKSUM) data = first.get(T.SERVER_CHECKSUM)?.sig.Signature;
    else if (ulType === T.TICKET_CHECKSUM) data = keys.ticketChecksumInput;
    else data = zeroedCopy(ZEROED_FOR[ulType] ?? []);
    const base = {
      type: pacBufferTypeName(ulType),
      ulType,
      checksumType: sig.SignatureType,
      ...(sig.RODCIdentifier !== undefined ? { rodcId: sig.RODCIdentifier } : {}),
    };
    signatures.push({ ...base, ...check(sig, key, data, ulType) });
  }
  signatures.sort((a, b) => SIGNATURE_BUFFER_TYPES.indexOf(a.ulType) - SIGNATURE_BUFFER_TYPES.indexOf(b.ulType));
  return { pac, signatures };
}

function check(sig: PacSignatureData, key: Key | undefined, data: Uint8Array | undefined, ulType: number): Pick<PacSignatureReport, 'verified' | 'reason'> {
  if (key === undefined) return { verified: 'not-checked', reason: ulType === T.SERVER_CHECKSUM ? 'no server key' : 'no krbtgt key' };
  if (data === undefined) {
    return { verified: 'not-checked', reason: ulType === T.TICKET_CHECKSUM ? 'no ticket checksum input' : 'no server signature' };
  }
  try {
    return { verified: verifyChecksum(sig.SignatureType, key, KEY_USAGE.APP_DATA_CKSUM, data, sig.Signature) };
  } catch (e) {
    // A key of another etype, or a checksum type crypto does not implement: not a verdict on the PAC.
    if (e instanceof TgtbridgeError && (e.code === 'ERR_CRYPTO_KEY' || e.code === 'ERR_CRYPTO_ETYPE')) {
      return { verified: 'not-checked', reason: e.code === 'ERR_CRYPTO_KEY' ? 'key does not fit the checksum type' : 'unsupported checksum type' };
    }
    throw e;
  }
}
