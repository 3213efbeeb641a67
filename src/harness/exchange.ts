import {
  AD_TYPES,
  apReqCodec,
  authenticatorCodec,
  authorizationDataCodec,
  kdcReqBodyCodec,
  KDC_OPTIONS,
  NAME_TYPES,
  PA_DATA_TYPES,
  tgsReqCodec,
  type Authenticator,
  type EncryptedData,
  type KdcReqBody,
  type PrincipalName,
} from '../asn1/index.js';
import { checksum, encrypt, KEY_USAGE, mandatoryChecksumType, type Key } from '../crypto/index.js';
import { krbErrorName, TgtbridgeError } from '../errors/index.js';
import { DEFAULT_TGS_ETYPES, KdcReplyError, openTgsReply, randomNonce, type BuiltTgsRequest, type TgsResult, type TgtCredential } from '../kdc/index.js';
import type { Clock, RandomSource } from '../util/index.js';
import type { MintedForProbe } from './mint.js';
import type { EncAuthorizationDataVariant, Mutation, ProbeTarget, RequestSpec } from './scenario.js';

/** What came back: a KRB-ERROR, a TGS-REP that opened and passed RFC 4120 §3.3.4's checks, or neither. */
export type ExchangeOutcome =
  | { readonly kind: 'error'; readonly code: number; readonly name: string; readonly eText?: string }
  | { readonly kind: 'reply'; readonly result: TgsResult }
  | { readonly kind: 'failure'; readonly code: string; readonly message: string };

export interface ProbeExchangeInput {
  readonly minted: MintedForProbe;
  readonly realm: string;
  readonly target: ProbeTarget;
  /** The cifs SPN without realm, `cifs/dc1.samba.test`. */
  readonly cifsSpn: string;
  /** The sAMAccountName of the account holding the SPN (DC1$), for request.snameAccount. */
  readonly cifsAccount?: string;
  readonly request?: RequestSpec;
  readonly mutations?: readonly Mutation[];
  readonly send: (der: Uint8Array) => Promise<Uint8Array>;
  readonly clock: Clock;
  readonly random: RandomSource;
}

/** The PrincipalName a target names: krbtgt/REALM or the cifs SPN, both NT-SRV-INST as MIT sends them. */
export function targetSname(target: ProbeTarget, realm: string, cifsSpn: string): PrincipalName {
  return { nameType: NAME_TYPES['NT-SRV-INST'], nameString: target === 'krbtgt' ? ['krbtgt', realm] : cifsSpn.split('/') };
}

const LIFETIME_SEC = 10 * 3600;
/** The address a FORWARDED or PROXY request names: 192.0.2.1 (RFC 5737 TEST-NET-1), ADDRTYPE-INET (RFC 4120 §7.5.3). */
const READDRESSED_TO = { addrType: 2, address: Uint8Array.of(192, 0, 2, 1) } as const;
const RENEW_SEC = 7 * 86400;

/** The request's enc-authorization-data for a variant (scenario.ts), encrypted under the TGT session key. */
function encAuthorizationData(variant: EncAuthorizationDataVariant, key: Key, random: RandomSource): EncryptedData {
  const restriction = authorizationDataCodec.encode([{ adType: AD_TYPES['AD-IF-RELEVANT'], adData: authorizationDataCodec.encode([{ adType: 999, adData: Uint8Array.of(1) }]) }]);
  const [usage, plain] =
    variant === 'usage-5-without-subkey' ? [KEY_USAGE.TGS_REQ_AD_SUBKEY, restriction] : [KEY_USAGE.TGS_REQ_AD_SESSION_KEY, Uint8Array.of(1, 2, 3, 4)];
  return { etype: key.etype, cipher: encrypt(key, usage, plain, random) };
}

/**
 * A TGS-REQ as kdc's buildTgsRequest makes it (RFC 4120 §5.4.1, body checksum usage 6,
 * authenticator usage 7), with the scenario's mutations applied at their stage: the ticket record
 * before it goes into the AP-REQ, the authenticator before it is encrypted, the DER at the end.
 */
export function buildProbeRequest(input: ProbeExchangeInput): { readonly built: BuiltTgsRequest; readonly tgt: TgtCredential; readonly kdcOptions: number; readonly sname: PrincipalName } {
  const mutations = input.mutations ?? [];
  const minted = input.minted;
  const ticket = mutations.reduce((t, m) => (m.ticket ? m.ticket(t, minted) : t), minted.ticket);
  const tgt: TgtCredential = { ticket, sessionKey: minted.sessionKey, crealm: minted.encTicketPart.crealm, cname: minted.encTicketPart.cname };
  const request = input.request ?? {};
  const renewable = request.renewable === true;
  const kdcOptions =
    (KDC_OPTIONS.forwardable |
      (renewable ? KDC_OPTIONS.renewable : 0) |
      (request.proxiable === true ? KDC_OPTIONS.proxiable : 0) |
      (request.readdress !== undefined ? KDC_OPTIONS[request.readdress] : 0) |
      (request.anonymous === true ? KDC_OPTIONS['request-anonymous'] : 0)) >>>
    0;
  const realm = request.realmInLowerCase === true ? input.realm.toLowerCase() : input.realm;
  const named = targetSname(input.target, realm, input.cifsSpn);
  const sname =
    request.snameAccount === true && input.cifsAccount !== undefined
      ? { nameType: NAME_TYPES['NT-PRINCIPAL'], nameString: [input.cifsAccount] }
      : request.snameOneComponent === true
        ? { nameType: named.nameType, nameString: [named.nameString.join('/')] }
        : named;
  const nowMs = input.clock.now().getTime();
  const nonce = randomNonce(input.random);
  const fields: KdcReqBody = {
    kdcOptions,
    realm,
    sname,
    ...(request.fromSec !== undefined ? { from: new Date(Math.floor(nowMs / 1000) * 1000 + request.fromSec * 1000) } : {}),
    till: new Date(nowMs + LIFETIME_SEC * 1000),
    ...(renewable ? { rtime: new Date(nowMs + RENEW_SEC * 1000) } : {}),
    nonce,
    etype: DEFAULT_TGS_ETYPES,
    ...(request.readdress !== undefined ? { addresses: [READDRESSED_TO] } : {}),
    ...(request.encAuthorizationData !== undefined ? { encAuthorizationData: encAuthorizationData(request.encAuthorizationData, tgt.sessionKey, input.random) } : {}),
  };
  const raw = kdcReqBodyCodec.encode(fields);
  const key = tgt.sessionKey;
  const cksumtype = mandatoryChecksumType(key.etype);
  const plain: Authenticator = {
    crealm: tgt.crealm,
    cname: tgt.cname,
    cksum: { cksumtype, checksum: checksum(cksumtype, key, KEY_USAGE.TGS_REQ_AUTH_CKSUM, raw) },
    cusec: (nowMs % 1000) * 1000,
    ctime: new Date(Math.floor(nowMs / 1000) * 1000),
  };
  const authenticator = mutations.reduce((a, m) => (m.authenticator ? m.authenticator(a) : a), plain);
  const apReq = apReqCodec.encode({
    apOptions: 0,
    ticket,
    authenticator: { etype: key.etype, cipher: encrypt(key, KEY_USAGE.TGS_REQ_AUTH, authenticatorCodec.encode(authenticator), input.random) },
  });
  const body: KdcReqBody = { ...fields, raw };
  const der0 = tgsReqCodec.encode({ padata: [{ padataType: PA_DATA_TYPES['PA-TGS-REQ'], padataValue: apReq }], reqBody: body });
  const der = mutations.reduce((d, m) => (m.wire ? m.wire(d) : d), der0);
  return { built: { der, body, authenticator, nonce }, tgt, kdcOptions, sname };
}

/** Send one scenario's TGS-REQ and classify the answer. Transport failures are outcomes too, not throws. */
export async function probeExchange(input: ProbeExchangeInput): Promise<ExchangeOutcome> {
  const { built, tgt, kdcOptions, sname } = buildProbeRequest(input);
  let reply: Uint8Array;
  try {
    reply = await input.send(built.der);
  } catch (e) {
    return failure(e);
  }
  try {
    return { kind: 'reply', result: openTgsReply(reply, built, { tgt, sname, srealm: input.realm, kdcOptions }) };
  } catch (e) {
    if (e instanceof KdcReplyError) {
      const code = e.krbError.errorCode;
      return { kind: 'error', code, name: krbErrorName(code) ?? `KRB_ERROR_${code}`, ...(e.krbError.eText !== undefined ? { eText: e.krbError.eText } : {}) };
    }
    return failure(e);
  }
}

function failure(e: unknown): ExchangeOutcome {
  if (e instanceof TgtbridgeError) return { kind: 'failure', code: e.code, message: e.message };
  return { kind: 'failure', code: 'ERROR', message: e instanceof Error ? e.message : String(e) };
}
