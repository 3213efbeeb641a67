import {
  APPLICATION_TAGS,
  asRepCodec,
  encKdcRepPartCodec,
  type AsRep,
  type EncKdcRepPart,
  type EncTicketPart,
  type LastReqEntry,
  type PrincipalName,
  type Ticket,
} from '../asn1/index.js';
import { decrypt, encrypt, Key, KEY_USAGE } from '../crypto/index.js';
import { KrbError } from '../errors/index.js';
import type { RandomSource } from '../util/index.js';

export interface AsRepDeliveryInput {
  readonly ticket: Ticket;
  /** The EncTicketPart inside `ticket` (the reply repeats its key, flags and times). */
  readonly encTicketPart: EncTicketPart;
  /** The key agent and bridge agreed for this login; the enc-part is encrypted under it (usage 3). */
  readonly clientKey: Key;
  /** EncryptedData.kvno for the enc-part; absent for a per-login key. */
  readonly clientKvno?: number;
  /** The nonce the agent sent; random when the agent sent none. */
  readonly nonce?: number;
  readonly keyExpiration?: Date;
  /**
   * The client's accountExpires, when it has one. Told as Samba 4.17's AS-REP tells it (measured
   * with kinit-style AS exchanges, accountExpires = now + 30 min and + 2 h): last-req
   * [{lr-type 7, accountExpires}] and key-expiration = accountExpires, while endtime and renew-till
   * stay the ticket's; with "never" (0 or 0x7FFFFFFFFFFFFFFF) neither.
   */
  readonly accountExpires?: Date;
  readonly random: RandomSource;
}

/** lr-type 0 (RFC 4120 §5.4.2): no last-request information is conveyed; the value is authtime. */
const LR_TYPE_NONE = 0;
/** lr-type 7 (RFC 4120 §5.4.2, LR_ACCT_EXPTIME in Heimdal and MIT): lr-value is when the account expires. */
const LR_TYPE_ACCOUNT_EXPIRES = 7;

const earliest = (a: Date | undefined, b: Date | undefined): Date | undefined => (a === undefined ? b : b === undefined ? a : a.getTime() <= b.getTime() ? a : b);

function randomNonce(random: RandomSource): number {
  const b = random.bytes(4);
  // 31 bits: MIT treats the nonce as a signed Int32 and some decoders refuse negative nonces.
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) & 0x7fffffff;
}

/**
 * The Entra-style delivery of a minted TGT (entra-model.md): a DER AS-REP, RFC 4120 §5.4.2,
 * {pvno 5, msg-type 11, crealm, cname, ticket, enc-part} whose enc-part is EncASRepPart
 * ([APPLICATION 25]) encrypted with key usage 3 under the per-login client key. It carries the
 * session key, last-req, nonce, key-expiration?, flags, times, srealm and sname — what a client
 * needs to write the credential into a ccache, exactly as after a kinit.
 */
export function buildAsRepForDelivery(input: AsRepDeliveryInput): Uint8Array {
  const t = input.encTicketPart;
  const lastReq: LastReqEntry[] =
    input.accountExpires !== undefined ? [{ lrType: LR_TYPE_ACCOUNT_EXPIRES, lrValue: input.accountExpires }] : [{ lrType: LR_TYPE_NONE, lrValue: t.authtime }];
  // Heimdal: key-expiration is the earlier of the account's and the password's expiry.
  const keyExpiration = earliest(input.keyExpiration, input.accountExpires);
  const part: EncKdcRepPart = {
    applicationTag: APPLICATION_TAGS.EncASRepPart,
    key: t.key,
    lastReq,
    nonce: input.nonce ?? randomNonce(input.random),
    ...(keyExpiration !== undefined ? { keyExpiration } : {}),
    flags: t.flags,
    authtime: t.authtime,
    ...(t.starttime !== undefined ? { starttime: t.starttime } : {}),
    endtime: t.endtime,
    ...(t.renewTill !== undefined ? { renewTill: t.renewTill } : {}),
    srealm: input.ticket.realm,
    sname: input.ticket.sname,
    ...(t.caddr !== undefined ? { caddr: t.caddr } : {}),
  };
  const cipher = encrypt(input.clientKey, KEY_USAGE.AS_REP_ENC_PART, encKdcRepPartCodec.encode(part), input.random);
  const rep: AsRep = {
    crealm: t.crealm,
    cname: t.cname,
    ticket: input.ticket,
    encPart: { etype: input.clientKey.etype, ...(input.clientKvno !== undefined ? { kvno: input.clientKvno } : {}), cipher },
  };
  return asRepCodec.encode(rep);
}

export interface OpenedAsRep {
  readonly asRep: AsRep;
  readonly encPart: EncKdcRepPart;
  readonly sessionKey: Key;
}

function sameName(a: PrincipalName, b: PrincipalName): boolean {
  return a.nameString.length === b.nameString.length && a.nameString.every((s, i) => s === b.nameString[i]);
}

/**
 * Open a delivered AS-REP with the client key: decrypt the enc-part (usage 3), accept
 * EncASRepPart (25) or EncTGSRepPart (26) as RFC 4120 §5.4.2's compatibility note allows, and
 * check what binds the reply to the ticket inside it.
 */
export function openAsRep(bytes: Uint8Array, clientKey: Key, expectedNonce?: number): OpenedAsRep {
  const asRep = asRepCodec.decode(bytes);
  // The reply is for the key we hold: an etype mismatch is KRB_AP_ERR_BADKEYVER, not a decryption attempt.
  if (asRep.encPart.etype !== clientKey.etype) {
    throw new KrbError('KRB_AP_ERR_BADKEYVER', `AS-REP enc-part etype ${asRep.encPart.etype}, client key etype ${clientKey.etype}`);
  }
  const encPart = encKdcRepPartCodec.decode(decrypt(clientKey, KEY_USAGE.AS_REP_ENC_PART, asRep.encPart.cipher));
  // The nonce ties the reply to our request (RFC 4120 §3.1.5).
  if (expectedNonce !== undefined && encPart.nonce !== expectedNonce) throw new KrbError('KRB_AP_ERR_MODIFIED', 'AS-REP nonce does not match the request');
  // srealm/sname must name the ticket's service, or the ticket is not the one described (§3.1.5).
  if (encPart.srealm !== asRep.ticket.realm || !sameName(encPart.sname, asRep.ticket.sname)) {
    throw new KrbError('KRB_AP_ERR_MODIFIED', 'AS-REP srealm/sname differ from the ticket');
  }
  const sessionKey = Key.fromBytes(encPart.key.keytype, encPart.key.keyvalue);
  return { asRep, encPart, sessionKey };
}
