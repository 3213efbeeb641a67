import { asReqCodec, DerReader, tgsReqCodec, type KdcReq, type PrincipalName } from '../../asn1/index.js';
import { ETYPE, type Key } from '../../crypto/index.js';
import { KrbError, TgtbridgeError, type KrbErrorName } from '../../errors/index.js';
import type { KeySet } from '../../ticket/index.js';
import { AP_REQ_GUARDS } from './ap-req-guards.js';
import { AUTHORIZATION_DATA_GUARDS } from './authorization-data.js';
import { CLIENT_GUARDS } from './client-guards.js';
import { issueTgsRep } from './issue.js';
import { SessionKeyCache } from './key-cache.js';
import { VerifiedTgtCache } from './tgt-cache.js';
import { CopiedPacLayouts, DirectoryPacTemplates } from './pac-template.js';
import { krbErrorReply, krbErrorReplyFor, krbtgtName, type ErrorContext } from './krb-error-reply.js';
import { listenExchangeKdc, type ListenOptions, type Listening } from './listen.js';
import type { ResolvedKdc, TgsGuard, TgsState } from './tgs-state.js';
import type { ExchangeKdcOptions, RequestSource, VersionedKey } from './types.js';

/** DER tags of the two requests a KDC answers (RFC 4120 §5.4.1): [APPLICATION 10] AS-REQ, [APPLICATION 12] TGS-REQ. */
const AS_REQ_TAG = 0x6a;
const TGS_REQ_TAG = 0x6c;
/** MIT krb5kdc's default max_dgram_reply_size. */
const DEFAULT_MAX_UDP_REPLY = 4096;

export interface ExchangeKdc {
  /**
   * Answer one request: a TGS-REP or KRB-ERROR, or undefined when the bytes are no AS-REQ or TGS-REQ, or one that does not decode (dropped, as MIT and Samba do). Never throws.
   * `request` must stay unchanged until the promise settles (it is read in place, not copied).
   */
  handle(request: Uint8Array, source: RequestSource): Promise<Uint8Array | undefined>;
  /** A KRB-ERROR from this KDC that answers no particular request (the TCP framing refusals). */
  krbError(code: KrbErrorName, eText: string): Uint8Array;
  listen(options?: ListenOptions): Promise<Listening>;
}

/** Every guard a TGS-REQ passes before a ticket is issued, in order (ap-req-guards.ts, client-guards.ts, authorization-data.ts). */
export const TGS_GUARDS: readonly TgsGuard[] = [...AP_REQ_GUARDS, ...CLIENT_GUARDS, ...AUTHORIZATION_DATA_GUARDS];

function resolve(options: ExchangeKdcOptions): ResolvedKdc {
  const realm = options.realm.toUpperCase();
  const sets: readonly KeySet[] = Array.isArray(options.rodcKeys) ? options.rodcKeys : [options.rodcKeys as KeySet];
  const rodcSets = new Map<number, KeySet>();
  for (const set of sets) {
    const first = set.entries[0];
    if (first === undefined) continue;
    if (first.realm.toUpperCase() !== realm) throw new TgtbridgeError('ERR_KEY_SET', `krbtgt_${first.rodcNumber} belongs to ${first.realm}, not ${realm}`);
    rodcSets.set(first.rodcNumber, set);
  }
  const krbtgtByKvno = new Map<number, VersionedKey[]>();
  for (const k of options.krbtgtKeys) {
    if (k.kvno >>> 16 !== 0) throw new TgtbridgeError('ERR_KEY_SET', `krbtgt/${realm} kvno ${k.kvno} carries an RODC number`);
    krbtgtByKvno.set(k.kvno >>> 0, [...(krbtgtByKvno.get(k.kvno >>> 0) ?? []), k]);
  }
  const aes256 = options.krbtgtKeys.filter((k) => k.key.etype === ETYPE.AES256_CTS_HMAC_SHA1_96);
  const krbtgtCurrent = aes256.reduce<{ kvno: number; key: Key } | undefined>((a, b) => (a === undefined || b.kvno > a.kvno ? b : a), undefined);
  if (krbtgtCurrent === undefined) throw new TgtbridgeError('ERR_KEY_SET', `no AES256 key for krbtgt/${realm}`);
  return { options, realm, rodcSets, krbtgtByKvno, krbtgtCurrent, sessionKeys: new SessionKeyCache(), pacTemplates: new DirectoryPacTemplates(), copiedPacs: new CopiedPacLayouts(), verifiedTgts: new VerifiedTgtCache(options.verifiedTgtCacheSize) };
}

/**
 * The embedded exchange (issue 6): a KDC that does with RODC-issued partial TGTs what a writable
 * AD DC does (samba-lab.md), and issues service tickets from its own full TGTs. Only TGS-REQs are
 * served; an AS-REQ is refused with KDC_ERR_POLICY and e-text saying so — this KDC holds no user
 * passwords, sign-in happens at the bridge (KDC_ERR_WRONG_REALM would send clients looking for
 * another KDC of the same realm, PADATA_TYPE_NOSUPP would read as a pre-auth problem). FAST
 * (RFC 6113) is not implemented and never advertised: no PA-FX-FAST in any reply.
 */
export function createExchangeKdc(options: ExchangeKdcOptions): ExchangeKdc {
  const kdc = resolve(options);
  const maxUdpReply = options.maxUdpReplyBytes ?? DEFAULT_MAX_UDP_REPLY;
  const ctx: ErrorContext = { realm: kdc.realm };

  async function handleTgs(bytes: Uint8Array, source: RequestSource): Promise<Uint8Array | undefined> {
    const now = options.clock.now();
    let req: KdcReq;
    try {
      // Views into the request (handle's contract: the caller leaves it unchanged): no copies of its kilobyte ticket.
      req = tgsReqCodec.read(DerReader.of(bytes, tgsReqCodec.name, true));
    } catch (e) {
      if (e instanceof TgtbridgeError) return undefined; // undecodable: dropped (see handle)
      throw e;
    }
    const s: TgsState = { kdc, req, source, now };
    try {
      for (const guard of TGS_GUARDS) {
        // Most guards are synchronous: await only the ones that consult the directory or the replay cache.
        const pending = guard(s);
        if (pending !== undefined) await pending;
      }
      return await issueTgsRep(s);
    } catch (e) {
      const where: ErrorContext = {
        realm: kdc.realm,
        ...(req.reqBody.sname !== undefined ? { sname: req.reqBody.sname } : {}),
        ...(s.enc !== undefined ? { crealm: s.enc.crealm, cname: s.enc.cname } : {}),
      };
      if (e instanceof KrbError) return krbErrorReplyFor(e, where, now);
      // Anything else is a bug or input no decoder caught: answer, never crash (details stay in the server).
      return krbErrorReply('KRB_ERR_GENERIC', e instanceof TgtbridgeError ? e.message : 'internal error', where, now);
    }
  }

  function handleAs(bytes: Uint8Array): Uint8Array | undefined {
    let sname: PrincipalName;
    try {
      sname = asReqCodec.read(DerReader.of(bytes, asReqCodec.name, true)).reqBody.sname ?? krbtgtName(kdc.realm);
    } catch {
      return undefined; // undecodable: dropped (see handle)
    }
    return krbErrorReply(
      'KDC_ERR_POLICY',
      'this KDC only exchanges partial TGTs (TGS-REQ); it holds no passwords: sign in at the bridge to get a TGT',
      { realm: kdc.realm, sname },
      options.clock.now(),
    );
  }

  /**
   * A request whose outer KDC-REQ does not decode is dropped, never answered: MIT krb5kdc 1.20 and
   * Samba 4.17's KDC send nothing for one over UDP and close a TCP connection that carries one
   * (measured: `6c 00`, a truncated TGS-REQ, `6a 00`). Over UDP an answer would also make this KDC
   * a reflector: a 2-byte datagram with a forged source drew a 159–201-byte KRB-ERROR, 80–100 times
   * its size, aimed at whoever the source named. Past that outer layer every refusal is a KRB-ERROR.
   *
   * Octets after the request's DER element are ignored (read, not decodeAll): MIT and Samba answer
   * a TGS-REQ followed by a stray octet exactly as without it (measured), and nothing after the
   * element is covered by any checksum or used, so refusing it would only differ from them.
   */
  async function handle(request: Uint8Array, source: RequestSource): Promise<Uint8Array | undefined> {
    try {
      let reply: Uint8Array | undefined;
      if (request[0] === TGS_REQ_TAG) reply = await handleTgs(request, source);
      else if (request[0] === AS_REQ_TAG) reply = handleAs(request);
      else return undefined;
      if (reply === undefined) return undefined;
      if (source.transport === 'udp' && reply.length > maxUdpReply) {
        return krbErrorReply('KRB_ERR_RESPONSE_TOO_BIG', 'the reply does not fit in a datagram: retry over TCP', ctx, options.clock.now());
      }
      return reply;
    } catch {
      return undefined;
    }
  }

  const kdcService: ExchangeKdc = {
    handle,
    krbError: (code, eText) => krbErrorReply(code, eText, ctx, options.clock.now()),
    listen: (o = {}) => listenExchangeKdc(kdcService, o),
  };
  return kdcService;
}
