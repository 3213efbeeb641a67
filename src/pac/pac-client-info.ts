import { stringToUtf16le, utf16leToString } from '../ndr/index.js';
import { LeReader } from './le-reader.js';

/**
 * PAC_CLIENT_INFO, MS-PAC §2.7 (ulType 10; not NDR):
 *
 *   typedef struct _PAC_CLIENT_INFO {
 *     FILETIME ClientId;    // the TGT's authtime
 *     USHORT NameLength;    // bytes
 *     WCHAR Name[1];        // UTF-16LE, no NUL
 *   } PAC_CLIENT_INFO;
 */
export interface PacClientInfo {
  readonly ClientId: bigint;
  readonly Name: string;
}

const ROOT = 'PAC_CLIENT_INFO';

export function decodePacClientInfo(bytes: Uint8Array, base = 0): PacClientInfo {
  const r = new LeReader(bytes, base, ROOT);
  const ClientId = r.u64('ClientId');
  const lengthAt = r.pos;
  const NameLength = r.u16('NameLength');
  if (NameLength % 2 !== 0) r.fail('NameLength', `odd length ${NameLength}`, lengthAt);
  const Name = utf16leToString(r.bytes('Name', NameLength));
  r.end();
  return { ClientId, Name };
}

export function encodePacClientInfo(info: PacClientInfo): Uint8Array {
  const name = stringToUtf16le(info.Name);
  if (name.length > 0xffff) throw new RangeError('PAC_CLIENT_INFO Name too long');
  const out = new Uint8Array(10 + name.length);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, info.ClientId, true);
  view.setUint16(8, name.length, true);
  out.set(name, 10);
  return out;
}
