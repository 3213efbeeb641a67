import { KEY_USAGE, verifyChecksum, type Key } from '../../crypto/index.js';
import { DecodeError } from '../../errors/index.js';
import {
  decodePac,
  decodePacAttributesInfo,
  decodePacClientInfo,
  decodePacRequestor,
  decodePacSignatureData,
  PAC_BUFFER_TYPE,
  PAC_MAX_BUFFERS,
  type PacClientInfo,
  type PacRequestor,
  type PacSignatureData,
} from '../../pac/index.js';

/** One PAC_INFO_BUFFER (MS-PAC §2.4) and its bytes. */
export interface RawPacBuffer {
  readonly ulType: number;
  readonly offset: number;
  readonly data: Uint8Array;
}

/** What the exchange reads from a presented TGT's PAC. */
export interface PacView {
  /** Every buffer, header order. */
  readonly buffers: readonly RawPacBuffer[];
  has(ulType: number): boolean;
  readonly clientInfo: PacClientInfo | undefined;
  readonly requestor: PacRequestor | undefined;
  /** PAC_ATTRIBUTES_INFO Flags[0], when present. */
  readonly attributes: number | undefined;
  /** The server signature (6) verifies with the key given. */
  readonly serverSignatureOk: boolean;
  /** The KDC signature (7) verifies with the key given. */
  readonly kdcSignatureOk: boolean;
}

const T = PAC_BUFFER_TYPE;
const HEADER = 8;
const INFO = 16;

function fail(path: string, offset: number, reason: string): never {
  throw new DecodeError('ERR_PAC_FORMAT', path, offset, reason);
}

/** PACTYPE layout (MS-PAC §2.3–2.4) with bounds checked: every buffer inside the PAC, 8-aligned. */
function layout(bytes: Uint8Array): RawPacBuffer[] {
  if (bytes.length < HEADER) fail('PACTYPE', 0, `${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true);
  if (view.getUint32(4, true) !== 0) fail('PACTYPE.Version', 4, 'not 0');
  if (n < 1 || n > PAC_MAX_BUFFERS || HEADER + n * INFO > bytes.length) fail('PACTYPE.cBuffers', 0, `${n} buffers`);
  const out: RawPacBuffer[] = [];
  for (let i = 0; i < n; i++) {
    const at = HEADER + i * INFO;
    const size = view.getUint32(at + 4, true);
    const offset = view.getUint32(at + 8, true);
    if (view.getUint32(at + 12, true) !== 0 || offset % 8 !== 0 || offset < HEADER + n * INFO || size > bytes.length - offset) {
      fail(`PACTYPE.Buffers[${i}]`, at, 'buffer outside the PAC or misaligned');
    }
    out.push({ ulType: view.getUint32(at, true), offset, data: bytes.subarray(offset, offset + size) });
  }
  return out;
}

function verify(sig: PacSignatureData | undefined, key: Key, data: Uint8Array | undefined): boolean {
  if (sig === undefined || data === undefined) return false;
  try {
    return verifyChecksum(sig.SignatureType, key, KEY_USAGE.APP_DATA_CKSUM, data, sig.Signature);
  } catch {
    return false; // a checksum type that does not fit the key is a failed signature
  }
}

/**
 * Read a presented TGT's PAC. `deep` decodes every buffer strictly first (decodePac: NDR of
 * LOGON_INFO and all): for partial TGTs, whose PAC comes from an RODC. Our own full TGTs, whose
 * ticket decrypted under the realm krbtgt key and whose KDC signature we check, are read shallowly:
 * only the layout, CLIENT_INFO, REQUESTOR, ATTRIBUTES and the two signatures — the other buffers are
 * copied into the next ticket as they are (MS-KILE §3.3.5.7), never interpreted.
 * Server signature (MS-PAC §2.8.4): over the PAC with the server and KDC Signature bytes zeroed;
 * KDC signature (§2.8.5): over the server Signature bytes. Both usage 17 (KERB_NON_KERB_CKSUM_SALT).
 */
export function readPac(bytes: Uint8Array, key: Key, deep: boolean): PacView {
  if (deep) decodePac(bytes, { views: true }); // validation only: nothing of it is kept
  const buffers = layout(bytes);
  const first = (t: number) => buffers.find((b) => b.ulType === t);
  const decoded = <V>(t: number, f: (data: Uint8Array, base: number) => V): V | undefined => {
    const b = first(t);
    return b === undefined ? undefined : f(b.data, b.offset);
  };
  const server = decoded(T.SERVER_CHECKSUM, decodePacSignatureData);
  const kdc = decoded(T.PRIVSVR_CHECKSUM, decodePacSignatureData);
  let zeroed: Uint8Array | undefined;
  if (server !== undefined) {
    zeroed = bytes.slice();
    for (const t of [T.SERVER_CHECKSUM, T.PRIVSVR_CHECKSUM]) {
      const b = first(t);
      if (b !== undefined) zeroed.fill(0, b.offset + 4, b.offset + b.data.length);
    }
  }
  const attributes = decoded(T.ATTRIBUTES_INFO, decodePacAttributesInfo);
  return {
    buffers,
    has: (t) => first(t) !== undefined,
    clientInfo: decoded(T.CLIENT_INFO, decodePacClientInfo),
    requestor: decoded(T.REQUESTOR, decodePacRequestor),
    attributes: attributes?.Flags[0],
    serverSignatureOk: verify(server, key, zeroed),
    kdcSignatureOk: verify(kdc, key, server?.Signature),
  };
}
