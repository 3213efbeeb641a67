import {
  detectMessage,
  encKdcRepPartCodec,
  KDC_OPTIONS,
  KERB_KEY_LIST_PA_TYPES,
  kerbKeyListRepCodec,
  krbErrorCodec,
  tgsRepCodec,
  type EncKdcRepPart,
  type EncryptionKey,
  type KrbErrorMessage,
  type PrincipalName,
  type TgsRep,
  type Ticket,
} from '../asn1/index.js';
import { decrypt, Key, KEY_USAGE } from '../crypto/index.js';
import { KrbError, krbErrorName, TgtbridgeError } from '../errors/index.js';
import { explainKrbError } from './explain.js';
import { buildTgsRequest, type BuiltTgsRequest, type TgsRequestInput } from './tgs-request.js';

/** A KRB-ERROR the KDC answered with: `code`/`krbCode` are its error-code, `krbError` the whole message. */
export class KdcReplyError extends KrbError {
  readonly krbError: KrbErrorMessage;
  /** explainKrbError's words for a person. */
  readonly explanation: string;

  constructor(message: KrbErrorMessage) {
    const name = krbErrorName(message.errorCode) ?? 'KRB_ERR_GENERIC';
    const explanation = explainKrbError(message.errorCode, message.eText);
    super(name, `KDC answered ${explanation}`, message.eText !== undefined ? { eText: message.eText } : {});
    this.krbError = message;
    this.explanation = explanation;
  }
}

export interface TgsResult {
  readonly ticket: Ticket;
  readonly encPart: EncKdcRepPart;
  /** The new session key (from encPart.key). */
  readonly sessionKey: Key;
  readonly rep: TgsRep;
  /** KERB-KEY-LIST-REP keys, when the request asked for them and the KDC sent them. */
  readonly keyList?: readonly EncryptionKey[];
}

function sameName(a: PrincipalName, b: PrincipalName): boolean {
  return a.nameString.length === b.nameString.length && a.nameString.every((s, i) => s === b.nameString[i]);
}

/** Is a UDP reply KRB_ERR_RESPONSE_TOO_BIG (52)? Then the transport repeats the request over TCP (RFC 4120 §7.2.1). */
export function isResponseTooBig(reply: Uint8Array): boolean {
  if (detectMessage(reply) !== 'KRB-ERROR') return false;
  try {
    return krbErrorCodec.decode(reply).errorCode === 52;
  } catch {
    return false;
  }
}

/**
 * Open a KDC's answer to a TGS-REQ. KRB-ERROR → KdcReplyError. TGS-REP → decrypt the enc-part
 * (usage 9 under the subkey when one was sent, else usage 8 under the TGT session key, RFC 4120
 * §5.4.2), accept EncTGSRepPart (26) or EncASRepPart (25), then the RFC 4120 §3.3.4 checks.
 */
export function openTgsReply(reply: Uint8Array, request: BuiltTgsRequest, input: Pick<TgsRequestInput, 'tgt' | 'sname' | 'srealm' | 'kdcOptions' | 'subkey' | 'keyListRequest'>): TgsResult {
  const kind = detectMessage(reply);
  if (kind === 'KRB-ERROR') throw new KdcReplyError(krbErrorCodec.decode(reply));
  if (kind !== 'TGS-REP') throw new TgtbridgeError('ERR_ASN1_DECODE', `the KDC answered with ${kind ?? 'something that is not a Kerberos message'}, not a TGS-REP`);
  const rep = tgsRepCodec.decode(reply);
  const key = input.subkey ?? input.tgt.sessionKey;
  const usage = input.subkey !== undefined ? KEY_USAGE.TGS_REP_ENC_PART_SUBKEY : KEY_USAGE.TGS_REP_ENC_PART_SESSION_KEY;
  if (rep.encPart.etype !== key.etype) throw new KrbError('KRB_AP_ERR_BADKEYVER', `TGS-REP enc-part etype ${rep.encPart.etype}, expected ${key.etype}`);
  const encPart = encKdcRepPartCodec.decode(decrypt(key, usage, rep.encPart.cipher));

  // The reply answers our request (nonce), for our client (crealm/cname, as MIT's TGS reply check).
  if (encPart.nonce !== request.nonce) throw new KrbError('KRB_AP_ERR_MODIFIED', 'TGS-REP nonce does not match the request');
  if (rep.crealm !== input.tgt.crealm || !sameName(rep.cname, input.tgt.cname)) {
    throw new KrbError('KRB_AP_ERR_MODIFIED', 'TGS-REP client name differs from the TGT client');
  }
  // The encrypted part describes the ticket it comes with.
  if (encPart.srealm !== rep.ticket.realm || !sameName(encPart.sname, rep.ticket.sname)) {
    throw new KrbError('KRB_AP_ERR_MODIFIED', 'TGS-REP srealm/sname differ from the ticket');
  }
  // Without canonicalize the KDC must return the name we asked for (RFC 6806 §5 allows a change only with it).
  const canonicalize = (input.kdcOptions & KDC_OPTIONS.canonicalize) !== 0;
  if (!canonicalize && (encPart.srealm !== input.srealm || !sameName(encPart.sname, input.sname))) {
    throw new KrbError('KRB_AP_ERR_MODIFIED', 'TGS-REP is for another service than requested');
  }
  const keyListPa = encPart.encryptedPaData?.find((p) => p.padataType === KERB_KEY_LIST_PA_TYPES['KERB-KEY-LIST-REP']);
  const keyList = input.keyListRequest === true && keyListPa !== undefined ? kerbKeyListRepCodec.decode(keyListPa.padataValue) : undefined;
  return {
    ticket: rep.ticket,
    encPart,
    sessionKey: Key.fromBytes(encPart.key.keytype, encPart.key.keyvalue),
    rep,
    ...(keyList !== undefined ? { keyList } : {}),
  };
}

export interface RequestTgsInput extends TgsRequestInput {
  /** Sends the DER TGS-REQ to the KDC and returns its answer (e.g. sendToKdc with UDP→TCP fallback). */
  readonly send: (der: Uint8Array) => Promise<Uint8Array>;
}

/** Build, send and open one TGS exchange (RFC 4120 §3.3). */
export async function requestTgs(input: RequestTgsInput): Promise<TgsResult> {
  const request = buildTgsRequest(input);
  const reply = await input.send(request.der);
  return openTgsReply(reply, request, input);
}
