import type { Express, NextFunction, Request, Response } from 'express';
import { ProblemError } from '../errors/index.js';
import { cleanPasskeyName, PASSKEY_NAME_MAX } from '../webauthn/index.js';
import type { BridgeContext } from './app.js';
import { credentialView, userView } from './views.js';
import { browserUsesHttps, clearCookie, readCookie, setCookie } from './cookies.js';

const CHALLENGE_COOKIE = 'tgtbridge_ceremony';

type Handler = (req: Request, res: Response) => Promise<void>;
const wrap = (h: Handler) => (req: Request, res: Response, next: NextFunction): void => void h(req, res).catch(next);

function body(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new ProblemError('request.invalid', 'The request body must be a JSON object.');
  return b as Record<string, unknown>;
}

function optString(b: Record<string, unknown>, key: string, max = 256): string | undefined {
  const v = b[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || v.length > max) throw new ProblemError('request.invalid', `The field ${key} is not valid.`);
  return v;
}

function reqString(b: Record<string, unknown>, key: string, max = 256): string {
  return optString(b, key, max) ?? (() => { throw new ProblemError('request.invalid', `The field ${key} is missing.`); })();
}

/** The JSON API behind the pages. Every refusal is a ProblemError rendered by the app. */
export function registerApiRoutes(app: Express, ctx: BridgeContext): void {
  const secure = browserUsesHttps(ctx.config);
  const ceremonyCookie = (res: Response, handle: string): void =>
    setCookie(res, CHALLENGE_COOKIE, handle, { secure, maxAgeSeconds: ctx.config.bridge.challengeTtl, path: '/api' });
  const takeHandle = (req: Request, res: Response): string => {
    clearCookie(res, CHALLENGE_COOKIE, { secure, path: '/api' });
    return readCookie(req, CHALLENGE_COOKIE, secure) ?? '';
  };

  app.post('/api/signin/options', wrap(async (req, res) => {
    const username = optString(body(req), 'username', 256)?.trim();
    if (username === undefined) ctx.limit(req);
    else await ctx.limitAccount(req, username);
    const { handle, options } = await ctx.passkeys.startAuthentication(username, ctx.requestContext(req));
    ceremonyCookie(res, handle);
    res.json(options);
  }));

  app.post('/api/signin/verify', wrap(async (req, res) => {
    ctx.limit(req);
    const b = body(req);
    const signedIn = await ctx.passkeys.finishAuthentication(takeHandle(req, res), b['response'], ctx.requestContext(req));
    await ctx.sessions.start(req, res, signedIn.user, 'passkey', signedIn.credential.id);
    const outcome = ctx.onSignedIn ? await ctx.onSignedIn(signedIn, req, res) : undefined;
    res.json({ user: userView(signedIn.user), profile: signedIn.profile, redirect: outcome?.redirect ?? '/security' });
  }));

  app.post('/api/tap/redeem', wrap(async (req, res) => {
    const b = body(req);
    const username = reqString(b, 'username').trim();
    await ctx.limitAccount(req, username);
    const user = await ctx.taps.redeem(username, reqString(b, 'code', 128), ctx.requestContext(req));
    await ctx.sessions.start(req, res, user, 'tap', undefined);
    res.json({ user: userView(user) });
  }));

  app.post('/api/register/options', wrap(async (req, res) => {
    const s = await ctx.sessions.requireForRegistration(req);
    const { handle, options } = await ctx.passkeys.startRegistration(s.user, ctx.requestContext(req));
    ceremonyCookie(res, handle);
    res.json(options);
  }));

  app.post('/api/register/verify', wrap(async (req, res) => {
    const s = await ctx.sessions.requireForRegistration(req);
    const b = body(req);
    const cred = await ctx.passkeys.finishRegistration(s.user, takeHandle(req, res), b['response'], optString(b, 'name', 4 * PASSKEY_NAME_MAX), ctx.requestContext(req));
    res.json(credentialView(cred, ctx.passkeys.aaguidNames));
  }));

  const me = wrap(async (req, res) => {
    const s = await ctx.sessions.require(req);
    const creds = await ctx.store.listCredentials(s.user.objectSid);
    res.json({ user: userView(s.user), credentials: creds.map((c) => credentialView(c, ctx.passkeys.aaguidNames)) });
  });
  app.get('/api/me', me);
  app.post('/api/me', me);

  app.post('/api/credentials/rename', wrap(async (req, res) => {
    const s = await ctx.sessions.require(req);
    const b = body(req);
    const id = reqString(b, 'id', 1400);
    // The raw field may be longer than what is kept (hidden characters go); cleanPasskeyName cuts it to PASSKEY_NAME_MAX.
    const name = cleanPasskeyName(reqString(b, 'name', 4 * PASSKEY_NAME_MAX));
    if (name === undefined) throw new ProblemError('request.invalid', 'A passkey name needs at least one visible character.');
    const audit = ctx.passkeys.audit('credential_renamed', ctx.requestContext(req), { userSid: s.user.objectSid, credentialId: id, detail: { name } });
    if (!(await ctx.store.renameCredential(s.user.objectSid, id, name, audit))) throw new ProblemError('passkey.not_found', 'You have no passkey with this id.');
    res.json({ ok: true });
  }));

  app.post('/api/credentials/delete', wrap(async (req, res) => {
    const s = await ctx.sessions.require(req);
    const id = reqString(body(req), 'id', 1400);
    const audit = ctx.passkeys.audit('credential_deleted', ctx.requestContext(req), { userSid: s.user.objectSid, credentialId: id });
    if (!(await ctx.store.deleteCredential(s.user.objectSid, id, audit))) throw new ProblemError('passkey.not_found', 'You have no passkey with this id.');
    res.json({ ok: true });
  }));

  app.post('/api/signout', wrap(async (req, res) => {
    const s = await ctx.sessions.current(req);
    await ctx.sessions.end(req, res);
    if (s) await ctx.store.appendAudit(ctx.passkeys.audit('sign_out', ctx.requestContext(req), { userSid: s.user.objectSid }));
    res.json({ ok: true });
  }));
}
