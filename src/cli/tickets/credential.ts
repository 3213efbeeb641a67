import { splitKvno, ticketCodec, type EncryptionKey, type PrincipalName, type Ticket } from '../../asn1/index.js';
import { isCcacheConfigPrincipal, type Ccache, type CcacheCredential, type FilePrincipal } from '../../files/index.js';

/** The fields of a ticket's EncTicketPart / EncKDCRepPart a ccache credential repeats. */
export interface CredentialParts {
  readonly key: EncryptionKey;
  readonly flags: number;
  readonly authtime: Date;
  readonly starttime?: Date;
  readonly endtime: Date;
  readonly renewTill?: Date;
}

export function filePrincipal(name: PrincipalName, realm: string): FilePrincipal {
  return { nameType: name.nameType, components: name.nameString, realm };
}

/** A ccache credential for `ticket` (MIT ccache_file_format.rst "Credential format"). */
export function ccacheCredential(client: FilePrincipal, ticket: Ticket, parts: CredentialParts): CcacheCredential {
  return {
    client,
    server: filePrincipal(ticket.sname, ticket.realm),
    key: parts.key,
    authtime: parts.authtime,
    starttime: parts.starttime ?? parts.authtime,
    endtime: parts.endtime,
    renewTill: parts.renewTill ?? new Date(0),
    isSkey: false,
    ticketFlags: parts.flags,
    addresses: [],
    authdata: [],
    ticket: ticketCodec.encode(ticket),
    secondTicket: new Uint8Array(0),
    isConfigEntry: false,
  };
}

/** A fresh v4 ccache holding one credential, its client as default principal. */
export function singleCredentialCcache(cred: CcacheCredential): Omit<Ccache, 'version'> {
  return { headerTags: [], defaultPrincipal: cred.client, credentials: [cred] };
}

export function isTgtFor(server: FilePrincipal, realm: string): boolean {
  return server.realm === realm && server.components.length === 2 && server.components[0] === 'krbtgt' && server.components[1] === realm;
}

/**
 * The partial TGT in a ccache: a krbtgt/REALM@REALM credential whose ticket's kvno carries an RODC
 * number (high 16 bits set) — what tgtbridge minted, not a domain TGT. Returns its index too.
 */
export function findPartialTgt(cc: Ccache): { index: number; credential: CcacheCredential; ticket: Ticket; rodcNumber: number } | undefined {
  for (const [index, c] of cc.credentials.entries()) {
    if (c.isConfigEntry || isCcacheConfigPrincipal(c.server) || !isTgtFor(c.server, c.server.realm)) continue;
    let ticket: Ticket;
    try {
      ticket = ticketCodec.decode(c.ticket);
    } catch {
      continue;
    }
    const kvno = ticket.encPart.kvno;
    if (kvno === undefined) continue;
    const { rodcNumber } = splitKvno(kvno);
    if (rodcNumber !== 0) return { index, credential: c, ticket, rodcNumber };
  }
  return undefined;
}

/** The TGT for the default principal's realm (full TGT, after an exchange). */
export function findTgt(cc: Ccache): { credential: CcacheCredential; ticket: Ticket } | undefined {
  const realm = cc.defaultPrincipal.realm;
  const c = cc.credentials.find((x) => !x.isConfigEntry && isTgtFor(x.server, realm));
  return c === undefined ? undefined : { credential: c, ticket: ticketCodec.decode(c.ticket) };
}
