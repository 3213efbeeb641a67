import type { Pac } from './pac-type.js';
import { PAC_BUFFER_TYPE } from './pac-buffer-type.js';
import { layOutPacSignatures, writePacSignatures, type PacSignatureSlots, type PacSigningKeys, type SignPacOptions } from './sign.js';
import { allocFromSlab, bytesEqual, dateToFiletime } from '../util/index.js';

/**
 * A PAC as a byte template whose only authtime-dependent bytes are LOGON_INFO.LogonTime and
 * CLIENT_INFO.ClientId (MS-PAC §2.5, §2.7): minting and the exchange build the same PAC for an
 * account again and again, so they encode and lay it out once and, per ticket, copy the bytes, write
 * the two FILETIMEs and sign in place. Building and encoding the PAC was a sixth of an exchange's and
 * a quarter of a mint's CPU time (bench/profile-kdc.ts, bench/profile-mint.ts).
 *
 * LogonTime is found by building the PAC for two sentinel times and comparing: exactly LogonTime's
 * 8 bytes in LOGON_INFO and ClientId (CLIENT_INFO's first 8 bytes) may differ, else there is no
 * template (null) and the caller builds and signs afresh. A filled template is byte-identical to
 * signPac over the PAC built for that authtime.
 */
export interface AuthtimePacTemplate {
  /** Encoded PAC, signatures zeroed, LogonTime and ClientId as sentinel A left them. */
  readonly unsigned: Uint8Array;
  readonly slots: PacSignatureSlots;
  readonly logonTimeAt: number;
  readonly clientIdAt: number;
}

/** Whole seconds, as authtime always is (CLIENT_INFO.ClientId is truncated to seconds). */
const TIME_A = new Date(1_111_111_111_000);
const TIME_B = new Date(2_222_222_222_000);

function filetimeBytes(d: Date): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, dateToFiletime(d), true);
  return out;
}

const FILETIME_A = filetimeBytes(TIME_A);
const FILETIME_B = filetimeBytes(TIME_B);

/** x and y are equal but for 8 bytes at `at`, which hold sentinel A in x and B in y. */
function onlyAt(x: Uint8Array, y: Uint8Array, at: number): boolean {
  return (
    x.length === y.length &&
    bytesEqual(x.subarray(at, at + 8), FILETIME_A) &&
    bytesEqual(y.subarray(at, at + 8), FILETIME_B) &&
    bytesEqual(x.subarray(0, at), y.subarray(0, at)) &&
    bytesEqual(x.subarray(at + 8), y.subarray(at + 8))
  );
}

/**
 * The template of `build(authtime)` signed as `signing` says (layOutPacSignatures' options; an
 * rodcId only reserves room, its value is written per ticket), or null when more than LogonTime and
 * ClientId depend on authtime.
 */
export function makeAuthtimePacTemplate(
  build: (authtime: Date) => Pac,
  signing: Omit<SignPacOptions, 'pac' | 'ticketChecksumInput'> & { readonly withTicket: boolean },
): AuthtimePacTemplate | null {
  const a = build(TIME_A);
  const b = build(TIME_B);
  const logonIndex = a.Buffers.findIndex((x) => x.ulType === PAC_BUFFER_TYPE.LOGON_INFO);
  const clientIndex = a.Buffers.findIndex((x) => x.ulType === PAC_BUFFER_TYPE.CLIENT_INFO);
  const othersEqual =
    a.Buffers.length === b.Buffers.length &&
    a.Buffers.every((x, i) => i === logonIndex || i === clientIndex || (x.ulType === b.Buffers[i]?.ulType && bytesEqual(x.data, b.Buffers[i].data)));
  const la = a.Buffers[logonIndex]?.data;
  const lb = b.Buffers[logonIndex]?.data;
  const ca = a.Buffers[clientIndex]?.data;
  const cb = b.Buffers[clientIndex]?.data;
  if (!othersEqual || la === undefined || lb === undefined || ca === undefined || cb === undefined || !onlyAt(ca, cb, 0)) return null;
  const spots: number[] = [];
  for (let i = 0; i + 8 <= la.length; i++) if (bytesEqual(la.subarray(i, i + 8), FILETIME_A) && bytesEqual(lb.subarray(i, i + 8), FILETIME_B)) spots.push(i);
  const at = spots[0];
  if (spots.length !== 1 || at === undefined || !onlyAt(la, lb, at)) return null;
  const layout = layOutPacSignatures({ ...signing, pac: a });
  const logon = layout.buffers[logonIndex];
  const client = layout.buffers[clientIndex];
  if (logon?.ulType !== PAC_BUFFER_TYPE.LOGON_INFO || client?.ulType !== PAC_BUFFER_TYPE.CLIENT_INFO) return null;
  return { unsigned: layout.bytes, slots: layout.slots, logonTimeAt: logon.offset + at, clientIdAt: client.offset };
}

/**
 * The signed PAC for `authtime`: a copy of the template with both FILETIMEs written, signed in place.
 * The copy is slab memory (util/slab.ts): it is meant to be encoded into a ticket and dropped.
 */
export function fillAuthtimePacTemplate(t: AuthtimePacTemplate, authtime: Date, keys: PacSigningKeys): Uint8Array {
  const out = allocFromSlab(t.unsigned.length);
  out.set(t.unsigned);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const filetime = dateToFiletime(authtime);
  view.setBigUint64(t.logonTimeAt, filetime, true);
  view.setBigUint64(t.clientIdAt, filetime, true);
  writePacSignatures(out, t.slots, keys);
  return out;
}
