import type { Request, Response } from 'express';
import type { Config } from '../config/index.js';

/**
 * Does the browser reach the bridge over https? Yes when the bridge serves TLS itself, and also
 * when its origin is https while TLS ends at a proxy or load balancer in front of it: the cookies
 * must then be Secure (RFC 6265 §4.1.2.5) and HSTS sent all the same: the browser's leg is https,
 * which is where RFC 6797 §8.1 has it obeyed.
 */
export function browserUsesHttps(config: Config): boolean {
  return config.bridge.https.mode !== 'off' || new URL(config.bridge.origin).protocol === 'https:';
}

/**
 * The name a cookie has on the wire. Under https it carries the `__Host-` prefix (RFC 6265bis
 * §4.1.3.2): the browser then stores it only with Secure, Path=/ and no Domain, so neither another
 * host of the domain nor a plain-http page on this one can set or shadow the session or ceremony
 * cookie. On http://localhost (the demo) the plain name: browsers differ on Secure cookies there.
 * Only the name of the current mode is read.
 */
export function wireName(name: string, secure: boolean): string {
  return secure ? `__Host-${name}` : name;
}

export function readCookie(req: Request, name: string, secure: boolean): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  const wanted = wireName(name, secure);
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === wanted) {
      // Every value the bridge sets is base64url; one that does not even percent-decode was not
      // set by it and counts as absent (decodeURIComponent would throw: a 500 for any request).
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export interface CookieOptions {
  readonly secure: boolean;
  readonly maxAgeSeconds: number;
  /** Over http only: a `__Host-` cookie must have Path=/. */
  readonly path?: string;
}

/** Every cookie the bridge sets: HttpOnly (no script reads it), SameSite=Strict, Secure and `__Host-` under https, never a Domain. */
export function setCookie(res: Response, name: string, value: string, o: CookieOptions): void {
  const path = o.secure ? '/' : (o.path ?? '/');
  const attrs = [`${wireName(name, o.secure)}=${encodeURIComponent(value)}`, `Path=${path}`, `Max-Age=${o.maxAgeSeconds}`, 'HttpOnly', 'SameSite=Strict'];
  if (o.secure) attrs.push('Secure');
  res.append('Set-Cookie', attrs.join('; '));
}

export function clearCookie(res: Response, name: string, o: Omit<CookieOptions, 'maxAgeSeconds'>): void {
  setCookie(res, name, '', { ...o, maxAgeSeconds: 0 });
}
