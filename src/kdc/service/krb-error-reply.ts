import { krbErrorCodec, NAME_TYPES, type PrincipalName } from '../../asn1/index.js';
import { KRB_ERROR_CODES, type KrbError, type KrbErrorName } from '../../errors/index.js';

/** What a refusal names besides its code: the server principal asked for and the client, when known. */
export interface ErrorContext {
  readonly realm: string;
  readonly sname?: PrincipalName;
  readonly crealm?: string;
  readonly cname?: PrincipalName;
}

/**
 * KRB-ERROR (RFC 4120 §5.9.1) for a refusal: stime/susec from the KDC clock, the error code,
 * realm and sname (the requested service, or krbtgt/REALM when the request named none), cname
 * when the ticket was opened, and e-text in words. No e-data: in particular never METHOD-DATA
 * with PA-FX-FAST (136), which would make MIT clients switch to FAST (mit-lab.md), and this KDC
 * does not implement RFC 6113.
 */
export function krbErrorReply(code: KrbErrorName, eText: string, ctx: ErrorContext, now: Date): Uint8Array {
  const ms = now.getTime();
  return krbErrorCodec.encode({
    stime: new Date(Math.floor(ms / 1000) * 1000),
    susec: (((ms % 1000) + 1000) % 1000) * 1000,
    errorCode: KRB_ERROR_CODES[code],
    ...(ctx.crealm !== undefined && ctx.cname !== undefined ? { crealm: ctx.crealm, cname: ctx.cname } : {}),
    realm: ctx.realm,
    sname: ctx.sname ?? krbtgtName(ctx.realm),
    eText,
  });
}

export function krbErrorReplyFor(e: KrbError, ctx: ErrorContext, now: Date): Uint8Array {
  return krbErrorReply(e.code, e.eText ?? e.message, ctx, now);
}

/** krbtgt/REALM, NT-SRV-INST (RFC 4120 §7.3). */
export function krbtgtName(realm: string): PrincipalName {
  return { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['krbtgt', realm] };
}
