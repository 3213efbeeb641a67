import { formatPrincipal } from '../../asn1/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import { generateEphemeralP256, type OpenedAsRep } from '../../ticket/index.js';
import { startLoopbackListener } from './loopback-listener.js';
import { newPkce, newState } from './pkce.js';
import { AGENT_CLIENT_ID, redeemCode } from './redeem.js';
import { writeLoginCcache } from './write-ccache.js';

export interface DeviceLoginInput {
  /** The bridge's base URL. */
  readonly bridge: string;
  /** login_hint: the account the person means to sign in as. */
  readonly user?: string;
  /** The ccache file to write. */
  readonly ccache: string;
  readonly timeoutMs: number;
  /** Called with the sign-in URL once the listener runs (print it, open a browser). */
  readonly showUrl: (url: string) => void;
  readonly warn: (text: string) => void;
  readonly fetch?: typeof fetch;
}

/** The bridge redirected with an error (RFC 6749 §4.1.2.1): `error` is its code, the message its words. */
export class LoginRefusedError extends TgtbridgeError {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
  ) {
    super('ERR_LOGIN_REFUSED', description ?? error);
    this.name = 'LoginRefusedError';
  }
}

export interface DeviceLoginResult {
  readonly opened: OpenedAsRep;
  readonly client: string;
}

/**
 * The device agent's login (docs/device-login.md): PKCE verifier + S256 challenge, state and an
 * ephemeral P-256 key; a loopback listener; the authorization URL shown to the person; the
 * redirect; the code redeemed with the verifier; the AS-REP opened with the agreed key; the
 * partial TGT and its session key written to the ccache. The verifier and private key exist only
 * in this process and die with it.
 */
export async function deviceLogin(i: DeviceLoginInput): Promise<DeviceLoginResult> {
  const pkce = newPkce();
  const state = newState();
  const agentKey = generateEphemeralP256();
  const listener = await startLoopbackListener(state, i.timeoutMs);
  listener.onStray = (why) => i.warn(why);
  let response;
  try {
    const url = new URL('/device/authorize', i.bridge);
    const q = url.searchParams;
    q.set('response_type', 'code');
    q.set('client_id', AGENT_CLIENT_ID);
    q.set('redirect_uri', listener.redirectUri);
    q.set('state', state);
    q.set('code_challenge', pkce.challenge);
    q.set('code_challenge_method', 'S256');
    q.set('agent_key', agentKey.publicKeyText);
    if (i.user !== undefined) q.set('login_hint', i.user);
    i.showUrl(url.href);
    response = await listener.response;
  } finally {
    await listener.close();
  }
  if (response.kind === 'error') throw new LoginRefusedError(response.error, response.description);
  const opened = await redeemCode({
    bridge: i.bridge, code: response.code, verifier: pkce.verifier, challenge: pkce.challenge, redirectUri: listener.redirectUri, agentKey,
    ...(i.fetch !== undefined ? { fetch: i.fetch } : {}),
  });
  await writeLoginCcache(i.ccache, opened);
  return { opened, client: formatPrincipal(opened.asRep.cname, opened.asRep.crealm) };
}
