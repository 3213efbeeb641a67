import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TgtbridgeError } from '../../errors/index.js';

/** What the bridge's redirect brought back (RFC 6749 §4.1.2 / §4.1.2.1). */
export type AuthorizationResponse =
  | { readonly kind: 'code'; readonly code: string }
  | { readonly kind: 'error'; readonly error: string; readonly description: string | undefined };

export interface LoopbackListener {
  /** http://127.0.0.1:PORT/callback */
  readonly redirectUri: string;
  /** Resolves on the first redirect that carries our state; rejects with ERR_TRANSPORT on timeout. */
  readonly response: Promise<AuthorizationResponse>;
  /** Something that is not our redirect arrived (wrong state, wrong host): said once per request. */
  onStray?: (why: string) => void;
  close(): Promise<void>;
}

const PATH = '/callback';
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'",
    'x-frame-options': 'DENY',
  });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><main><h1>${esc(title)}</h1><p>${esc(text)}</p></main></body></html>\n`);
}

const sameText = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The agent's redirect listener (RFC 8252 §7.3): 127.0.0.1 on a port the OS picks, so no other
 * host can reach it and nothing is configured. Only `GET /callback` with our `state` is accepted
 * (the CSRF check of RFC 6749 §10.12); a Host header other than our own address is refused, which
 * stops a DNS-rebinding page from talking to the listener. The person gets a small page saying
 * what happened and that the tab can be closed.
 */
export async function startLoopbackListener(state: string, timeoutMs: number): Promise<LoopbackListener> {
  let settle: ((r: AuthorizationResponse) => void) | undefined;
  let fail: ((e: Error) => void) | undefined;
  const response = new Promise<AuthorizationResponse>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  let done = false;
  let hostPort = '';
  const listener: { onStray?: (why: string) => void } = {};

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.headers.host !== hostPort) return page(res, 400, 'Wrong address', 'This listener only answers on its own loopback address.');
    if (req.method !== 'GET' || url.pathname !== PATH) return page(res, 404, 'Not found', 'There is nothing at this address.');
    const q = url.searchParams;
    if (done) return page(res, 409, 'Already done', 'This sign-in was already completed. You can close this tab.');
    const got = q.get('state');
    if (got === null || q.getAll('state').length !== 1 || !sameText(got, state)) {
      listener.onStray?.('a redirect arrived with a state that does not belong to this login; ignored');
      return page(res, 400, 'Not this sign-in', 'This answer does not belong to the sign-in the device agent started. Nothing was changed.');
    }
    const code = q.get('code');
    const error = q.get('error');
    done = true;
    if (error !== null) {
      const description = q.get('error_description') ?? undefined;
      page(res, 200, 'Sign-in refused', `${(description ?? error).replace(/\.$/, '')}. Nothing was written on the device. You can close this tab.`);
      settle?.({ kind: 'error', error, description });
      return;
    }
    if (code === null || code === '') {
      page(res, 400, 'No code', 'The bridge sent no code. Run tgtbridge login again.');
      settle?.({ kind: 'error', error: 'invalid_response', description: 'the redirect carried neither code nor error' });
      return;
    }
    page(res, 200, 'Signed in', 'The device agent is fetching your Kerberos ticket. You can close this tab and return to the terminal.');
    settle?.({ kind: 'code', code });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hostPort = `127.0.0.1:${port}`;
  const timer = setTimeout(() => fail?.(new TgtbridgeError('ERR_TRANSPORT', `no answer from the browser within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  timer.unref();
  const close = async (): Promise<void> => {
    clearTimeout(timer);
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return Object.assign(listener, { redirectUri: `http://${hostPort}${PATH}`, response, close });
}
