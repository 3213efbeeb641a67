import {
  encKrbCredPartCodec,
  krbCredCodec,
  type EncKdcRepPart,
  type EncKrbCredPart,
  type EncTicketPart,
  type KrbCredInfo,
  type Ticket,
} from '../asn1/index.js';
import { decrypt, encrypt, KEY_USAGE, type Key } from '../crypto/index.js';
import { KrbError } from '../errors/index.js';
import type { RandomSource } from '../util/index.js';

/** What a KrbCredInfo repeats of a ticket: its session key, flags and times (RFC 4120 §5.8.1). */
export type CredentialPart = Pick<EncTicketPart | EncKdcRepPart, 'key' | 'flags' | 'authtime' | 'starttime' | 'endtime' | 'renewTill'>;

/** KrbCredInfo for `ticket` held by client crealm/cname (RFC 4120 §5.8.1): every optional field filled, as MIT does. */
export function krbCredInfo(ticket: Ticket, part: CredentialPart, client: Pick<EncTicketPart, 'crealm' | 'cname'>): KrbCredInfo {
  return {
    key: part.key,
    prealm: client.crealm,
    pname: client.cname,
    flags: part.flags,
    authtime: part.authtime,
    ...(part.starttime !== undefined ? { starttime: part.starttime } : {}),
    endtime: part.endtime,
    ...(part.renewTill !== undefined ? { renewTill: part.renewTill } : {}),
    srealm: ticket.realm,
    sname: ticket.sname,
  };
}

/** etype of an unencrypted EncKrbCredPart (RFC 6448 §2; what .kirbi files and MIT's "no key" forwarding use). */
const NULL_ETYPE = 0;

/**
 * KRB-CRED, RFC 4120 §5.8: the tickets and an EncKrbCredPart with their keys, encrypted under `key`
 * with key usage 14 — or, without a key, sent in the clear with etype 0 (RFC 6448), which only a
 * channel that is itself protected may carry.
 */
export function buildKrbCred(input: {
  readonly tickets: readonly Ticket[];
  readonly ticketInfo: readonly KrbCredInfo[];
  readonly key?: Key;
  readonly nonce?: number;
  readonly random?: RandomSource;
}): Uint8Array {
  if (input.tickets.length !== input.ticketInfo.length) throw new RangeError('one KrbCredInfo per ticket');
  const part: EncKrbCredPart = { ticketInfo: input.ticketInfo, ...(input.nonce !== undefined ? { nonce: input.nonce } : {}) };
  const plain = encKrbCredPartCodec.encode(part);
  const encPart =
    input.key === undefined
      ? { etype: NULL_ETYPE, cipher: plain }
      : { etype: input.key.etype, cipher: input.random === undefined ? encrypt(input.key, KEY_USAGE.KRB_CRED_ENC_PART, plain) : encrypt(input.key, KEY_USAGE.KRB_CRED_ENC_PART, plain, input.random) };
  return krbCredCodec.encode({ tickets: input.tickets, encPart });
}

/** Open a KRB-CRED: decrypt its enc-part with `key` (usage 14), or read it in the clear when its etype is 0. */
export function openKrbCred(bytes: Uint8Array, key?: Key): { readonly tickets: readonly Ticket[]; readonly encPart: EncKrbCredPart } {
  const cred = krbCredCodec.decode(bytes);
  let plain: Uint8Array;
  if (cred.encPart.etype === NULL_ETYPE) plain = cred.encPart.cipher;
  else {
    // A KRB-CRED under a key we do not hold is not readable; an etype mismatch is KRB_AP_ERR_BADKEYVER.
    if (key === undefined || key.etype !== cred.encPart.etype) throw new KrbError('KRB_AP_ERR_BADKEYVER', `KRB-CRED enc-part is etype ${cred.encPart.etype}; no key of that etype given`);
    plain = decrypt(key, KEY_USAGE.KRB_CRED_ENC_PART, cred.encPart.cipher);
  }
  const encPart = encKrbCredPartCodec.decode(plain);
  if (encPart.ticketInfo.length !== cred.tickets.length) throw new KrbError('KRB_AP_ERR_MODIFIED', 'KRB-CRED has a different number of tickets and ticket infos');
  return { tickets: cred.tickets, encPart };
}
