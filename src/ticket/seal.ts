import {
  encTicketPartCodec,
  KRB5_PVNO,
  type EncTicketPart,
  type PrincipalName,
  type Ticket,
} from '../asn1/index.js';
import { decrypt, encrypt, KEY_USAGE, type Key } from '../crypto/index.js';
import { KrbError } from '../errors/index.js';
import type { RandomSource } from '../util/index.js';

export interface SealTicketInput {
  readonly realm: string;
  readonly sname: PrincipalName;
  readonly encTicketPart: EncTicketPart;
  /** The service's long-term key (for a TGT, the krbtgt or krbtgt_N key). */
  readonly key: Key;
  /** Written as EncryptedData.kvno; an RODC kvno (N << 16 | v) goes out as a signed 32-bit INTEGER. */
  readonly kvno?: number;
  readonly random?: RandomSource;
}

/**
 * Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0] 5, realm [1], sname [2], enc-part [3] }
 * RFC 4120 §5.3: enc-part is the DER EncTicketPart encrypted under the service key with key usage 2
 * (§7.5.1 "AS-REP Ticket and TGS-REP Ticket"). The etype is the key's.
 */
export function sealTicket(input: SealTicketInput): Ticket {
  return sealEncodedTicket({ ...input, encoded: encTicketPartCodec.encode(input.encTicketPart) });
}

/**
 * sealTicket for a caller that already holds the EncTicketPart's DER (a KDC encodes it anyway for
 * the MS-PAC ticket signature, encTicketPartVariants): it is encrypted as given.
 */
export function sealEncodedTicket(input: Omit<SealTicketInput, 'encTicketPart'> & { readonly encoded: Uint8Array }): Ticket {
  const plain = input.encoded;
  // Without a RandomSource, crypto's default (its pooled CSPRNG) draws the confounder.
  const cipher = input.random === undefined ? encrypt(input.key, KEY_USAGE.KDC_REP_TICKET, plain) : encrypt(input.key, KEY_USAGE.KDC_REP_TICKET, plain, input.random);
  return {
    tktVno: KRB5_PVNO,
    realm: input.realm,
    sname: input.sname,
    encPart: input.kvno === undefined ? { etype: input.key.etype, cipher } : { etype: input.key.etype, kvno: input.kvno, cipher },
  };
}

export interface OpenedTicket {
  /** Decoded; `encTicketPart.raw` is the exact decrypted DER (the MS-PAC ticket signature covers a re-encoding of it). */
  readonly encTicketPart: EncTicketPart;
  readonly raw: Uint8Array;
}

/**
 * Decrypt and decode a ticket's enc-part with the service key (usage 2). A key of another etype than
 * the enc-part's is KRB_AP_ERR_BADKEYVER — what a KDC answers for "no key of that type" (RFC 4120
 * §3.2.3, samba-lab.md: AES128/RC4 → 44); a wrong key is KRB_AP_ERR_BAD_INTEGRITY (IntegrityError).
 * kvno is the caller's business: it picks `key` by kvno.
 */
export function openTicket(ticket: Ticket, key: Key): OpenedTicket {
  if (ticket.tktVno !== KRB5_PVNO) throw new KrbError('KRB_AP_ERR_BADVERSION', `ticket tkt-vno ${ticket.tktVno}, expected 5`);
  if (ticket.encPart.etype !== key.etype) {
    throw new KrbError('KRB_AP_ERR_BADKEYVER', `ticket is encrypted with etype ${ticket.encPart.etype}, key is etype ${key.etype}`);
  }
  const raw = decrypt(key, KEY_USAGE.KDC_REP_TICKET, ticket.encPart.cipher);
  // `raw` is this function's own fresh plaintext: the decoded fields may be views into it.
  return { encTicketPart: encTicketPartCodec.decodeView(raw), raw };
}
