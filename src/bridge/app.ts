import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../config/index.js';
import type { Directory } from '../directory/index.js';
import { ProblemError } from '../errors/index.js';
import type { SecretHasher, Store } from '../store/index.js';
import { systemClock, type Clock } from '../util/index.js';
import { PasskeyService, TapService, type AaguidNames, type RequestContext, type SignedIn } from '../webauthn/index.js';
import { registerApiRoutes } from './api-routes.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { browserUsesHttps } from './cookies.js';
import { APP_CSS, securityPage, signInPage, tapPage } from './pages.js';
import { sendProblem } from './problem.js';
import { addressKey, RateLimiter } from './rate-limit.js';
import { jsonCsrfGuard, securityHeaders } from './security.js';
import { Sessions } from './sessions.js';

/** What a successful sign-in hook may ask for: where the page goes next (default /security). */
export interface SignedInOutcome {
  readonly redirect?: string;
}

/**
 * Extension point for the minting/device-login helper: runs after every successful passkey
 * sign-in, before the response. `req.body.page` is the sign-in page's path and query string.
 */
export type OnSignedIn = (signedIn: SignedIn, req: Request, res: Response) => Promise<SignedInOutcome | undefined>;

export interface BridgeContext {
  readonly config: Config;
  readonly directory: Directory;
  readonly store: Store;
  readonly hasher: SecretHasher;
  readonly clock: Clock;
  readonly passkeys: PasskeyService;
  readonly taps: TapService;
  readonly sessions: Sessions;
  readonly limits: { readonly perUser: RateLimiter; readonly perAddress: RateLimiter };
  /** Count an attempt for the address and (if given) the user; throws rate_limited when over. */
  readonly limit: (req: Request, username?: string) => void;
  /** Count an attempt for the address and for the account a typed name resolves to (else the name). */
  readonly limitAccount: (req: Request, username: string) => Promise<void>;
  readonly requestContext: (req: Request) => RequestContext;
  readonly onSignedIn: OnSignedIn | undefined;
}

export interface BridgeOptions {
  readonly config: Config;
  readonly directory: Directory;
  readonly store: Store;
  readonly hasher: SecretHasher;
  readonly clock?: Clock;
  readonly aaguidNames?: AaguidNames;
  readonly onSignedIn?: OnSignedIn;
  /** Register more routes (device login, KRB-CRED download, …) on the app, with the context. */
  readonly extraRoutes?: (app: Express, ctx: BridgeContext) => void;
}

export class RateLimitedError extends ProblemError {
  constructor(readonly retryAfter: number) {
    super('rate_limited', `Too many attempts. Wait ${retryAfter} seconds and try again.`);
  }
}

/**
 * What body-parser refused before any route ran (http-errors with a 4xx status and a `type`):
 * the client's mistake, answered with its own status instead of 500.
 */
function bodyParserProblem(err: unknown): ProblemError | undefined {
  const { status, type } = (typeof err === 'object' && err !== null ? err : {}) as { status?: unknown; type?: unknown };
  if (type === 'entity.too.large') return new ProblemError('request.too_large', 'The request is larger than the bridge accepts.');
  if (status === 415) return new ProblemError('request.content_type', 'This endpoint accepts only JSON in UTF-8 (uncompressed, or gzip, deflate or br).');
  if (err instanceof SyntaxError || (typeof status === 'number' && status >= 400 && status < 500)) {
    return new ProblemError('request.invalid', 'The request was not valid JSON.');
  }
  return undefined;
}

function webauthnBundlePath(): string {
  // @simplewebauthn/browser exports only its entry points; its UMD bundle sits beside them.
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  return join(dirname(dirname(entry)), 'dist', 'bundle', 'index.umd.min.js');
}

/** Build the bridge's express app: pages, JSON API, security middleware, extension routes. */
export async function createBridgeApp(o: BridgeOptions): Promise<{ app: Express; ctx: BridgeContext }> {
  const clock = o.clock ?? systemClock;
  const svcOpts = { config: o.config, directory: o.directory, store: o.store, hasher: o.hasher, clock, ...(o.aaguidNames ? { aaguidNames: o.aaguidNames } : {}) };
  const passkeys = await PasskeyService.create(svcOpts);
  const { rateLimit } = o.config.bridge;
  const limits = { perUser: new RateLimiter(rateLimit.perUser, rateLimit.window), perAddress: new RateLimiter(rateLimit.perAddress, rateLimit.window) };
  const limit = (req: Request, username?: string): void => {
    const now = clock.now().getTime();
    const wait = limits.perAddress.hit(addressKey(req.ip), now) ??
      (username === undefined ? undefined : limits.perUser.hit(`user:${username.toLowerCase()}`, now));
    if (wait !== undefined) throw new RateLimitedError(wait);
  };
  const ctx: BridgeContext = {
    config: o.config, directory: o.directory, store: o.store, hasher: o.hasher, clock, passkeys,
    taps: new TapService(svcOpts, passkeys),
    sessions: new Sessions(o.config, o.store, o.directory, o.hasher, clock, (user, cred) => passkeys.stillAdmits(user, cred)),
    limits,
    limit,
    limitAccount: async (req, username) => {
      // The address first, so a flood from one address costs no directory lookups; then the
      // account under its SID, so its sAMAccountName, UPN and SID share one count.
      limit(req);
      const wait = limits.perUser.hit(`user:${((await o.directory.findUser(username))?.objectSid ?? username).toLowerCase()}`, clock.now().getTime());
      if (wait !== undefined) throw new RateLimitedError(wait);
    },
    requestContext: (req) => ({ address: req.ip }),
    onSignedIn: o.onSignedIn,
  };

  const app = express();
  app.disable('x-powered-by');
  // req.ip is then the client a trusted proxy names in X-Forwarded-For (the nearest address not
  // trusted), else the TCP peer: rate limits and the audit use it.
  app.set('trust proxy', o.config.bridge.trustedProxies.length > 0 ? [...o.config.bridge.trustedProxies] : false);
  app.use(securityHeaders(browserUsesHttps(o.config)));

  const bundle = webauthnBundlePath();
  app.get('/assets/webauthn.js', (_req, res) => res.type('text/javascript').sendFile(bundle));
  app.get('/assets/app.js', (_req, res) => res.type('text/javascript').send(CLIENT_SCRIPT));
  app.get('/assets/app.css', (_req, res) => res.type('text/css').send(APP_CSS));
  app.get('/', (_req, res) => res.type('html').send(signInPage(o.config.bridge.rpName)));
  app.get('/tap', (_req, res) => res.type('html').send(tapPage(o.config.bridge.rpName)));
  app.get('/security', async (req, res, next) => {
    try {
      const s = await ctx.sessions.current(req);
      if (!s) return res.redirect(303, '/');
      res.type('html').send(securityPage(s.user.displayName));
    } catch (e) {
      next(e);
    }
  });

  app.use('/api', jsonCsrfGuard(o.config.bridge.origin), express.json({ limit: '64kb', type: 'application/json' }));
  registerApiRoutes(app, ctx);
  o.extraRoutes?.(app, ctx);

  app.use((_req: Request, res: Response) => sendProblem(res, new ProblemError('not_found', 'There is nothing at this address.')));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof RateLimitedError) return sendProblem(res, err, err.retryAfter);
    if (err instanceof ProblemError) return sendProblem(res, err);
    const parserRefusal = bodyParserProblem(err);
    if (parserRefusal) return sendProblem(res, parserRefusal);
    process.stderr.write(`tgtbridge bridge: ${(err as Error).stack ?? String(err)}\n`);
    sendProblem(res, new ProblemError('internal', 'Something went wrong on the server. Try again later.'));
  });
  return { app, ctx };
}
