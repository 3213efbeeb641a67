import type { NextFunction, Request, Response } from 'express';
import { ProblemError } from '../errors/index.js';
import { sendProblem } from './problem.js';

/**
 * CSRF guard for state-changing endpoints: the request must come from the bridge's own origin
 * (Origin header, sent by every browser on POST) and carry JSON. A cross-site form can neither set
 * Origin to ours nor send application/json without a CORS preflight, which the bridge never
 * answers; SameSite=Strict cookies are the second layer.
 */
export function jsonCsrfGuard(origin: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    if (req.headers.origin !== origin) {
      return sendProblem(res, new ProblemError('request.forbidden_origin', 'This request did not come from the sign-in page. Reload the page and try again.'));
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      return sendProblem(res, new ProblemError('request.content_type', 'This endpoint accepts only JSON.'));
    }
    next();
  };
}

/** Headers for every response: no framing, no sniffing, no caching of personal pages, a strict CSP. */
export function securityHeaders(secure: boolean) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('Content-Security-Policy', "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    if (secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    next();
  };
}
