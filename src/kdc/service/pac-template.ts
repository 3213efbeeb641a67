import type { Key } from '../../crypto/index.js';
import { layOutPacSignatures, PAC_BUFFER_TYPE, writePacSignatures, type Pac, type PacSignatureSlots } from '../../pac/index.js';
import { bytesEqual, dateToFiletime } from '../../util/index.js';
import { directoryPac, type DirectoryPacInput } from './directory-pac.js';

/**
 * The signed PAC of an exchange (directoryPac, MS-KILE §3.3.5.7.1) from a per-account byte
 * template. Of directoryPac's output only LOGON_INFO.LogonTime and CLIENT_INFO.ClientId (MS-PAC
 * §2.5, §2.7) depend on authtime, so the PAC is built, encoded and laid out with zeroed signature
 * buffers (pac's layOutPacSignatures) once per account, group set and target kind; each exchange
 * copies those bytes, writes the two FILETIMEs and signs in place (writePacSignatures). Building and
 * encoding the PAC was about a sixth of an exchange's CPU time (bench/profile-kdc.ts).
 *
 * The template finds LogonTime by building the PAC for two sentinel times and comparing: exactly
 * the 8 bytes of LogonTime in LOGON_INFO and ClientId (CLIENT_INFO's first 8 bytes) may differ, or
 * no template is made and every exchange builds the PAC afresh. The result is byte-identical to
 * signPac over directoryPac's PAC.
 */
interface PacTemplate {
  /** Encoded PAC, signatures zeroed, LogonTime and ClientId as the sentinel A left them. */
  readonly unsigned: Uint8Array;
  readonly slots: PacSignatureSlots;
  readonly logonTimeAt: number;
  readonly clientIdAt: number;
}

export interface SignedDirectoryPacInput extends DirectoryPacInput {
  readonly serverKey: Key;
  readonly kdcKey: Key;
  /** For a service ticket: the EncTicketPart with the PAC as one zero byte (MS-PAC §2.8.3); adds the ticket and full signatures. */
  readonly ticketChecksumInput?: Uint8Array;
}

/** Accounts × group sets × {TGT, service ticket} kept; the whole table is dropped when full (rebuilt on demand). */
const TEMPLATE_LIMIT = 4096;
/** Whole seconds, as authtime always is. */
const TIME_A = new Date(1_111_111_111_000);
const TIME_B = new Date(2_222_222_222_000);

/** An unambiguous key: each part length-prefixed (any character may occur in a name). */
function templateId(parts: readonly (string | number | boolean | undefined)[]): string {
  let id = '';
  for (const p of parts) {
    if (p === undefined) id += 'u;';
    else if (typeof p === 'string') id += `${p.length}:${p};`;
    else id += `${String(p)};`;
  }
  return id;
}

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

function makeTemplate(input: SignedDirectoryPacInput, groups: readonly string[]): PacTemplate | null {
  const a: Pac = directoryPac({ ...input, groupSids: groups, authtime: TIME_A });
  const b: Pac = directoryPac({ ...input, groupSids: groups, authtime: TIME_B });
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
  const layout = layOutPacSignatures({ pac: a, serverKey: input.serverKey, kdcKey: input.kdcKey, includeFullChecksum: input.ticketChecksumInput !== undefined, withTicket: input.ticketChecksumInput !== undefined });
  const logon = layout.buffers[logonIndex];
  const client = layout.buffers[clientIndex];
  if (logon?.ulType !== PAC_BUFFER_TYPE.LOGON_INFO || client?.ulType !== PAC_BUFFER_TYPE.CLIENT_INFO) return null;
  return { unsigned: layout.bytes, slots: layout.slots, logonTimeAt: logon.offset + at, clientIdAt: client.offset };
}

export class DirectoryPacTemplates {
  readonly #templates = new Map<string, PacTemplate | null>();

  /** What signPac({ pac: directoryPac(input), serverKey, kdcKey, ticketChecksumInput, includeFullChecksum: !!ticketChecksumInput }) returns. */
  sign(input: SignedDirectoryPacInput): Uint8Array {
    const { user, domain } = input;
    const groups = [...new Set(input.groupSids)].sort();
    const withTicket = input.ticketChecksumInput !== undefined;
    const id = templateId([
      user.objectSid, user.sAMAccountName, user.userPrincipalName, user.displayName, user.primaryGroupId, user.passwordLastSet?.getTime(),
      domain.sid, domain.netbiosName, domain.dnsDomain, input.logonServer, input.forTgt, input.attributes,
      input.serverKey.etype, input.kdcKey.etype, withTicket, groups.length, ...groups,
    ]);
    let t = this.#templates.get(id);
    if (t === undefined) {
      t = makeTemplate(input, groups);
      if (this.#templates.size >= TEMPLATE_LIMIT) this.#templates.clear();
      this.#templates.set(id, t);
    }
    const keys = { serverKey: input.serverKey, kdcKey: input.kdcKey, ...(withTicket ? { ticketChecksumInput: input.ticketChecksumInput } : {}) };
    if (t === null) {
      const layout = layOutPacSignatures({ pac: directoryPac(input), serverKey: input.serverKey, kdcKey: input.kdcKey, includeFullChecksum: withTicket, withTicket });
      writePacSignatures(layout.bytes, layout.slots, keys);
      return layout.bytes;
    }
    const out = t.unsigned.slice();
    const view = new DataView(out.buffer);
    const filetime = dateToFiletime(input.authtime);
    view.setBigUint64(t.logonTimeAt, filetime, true);
    view.setBigUint64(t.clientIdAt, filetime, true);
    writePacSignatures(out, t.slots, keys);
    return out;
  }
}

/**
 * The PAC of a ticket issued from one of our own full TGTs: the TGT's buffers copied (issue.ts
 * decides which), laid out with zeroed signatures once per TGT PAC and target kind and re-signed in
 * place for each request (layOutPacSignatures was a twentieth of a TGT → service ticket request,
 * bench/profile-kdc.ts). Keyed by the TGT's whole PAC, so a layout is only ever reused for the
 * same bytes; byte-identical to signPac over the copied buffers.
 */
export class CopiedPacLayouts {
  readonly #layouts = new Map<string, { readonly unsigned: Uint8Array; readonly slots: PacSignatureSlots }>();

  sign(tgtPac: Uint8Array, copy: () => Pac, keys: { readonly serverKey: Key; readonly kdcKey: Key; readonly ticketChecksumInput?: Uint8Array }): Uint8Array {
    const withTicket = keys.ticketChecksumInput !== undefined;
    const id = `${keys.serverKey.etype};${keys.kdcKey.etype};${withTicket};${Buffer.from(tgtPac.buffer, tgtPac.byteOffset, tgtPac.byteLength).toString('latin1')}`;
    let layout = this.#layouts.get(id);
    if (layout === undefined) {
      const l = layOutPacSignatures({ pac: copy(), serverKey: keys.serverKey, kdcKey: keys.kdcKey, includeFullChecksum: withTicket, withTicket });
      layout = { unsigned: l.bytes, slots: l.slots };
      if (this.#layouts.size >= TEMPLATE_LIMIT) this.#layouts.clear();
      this.#layouts.set(id, layout);
    }
    const out = layout.unsigned.slice();
    writePacSignatures(out, layout.slots, keys);
    return out;
  }
}
