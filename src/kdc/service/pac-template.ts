import type { Key } from '../../crypto/index.js';
import { fillAuthtimePacTemplate, layOutPacSignatures, makeAuthtimePacTemplate, writePacSignatures, type AuthtimePacTemplate, type Pac, type PacSignatureSlots } from '../../pac/index.js';
import { allocFromSlab } from '../../util/index.js';
import { directoryPac, type DirectoryPacInput } from './directory-pac.js';

/**
 * The signed PAC of an exchange (directoryPac, MS-KILE §3.3.5.7.1) from a per-account byte
 * template. Of directoryPac's output only LOGON_INFO.LogonTime and CLIENT_INFO.ClientId (MS-PAC
 * §2.5, §2.7) depend on authtime, so the PAC is built, encoded and laid out with zeroed signature
 * buffers (pac's layOutPacSignatures) once per account, group set and target kind; each exchange
 * copies those bytes, writes the two FILETIMEs and signs in place (pac's makeAuthtimePacTemplate and
 * fillAuthtimePacTemplate). Building and encoding the PAC was about a sixth of an exchange's CPU time
 * (bench/profile-kdc.ts). The result is byte-identical to signPac over directoryPac's PAC.
 */
export interface SignedDirectoryPacInput extends DirectoryPacInput {
  readonly serverKey: Key;
  readonly kdcKey: Key;
  /** For a service ticket: the EncTicketPart with the PAC as one zero byte (MS-PAC §2.8.3); adds the ticket and full signatures. */
  readonly ticketChecksumInput?: Uint8Array;
}

/** Accounts × group sets × {TGT, service ticket} kept; the whole table is dropped when full (rebuilt on demand). */
const TEMPLATE_LIMIT = 4096;

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

function makeTemplate(input: SignedDirectoryPacInput, groups: readonly string[]): AuthtimePacTemplate | null {
  const withTicket = input.ticketChecksumInput !== undefined;
  return makeAuthtimePacTemplate((authtime) => directoryPac({ ...input, groupSids: groups, authtime }), {
    serverKey: input.serverKey, kdcKey: input.kdcKey, includeFullChecksum: withTicket, withTicket,
  });
}

export class DirectoryPacTemplates {
  readonly #templates = new Map<string, AuthtimePacTemplate | null>();

  /** What signPac({ pac: directoryPac(input), serverKey, kdcKey, ticketChecksumInput, includeFullChecksum: !!ticketChecksumInput }) returns. */
  sign(input: SignedDirectoryPacInput): Uint8Array {
    const { user, domain } = input;
    const groups = [...new Set(input.groupSids)].sort();
    const withTicket = input.ticketChecksumInput !== undefined;
    const id = templateId([
      user.objectSid, user.sAMAccountName, user.userPrincipalName, user.displayName, user.primaryGroupId, user.passwordLastSet?.getTime(),
      domain.sid, domain.netbiosName, domain.dnsDomain, input.logonServer, input.forTgt, input.attributes, input.clientName,
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
    return fillAuthtimePacTemplate(t, input.authtime, keys);
  }
}

/**
 * The PAC of a ticket issued from one of our own full TGTs: the TGT's buffers copied (issue.ts
 * decides which), laid out with zeroed signatures once per TGT PAC and target kind and re-signed in
 * place for each request (layOutPacSignatures was a twentieth of a TGT → service ticket request,
 * bench/profile-kdc.ts). Keyed by the TGT's whole PAC, so a layout is only ever reused for the
 * same bytes; byte-identical to signPac over the copied buffers.
 */
type CopiedLayout = { readonly unsigned: Uint8Array; readonly slots: PacSignatureSlots };

export class CopiedPacLayouts {
  readonly #layouts = new Map<string, CopiedLayout>();
  /**
   * The same layouts by the TGT PAC's object: a TGT served from the verified-TGT cache (tgt-cache.ts)
   * brings the same Uint8Array each time, so the lookup skips turning its kilobyte into a string key.
   */
  readonly #byObject = new WeakMap<Uint8Array, Map<string, CopiedLayout>>();

  sign(tgtPac: Uint8Array, copy: () => Pac, keys: { readonly serverKey: Key; readonly kdcKey: Key; readonly ticketChecksumInput?: Uint8Array }): Uint8Array {
    const withTicket = keys.ticketChecksumInput !== undefined;
    const kind = `${keys.serverKey.etype};${keys.kdcKey.etype};${withTicket}`;
    let mine = this.#byObject.get(tgtPac);
    let layout = mine?.get(kind);
    if (layout === undefined) {
      const id = `${kind};${Buffer.from(tgtPac.buffer, tgtPac.byteOffset, tgtPac.byteLength).toString('latin1')}`;
      layout = this.#layouts.get(id);
      if (layout === undefined) {
        const l = layOutPacSignatures({ pac: copy(), serverKey: keys.serverKey, kdcKey: keys.kdcKey, includeFullChecksum: withTicket, withTicket });
        layout = { unsigned: l.bytes, slots: l.slots };
        if (this.#layouts.size >= TEMPLATE_LIMIT) this.#layouts.clear();
        this.#layouts.set(id, layout);
      }
      if (mine === undefined) this.#byObject.set(tgtPac, (mine = new Map()));
      mine.set(kind, layout);
    }
    // Slab memory (util/slab.ts): this PAC is encoded into the ticket and dropped.
    const out = allocFromSlab(layout.unsigned.length);
    out.set(layout.unsigned);
    writePacSignatures(out, layout.slots, keys);
    return out;
  }
}
