import { timingSafeEqual } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { ticketCodec } from '../../asn1/index.js';
import {
  buildAsRepForDelivery,
  DELIVERY_KDF,
  deriveDeliveryKey,
  generateEphemeralP256,
  MintRefusedError,
  openTicket,
  parseP256PublicKey,
} from '../../ticket/index.js';
import { systemRandom } from '../../util/index.js';
import type { BridgeContext } from '../app.js';
import { DEVICE_CLIENT_ID } from './authorize-request.js';
import { asIssuedCode, HASH_PURPOSE } from './device-codes.js';
import type { DeviceMinter } from './device-minter.js';
import { verifierMatches } from './pkce.js';

/** RFC 6749 §5.2 error codes of the token endpoint. */
export const TOKEN_ERRORS = ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'server_error'] as const;
export type TokenErrorCode = (typeof TOKEN_ERRORS)[number];

/** The success body: not an OAuth access token, but the delivered credential (docs/device-login.md). */
export interface DeviceTokenResponse {
  /** base64 DER AS-REP; enc-part (usage 3, etype 18) under the DELIVERY_KDF key. */
  readonly as_rep: string;
  /** The bridge's ephemeral P-256 key, base64url SPKI. */
  readonly bridge_key: string;
  readonly kdf: typeof DELIVERY_KDF;
}

class TokenError extends Error {
  constructor(
    readonly error: TokenErrorCode,
    readonly description: string,
    /** Stable audit code for the refusal. */
    readonly auditCode: string,
    readonly userSid?: string,
  ) {
    super(description);
  }
}

const STATUS: Readonly<Record<TokenErrorCode, number>> = {
  invalid_request: 400, invalid_client: 401, invalid_grant: 400, unauthorized_client: 400, unsupported_grant_type: 400, server_error: 500,
};

const sameText = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function params(req: Request): Record<string, string> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded' && type !== 'application/json') {
    throw new TokenError('invalid_request', 'send the parameters as application/x-www-form-urlencoded (or JSON)', 'device.token_content_type');
  }
  const b: unknown = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new TokenError('invalid_request', 'the body is not a set of parameters', 'device.token_body');
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(b)) {
    // RFC 6749 §3.2: a parameter sent twice (an array here) makes the request invalid.
    if (typeof v !== 'string') throw new TokenError('invalid_request', `parameter ${k} is repeated or not a string`, 'device.token_body');
    out[k] = v;
  }
  return out;
}

/**
 * `POST /device/token` (RFC 6749 §4.1.3 with RFC 7636 §4.5): redeem the code with its verifier.
 * The code is consumed before any check, so a failed attempt (wrong verifier, wrong agent key,
 * replay) also burns it: nobody gets a second guess at a verifier for the same code.
 */
export function registerTokenEndpoint(app: Express, ctx: BridgeContext, minter: DeviceMinter): void {
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });
  const json = express.json({ limit: '16kb' });
  const send = (req: Request, res: Response, e: TokenError, userSid?: string): Promise<void> =>
    ctx.store
      .appendAudit({ at: ctx.clock.now(), kind: 'refusal', userSid, credentialId: undefined, code: e.auditCode, address: ctx.requestContext(req).address, detail: { error: e.error } })
      .then(() => {
        res.setHeader('Pragma', 'no-cache');
        res.status(STATUS[e.error]).json({ error: e.error, error_description: e.description });
      });
  const parseBody = (req: Request, res: Response, next: NextFunction): void => {
    const bad = (err: unknown): void => {
      if (err) void send(req, res, new TokenError('invalid_request', 'the body could not be parsed', 'device.token_body')).catch(next);
      else next();
    };
    form(req, res, (err?: unknown) => (err ? bad(err) : json(req, res, bad)));
  };

  app.post('/device/token', parseBody, (req: Request, res: Response, next: NextFunction) => {
    redeem(req, ctx, minter).then(
      (body) => {
        res.setHeader('Pragma', 'no-cache');
        res.json(body);
      },
      (e: unknown) => (e instanceof TokenError ? send(req, res, e, e.userSid).catch(next) : next(e)),
    );
  });
}

async function redeem(req: Request, ctx: BridgeContext, minter: DeviceMinter): Promise<DeviceTokenResponse> {
  const p = params(req);
  // Guard: the authorization-code grant (RFC 6749 §4.1.3).
  if (p['grant_type'] === undefined) throw new TokenError('invalid_request', 'grant_type is missing', 'device.token_missing');
  if (p['grant_type'] !== 'authorization_code') throw new TokenError('unsupported_grant_type', 'grant_type must be authorization_code', 'device.unsupported_grant_type');
  // Guard: the device agent is the client.
  if (p['client_id'] !== DEVICE_CLIENT_ID) throw new TokenError('invalid_client', `client_id must be ${DEVICE_CLIENT_ID}`, 'device.invalid_client');
  const { code, code_verifier: verifier, redirect_uri: redirectUri } = p;
  if (code === undefined || verifier === undefined || redirectUri === undefined) {
    throw new TokenError('invalid_request', 'code, code_verifier and redirect_uri are required', 'device.token_missing');
  }
  if (code.length > 128) throw new TokenError('invalid_grant', 'the code is unknown, expired or already used', 'device.code_unknown');
  // Guard: the code exists, is unexpired, and is consumed now — whatever follows.
  const rec = await ctx.store.takeOneTimeCode(ctx.hasher.hash(HASH_PURPOSE.code, code), ctx.clock.now());
  const bound = rec === undefined ? undefined : asIssuedCode(rec.data);
  if (bound === undefined) throw new TokenError('invalid_grant', 'the code is unknown, expired or already used', 'device.code_unknown');
  const refuse = (why: string, auditCode: string): never => {
    throw new TokenError('invalid_grant', why, auditCode, bound.userSid);
  };
  // Guard: same redirect URI as in the authorization request (§4.1.3).
  if (!sameText(redirectUri, bound.redirectUri)) refuse('redirect_uri differs from the authorization request', 'device.redirect_uri_mismatch');
  // Guard: the PKCE verifier hashes to the bound challenge (RFC 7636 §4.6, constant time).
  if (!verifierMatches(verifier, bound.codeChallenge)) refuse('the code_verifier does not match the code_challenge', 'device.pkce_mismatch');
  // Guard: when the agent names its key, it is the one bound to the code.
  if (p['agent_key'] !== undefined) {
    let same = false;
    try {
      same = Buffer.from(parseP256PublicKey(p['agent_key'])).equals(Buffer.from(parseP256PublicKey(bound.agentKey)));
    } catch {
      same = false;
    }
    if (!same) refuse('agent_key differs from the key sent with the authorization request', 'device.agent_key_mismatch');
  }
  // Guard: the account may still have a ticket. Up to CODE_TTL_SEC pass between the sign-in's
  // policy check and this delivery; an account disabled, locked out or put in a denied group
  // meanwhile gets nothing (RFC 6749 §5.2: the grant is "revoked").
  const user = await ctx.directory.findUser(bound.userSid);
  if (user === undefined || user.objectSid !== bound.userSid) refuse('the account is no longer in the directory', 'device.user_gone');
  try {
    await minter.checkPolicy(user!);
  } catch (e) {
    if (!(e instanceof MintRefusedError)) throw e;
    refuse(`the domain's policy no longer gives this account a Kerberos ticket: ${e.message}`, `mint.${e.reason}`);
  }
  // Re-open the bridge's own ticket: the session key was never stored.
  const entry = await minter.keyFor(bound.kvno);
  if (entry === undefined) throw new TokenError('server_error', 'the key this ticket was minted with is no longer in the key set', 'device.key_gone', bound.userSid);
  const ticket = ticketCodec.decode(Buffer.from(bound.ticket, 'base64'));
  const { encTicketPart } = openTicket(ticket, entry.key);

  const agentKey = parseP256PublicKey(bound.agentKey);
  const bridge = generateEphemeralP256();
  const clientKey = deriveDeliveryKey({
    sharedSecret: bridge.agree(agentKey), codeChallenge: bound.codeChallenge, realm: encTicketPart.crealm, cname: encTicketPart.cname.nameString,
    agentKey, bridgeKey: bridge.publicKey,
  });
  // As a DC's AS-REP: the account's expiry in last-req and key-expiration, the ticket's times uncut.
  const asRep = buildAsRepForDelivery({ ticket, encTicketPart, clientKey, ...(user!.accountExpires !== undefined ? { accountExpires: user!.accountExpires } : {}), random: systemRandom });
  await ctx.store.appendAudit({
    at: ctx.clock.now(), kind: 'code_redeemed', userSid: bound.userSid, credentialId: undefined, code: undefined, address: ctx.requestContext(req).address,
    detail: { delivered: 'as_rep', kvno: bound.kvno, kdf: DELIVERY_KDF },
  });
  return { as_rep: Buffer.from(asRep).toString('base64'), bridge_key: bridge.publicKeyText, kdf: DELIVERY_KDF };
}
