import {
  apReqCodec,
  authenticatorCodec,
  kdcReqBodyCodec,
  KERB_KEY_LIST_PA_TYPES,
  kerbKeyListReqCodec,
  PA_DATA_TYPES,
  paPacOptionsCodec,
  tgsReqCodec,
  TICKET_FLAGS,
  type Authenticator,
  type KdcReqBody,
  type PaData,
  type PrincipalName,
  type Ticket,
} from '../asn1/index.js';
import { checksum, encrypt, ETYPE, KEY_USAGE, mandatoryChecksumType, type Key } from '../crypto/index.js';
import type { Clock, RandomSource } from '../util/index.js';

/** The TGT a TGS-REQ is made with: its ticket, session key and client name (a ccache credential). */
export interface TgtCredential {
  readonly ticket: Ticket;
  readonly sessionKey: Key;
  readonly crealm: string;
  readonly cname: PrincipalName;
}

/** Ticket flags whose KDC option of the same bit asks the KDC to set them again (RFC 4120 §5.4.1 numbers both alike). */
const ASKED_AGAIN = (TICKET_FLAGS.forwardable | TICKET_FLAGS.proxiable | TICKET_FLAGS.renewable) >>> 0;

/**
 * The KDC options for a TGS-REQ made with a TGT of `tgtFlags`: `wanted` (e.g. forwardable |
 * renewable) less whatever of FORWARDABLE, PROXIABLE and RENEWABLE the TGT does not carry. A DC
 * refuses those with 13 when the TGT lacks the flag (Samba 4.17, Heimdal's check_tgs_flags); MIT's
 * client likewise asks only for the flags its TGT has (get_creds.c, KDC_TKT_COMMON_MASK).
 */
export function kdcOptionsFor(tgtFlags: number, wanted: number): number {
  return (wanted & ~(ASKED_AGAIN & ~tgtFlags)) >>> 0;
}

export interface TgsRequestInput {
  readonly tgt: TgtCredential;
  readonly sname: PrincipalName;
  /** The realm of the service (KDC-REQ-BODY.realm). */
  readonly srealm: string;
  /** KDCOptions, MIT bit numbering (KDC_OPTIONS). */
  readonly kdcOptions: number;
  readonly till: Date;
  readonly rtime?: Date;
  /** Etypes for the new session key, in preference order. Default: 18, 17. */
  readonly etypes?: readonly number[];
  /** A subkey for the authenticator; the reply is then encrypted under it (usage 9). */
  readonly subkey?: Key;
  /** PA-PAC-OPTIONS flags (MS-KILE §2.2.10), e.g. claims | branch-aware. Absent → not sent. */
  readonly paPacOptions?: number;
  /**
   * KERB-KEY-LIST-REQ for the NT hash (etype 23) — MS-KILE §3.3.5.7.8. Only when asked for
   * explicitly: it makes the DC send the user's long-term key.
   */
  readonly keyListRequest?: boolean;
  /** Further PA-DATA, sent after PA-TGS-REQ. */
  readonly padata?: readonly PaData[];
  readonly additionalTickets?: readonly Ticket[];
  readonly clock: Clock;
  readonly random: RandomSource;
}

export interface BuiltTgsRequest {
  /** DER TGS-REQ, ready to send. */
  readonly der: Uint8Array;
  /** The body with `raw`: the exact octets the authenticator checksum covers. */
  readonly body: KdcReqBody;
  readonly authenticator: Authenticator;
  readonly nonce: number;
}

export const DEFAULT_TGS_ETYPES: readonly number[] = [ETYPE.AES256_CTS_HMAC_SHA1_96, ETYPE.AES128_CTS_HMAC_SHA1_96];

/** A 31-bit nonce: MIT and Windows read it as Int32; keeping it positive avoids sign surprises. */
export function randomNonce(random: RandomSource): number {
  const b = random.bytes(4);
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) & 0x7fffffff;
}

/**
 * Build a TGS-REQ, RFC 4120 §5.4.1 / §3.3.1:
 *  - the KDC-REQ-BODY is encoded once and those exact octets are checksummed: RFC 4120 §7.2's
 *    "checksum over the body" in the authenticator, key usage 6, with the session key's mandatory
 *    checksum type (RFC 3961 §4) — Heimdal-based KDCs answer KRB_AP_ERR_INAPP_CKSUM without it;
 *  - the authenticator (ctime/cusec from the clock, optional subkey) is encrypted with the TGT
 *    session key, usage 7, and sent as PA-TGS-REQ = AP-REQ (RFC 4120 §5.2.7.1);
 *  - PA-PAC-OPTIONS and KERB-KEY-LIST-REQ follow only when asked for.
 * No FAST armor (RFC 6113): MIT krb5kdc 1.20 answers unarmored TGS-REQs, and its TGS KRB-ERRORs
 * carry no e-data, so no PA-FX-FAST advertisement (measured: KDC_ERR_S_PRINCIPAL_UNKNOWN with e-text
 * LOOKING_UP_SERVER); MIT advertises FAST in AS-exchange errors, which is why MIT's own clients
 * armor later TGS-REQs (mit-lab.md). Samba and Windows accept unarmored TGS-REQs too.
 */
export function buildTgsRequest(input: TgsRequestInput): BuiltTgsRequest {
  const nonce = randomNonce(input.random);
  const bodyFields: KdcReqBody = {
    kdcOptions: input.kdcOptions >>> 0,
    realm: input.srealm,
    sname: input.sname,
    till: input.till,
    ...(input.rtime !== undefined ? { rtime: input.rtime } : {}),
    nonce,
    etype: input.etypes ?? DEFAULT_TGS_ETYPES,
    ...(input.additionalTickets !== undefined ? { additionalTickets: input.additionalTickets } : {}),
  };
  const raw = kdcReqBodyCodec.encode(bodyFields);
  const body: KdcReqBody = { ...bodyFields, raw };

  const key = input.tgt.sessionKey;
  const cksumtype = mandatoryChecksumType(key.etype);
  const nowMs = input.clock.now().getTime();
  const authenticator: Authenticator = {
    crealm: input.tgt.crealm,
    cname: input.tgt.cname,
    cksum: { cksumtype, checksum: checksum(cksumtype, key, KEY_USAGE.TGS_REQ_AUTH_CKSUM, raw) },
    cusec: (((nowMs % 1000) + 1000) % 1000) * 1000,
    ctime: new Date(Math.floor(nowMs / 1000) * 1000),
    ...(input.subkey !== undefined ? { subkey: { keytype: input.subkey.etype, keyvalue: input.subkey.exportBytes() } } : {}),
  };
  const apReq = apReqCodec.encode({
    apOptions: 0,
    ticket: input.tgt.ticket,
    authenticator: {
      etype: key.etype,
      cipher: encrypt(key, KEY_USAGE.TGS_REQ_AUTH, authenticatorCodec.encode(authenticator), input.random),
    },
  });
  const padata: PaData[] = [{ padataType: PA_DATA_TYPES['PA-TGS-REQ'], padataValue: apReq }];
  if (input.paPacOptions !== undefined) {
    padata.push({ padataType: PA_DATA_TYPES['PA-PAC-OPTIONS'], padataValue: paPacOptionsCodec.encode({ flags: input.paPacOptions >>> 0 }) });
  }
  if (input.keyListRequest === true) {
    padata.push({ padataType: KERB_KEY_LIST_PA_TYPES['KERB-KEY-LIST-REQ'], padataValue: kerbKeyListReqCodec.encode([ETYPE.RC4_HMAC]) });
  }
  padata.push(...(input.padata ?? []));
  // DER is canonical: re-encoding the same fields gives `raw` again, so the wire carries the checksummed octets.
  const der = tgsReqCodec.encode({ padata, reqBody: body });
  return { der, body, authenticator, nonce };
}
