import { DecodeError } from '../errors/index.js';
import { decodeSid, encodeSid, type Sid } from './sid.js';

/** PAC_REQUESTOR, MS-PAC §2.15 (ulType 18): a single binary SID (MS-DTYP §2.4.2.2). */
export interface PacRequestor {
  readonly Sid: Sid;
}

export function decodePacRequestor(bytes: Uint8Array, base = 0): PacRequestor {
  return { Sid: decodeSid(bytes, 'PAC_REQUESTOR.Sid', base) };
}

export function encodePacRequestor(value: PacRequestor): Uint8Array {
  return encodeSid(value.Sid);
}

/** PAC_REQUESTOR_GUID, MS-PAC §2.16 (ulType 20): a GUID (MS-DTYP §2.3.4), shown in its string form. */
export interface PacRequestorGuid {
  readonly Guid: string;
}

export function decodePacRequestorGuid(bytes: Uint8Array, base = 0): PacRequestorGuid {
  if (bytes.length !== 16) throw new DecodeError('ERR_PAC_FORMAT', 'PAC_REQUESTOR_GUID', base, `GUID of ${bytes.length} bytes`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
  const Guid = [
    v.getUint32(0, true).toString(16).padStart(8, '0'),
    v.getUint16(4, true).toString(16).padStart(4, '0'),
    v.getUint16(6, true).toString(16).padStart(4, '0'),
    hex(bytes.subarray(8, 10)),
    hex(bytes.subarray(10, 16)),
  ].join('-');
  return { Guid };
}

export function encodePacRequestorGuid(value: PacRequestorGuid): Uint8Array {
  const m = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i.exec(value.Guid);
  if (m === null) throw new RangeError('not a GUID string');
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  v.setUint32(0, parseInt(m[1]!, 16), true);
  v.setUint16(4, parseInt(m[2]!, 16), true);
  v.setUint16(6, parseInt(m[3]!, 16), true);
  out.set(Buffer.from(m[4]! + m[5]!, 'hex'), 8);
  return out;
}
