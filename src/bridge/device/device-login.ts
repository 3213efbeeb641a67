import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { splitKvno, ticketCodec } from '../../asn1/index.js';
import type { Config } from '../../config/index.js';
import type { Directory, DirectoryUser } from '../../directory/index.js';
import { ProblemError, TgtbridgeError } from '../../errors/index.js';
import { keySetPath } from '../../kdc/index.js';
import { MintRefusedError, parseMintingSettings } from '../../ticket/index.js';
import { systemClock, systemRandom, type Clock, type RandomSource } from '../../util/index.js';
import type { AuditEvent } from '../../store/index.js';
import type { BridgeContext, BridgeOptions, OnSignedIn } from '../app.js';
import { sendProblem } from '../problem.js';
import { parseAuthorizeRequest, type AuthorizeErrorCode, type DeviceAuthorizeRequest } from './authorize-request.js';
import { asPendingRequest, CODE_TTL_SEC, HASH_PURPOSE, PENDING_REQUEST_TTL_SEC, type IssuedCodeData, type PendingRequestData } from './device-codes.js';
import { DeviceMinter, KeySetFile } from './device-minter.js';
import { confirmPage, EXPIRED_PAGE, sendDeviceRefusal } from './device-pages.js';
import { redirectWith } from './loopback-redirect.js';
import { registerTokenEndpoint } from './token-endpoint.js';

/** The query parameter that carries a pending request through the sign-in page. */
export const DEVICE_REQUEST_PARAM = 'device_request';

type Ctx = BridgeContext;

function audit(ctx: Ctx, req: Request, kind: AuditEvent['kind'], at: Partial<Pick<AuditEvent, 'userSid' | 'credentialId' | 'code' | 'detail'>>): Promise<void> {
  return ctx.store.appendAudit({
    at: ctx.clock.now(), kind, userSid: at.userSid, credentialId: at.credentialId, code: at.code, address: ctx.requestContext(req).address, detail: at.detail,
  });
}

function errorRedirect(r: Pick<DeviceAuthorizeRequest, 'redirectUri' | 'state'>, error: AuthorizeErrorCode, description: string): string {
  return redirectWith(r.redirectUri, { error, error_description: description, state: r.state });
}

/** Does the signed-in account satisfy the agent's login_hint (name, UPN or SID of the same account)? */
async function hintMatches(ctx: Ctx, user: DirectoryUser, hint: string | undefined): Promise<boolean> {
  if (hint === undefined) return true;
  return (await ctx.directory.findUser(hint))?.objectSid === user.objectSid;
}

/**
 * After a passkey sign-in (whose profile already passed): the DC's policy, the mint, the code.
 * Returns where the browser goes: the agent's loopback with `code` + `state`, or with
 * `error=access_denied` and the reason in words. Every mint and every refusal is audited.
 */
async function complete(ctx: Ctx, minter: DeviceMinter, req: Request, r: DeviceAuthorizeRequest, user: DirectoryUser, credentialId: string | undefined): Promise<string> {
  const who = { userSid: user.objectSid, credentialId };
  if (!(await hintMatches(ctx, user, r.loginHint))) {
    await audit(ctx, req, 'refusal', { ...who, code: 'device.login_hint_mismatch', detail: { loginHint: r.loginHint } });
    return errorRedirect(r, 'access_denied', `You signed in as ${user.sAMAccountName}, but the device asked for ${r.loginHint}. Run tgtbridge login again and sign in as that account.`);
  }
  try {
    await minter.checkPolicy(user);
  } catch (e) {
    if (!(e instanceof MintRefusedError)) throw e;
    await audit(ctx, req, 'refusal', { ...who, code: `mint.${e.reason}`, detail: { krbError: e.code, krbCode: e.krbCode, ...(e.groupSid ? { groupSid: e.groupSid } : {}) } });
    // Name the group as well as its SID: a person can act on "Domain Admins", not on S-1-5-21-…-512.
    const group = e.groupSid === undefined ? undefined : await ctx.directory.findGroup(e.groupSid);
    const why = group === undefined ? e.message : e.message.replace(e.groupSid!, `${group.name} (${group.objectSid})`);
    return errorRedirect(r, 'access_denied', `The domain's policy gives this account no Kerberos ticket: ${why}.`);
  }
  let minted;
  try {
    minted = await minter.mint(user);
  } catch (e) {
    if (!(e instanceof TgtbridgeError) || e.code !== 'ERR_KEY_SET') throw e;
    await audit(ctx, req, 'refusal', { ...who, code: 'mint.no_key', detail: { why: e.message } });
    return errorRedirect(r, 'server_error', 'The bridge cannot issue tickets right now: it has no usable krbtgt_N key. Tell your administrator.');
  }
  const code = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const data: IssuedCodeData = {
    kind: 'device_code', clientId: r.clientId, redirectUri: r.redirectUri, codeChallenge: r.codeChallenge, agentKey: r.agentKey,
    userSid: user.objectSid, kvno: minted.kvno, ticket: Buffer.from(ticketCodec.encode(minted.ticket)).toString('base64'),
  };
  await ctx.store.putOneTimeCode({ hash: ctx.hasher.hash(HASH_PURPOSE.code, code), expiresAt: new Date(now.getTime() + CODE_TTL_SEC * 1000), data });
  const e = minted.encTicketPart;
  const { rodcNumber, keyVersion } = splitKvno(minted.kvno);
  await audit(ctx, req, 'code_issued', {
    ...who,
    detail: {
      minted: 'partial_tgt', cname: e.cname.nameString.join('/'), crealm: e.crealm, kvno: minted.kvno, rodcNumber, keyVersion,
      authtime: e.authtime.toISOString(), endtime: e.endtime.toISOString(), renewTill: e.renewTill?.toISOString(), redirectUri: r.redirectUri,
    },
  });
  return redirectWith(r.redirectUri, { code, state: r.state });
}

/** The pending request named by the sign-in page's query (`/?device_request=…`), consumed. */
async function takePending(ctx: Ctx, page: unknown): Promise<PendingRequestData | undefined | 'none'> {
  if (typeof page !== 'string' || page.length > 2048) return 'none';
  let url: URL;
  try {
    url = new URL(page, 'http://bridge.invalid');
  } catch {
    return 'none';
  }
  const id = url.searchParams.get(DEVICE_REQUEST_PARAM);
  if (url.pathname !== '/' || id === null) return 'none';
  const rec = await ctx.store.takeOneTimeCode(ctx.hasher.hash(HASH_PURPOSE.request, id), ctx.clock.now());
  return rec === undefined ? undefined : asPendingRequest(rec.data);
}

type Handler = (req: Request, res: Response) => Promise<void>;
const wrap = (h: Handler) => (req: Request, res: Response, next: NextFunction): void => void h(req, res).catch(next);

/**
 * The device login on the bridge (docs/device-login.md): `GET /device/authorize`, the sign-in
 * hook that mints, and `POST /device/token`. Plugs into createBridgeApp/startBridge through
 * their extension points.
 */
export function deviceLoginExtension(minter: DeviceMinter): Required<Pick<BridgeOptions, 'extraRoutes' | 'onSignedIn'>> {
  let ctx: Ctx | undefined;
  const onSignedIn: OnSignedIn = async (signedIn, req) => {
    if (ctx === undefined) return undefined;
    const body: unknown = req.body;
    const pending = await takePending(ctx, typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['page'] : undefined);
    if (pending === 'none') return undefined;
    if (pending === undefined) return { redirect: '/device/expired' };
    return { redirect: await complete(ctx, minter, req, pending, signedIn.user, signedIn.credential.id) };
  };

  const extraRoutes = (app: Express, c: Ctx): void => {
    ctx = c;
    app.get('/device/authorize', wrap(async (req, res) => {
      c.limit(req);
      const parsed = parseAuthorizeRequest(req.query as Record<string, unknown>);
      if (!parsed.ok) {
        await audit(c, req, 'refusal', { code: parsed.redirect === undefined ? 'device.untrusted_client' : `device.${parsed.error}`, detail: { description: parsed.description } });
        if (parsed.redirect === undefined) return sendDeviceRefusal(req, res, 'This sign-in link cannot be used', parsed.description);
        return res.redirect(303, redirectWith(parsed.redirect, { error: parsed.error, error_description: parsed.description, state: parsed.state }));
      }
      const r = parsed.request;
      const id = randomBytes(32).toString('base64url');
      const data: PendingRequestData = { kind: 'device_request', ...r };
      await c.store.putOneTimeCode({ hash: c.hasher.hash(HASH_PURPOSE.request, id), expiresAt: new Date(c.clock.now().getTime() + PENDING_REQUEST_TTL_SEC * 1000), data });
      // Already signed in with a passkey as the right account: one click, no second ceremony.
      // RFC 8252 §8.6: a native client cannot be authenticated, so no approval happens without
      // the person's interaction.
      const session = await c.sessions.current(req);
      if (session !== undefined && session.record.method === 'passkey' && (await hintMatches(c, session.user, r.loginHint))) {
        // The form's POST is answered by a redirect to the agent's loopback: CSP form-action covers
        // redirects after a submission, so this page allows exactly that one origin.
        const csp = String(res.getHeader('Content-Security-Policy') ?? '');
        res.setHeader('Content-Security-Policy', csp.replace("form-action 'self'", `form-action 'self' ${new URL(r.redirectUri).origin}`));
        // Under the bridge's no-referrer policy a browser sends `Origin: null` with a form POST
        // (Fetch §3.1 "serialize a request origin"); same-origin lets /device/continue check it.
        res.setHeader('Referrer-Policy', 'same-origin');
        res.type('html').send(confirmPage(session.user.sAMAccountName, session.user.displayName, id));
        return;
      }
      res.redirect(303, `/?${DEVICE_REQUEST_PARAM}=${id}`);
    }));
    app.post('/device/continue', express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 4 }), wrap(async (req, res) => {
      // Guard: the form of our own confirmation page (browsers send Origin with every POST).
      if (req.headers.origin !== c.config.bridge.origin) {
        return sendProblem(res, new ProblemError('request.forbidden_origin', 'This request did not come from the bridge\'s own page. Start again with tgtbridge login.'));
      }
      const body: unknown = req.body;
      const id = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['request'] : undefined;
      if (typeof id !== 'string' || id.length > 128) return sendDeviceRefusal(req, res, 'This device sign-in cannot continue', 'The request to continue was incomplete.');
      // Guard: still signed in with a passkey; otherwise the ordinary sign-in continues the same request.
      const session = await c.sessions.current(req);
      if (session === undefined || session.record.method !== 'passkey') return res.redirect(303, `/?${DEVICE_REQUEST_PARAM}=${encodeURIComponent(id)}`);
      // Guard: the pending request exists and is consumed now (single use).
      const rec = await c.store.takeOneTimeCode(c.hasher.hash(HASH_PURPOSE.request, id), c.clock.now());
      const pending = rec === undefined ? undefined : asPendingRequest(rec.data);
      if (pending === undefined) return res.redirect(303, '/device/expired');
      res.redirect(303, await complete(c, minter, req, pending, session.user, session.record.credentialId));
    }));
    app.get('/device/expired', (_req, res) => res.type('html').send(EXPIRED_PAGE));
    registerTokenEndpoint(app, c, minter);
  };
  return { extraRoutes, onSignedIn };
}

export interface OpenDeviceLoginOptions {
  readonly config: Config;
  readonly directory: Directory;
  /** The bridge's data directory: the key set is `<data>/keys/krbtgt-rodc.keytab` unless `minting.keys` says otherwise. */
  readonly dataDir: string;
  readonly clock?: Clock;
  readonly random?: RandomSource;
}

/**
 * Everything the device login needs from config and data directory: minting settings, the
 * resolved deny/allow groups and the key set (ERR_CONFIG / ERR_KEY_SET here stop the bridge at
 * start). Pass the result to startBridge/createBridgeApp.
 */
export async function openDeviceLogin(o: OpenDeviceLoginOptions): Promise<Required<Pick<BridgeOptions, 'extraRoutes' | 'onSignedIn'>>> {
  const settings = parseMintingSettings(o.config.minting, dirname(o.config.file));
  const minter = await DeviceMinter.create({
    config: o.config, directory: o.directory, settings, keys: new KeySetFile(keySetPath(o.dataDir, settings.keysDir)),
    clock: o.clock ?? systemClock, random: o.random ?? systemRandom,
  });
  return deviceLoginExtension(minter);
}
