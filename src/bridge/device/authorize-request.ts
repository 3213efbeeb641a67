import { encodeP256PublicKey, parseP256PublicKey } from '../../ticket/index.js';
import { loopbackRedirectProblem } from './loopback-redirect.js';
import { CODE_CHALLENGE_METHOD, CODE_CHALLENGE_SYNTAX } from './pkce.js';

/** The one client: tgtbridge's device agent (a public client, RFC 6749 §2.1). */
export const DEVICE_CLIENT_ID = 'tgtbridge-agent' as const;

/** What the bridge keeps of a valid `GET /device/authorize` while the person signs in. */
export interface DeviceAuthorizeRequest {
  readonly clientId: typeof DEVICE_CLIENT_ID;
  readonly redirectUri: string;
  readonly state: string;
  readonly codeChallenge: string;
  /** The agent's ephemeral P-256 key, normalized to base64url SPKI of the uncompressed point. */
  readonly agentKey: string;
  readonly loginHint: string | undefined;
}

/** RFC 6749 §4.1.2.1 error codes the authorization endpoint uses. */
export const AUTHORIZE_ERRORS = ['invalid_request', 'unauthorized_client', 'access_denied', 'unsupported_response_type', 'server_error'] as const;
export type AuthorizeErrorCode = (typeof AUTHORIZE_ERRORS)[number];

export type AuthorizeParse =
  | { readonly ok: true; readonly request: DeviceAuthorizeRequest }
  /** The client or redirect URI cannot be trusted: tell the person, never redirect (§4.1.2.1). */
  | { readonly ok: false; readonly redirect: undefined; readonly description: string }
  /** Redirect the error to the agent, with its state (§4.1.2.1). */
  | { readonly ok: false; readonly redirect: string; readonly state: string | undefined; readonly error: AuthorizeErrorCode; readonly description: string };

const MAX_STATE = 512;

/**
 * Guards for the authorization request (RFC 6749 §4.1.1 + RFC 7636 §4.3 + RFC 8252 §7.3).
 * `query` is the parsed query string: a parameter given twice arrives as an array and is refused
 * (§3.1: "MUST NOT be included more than once").
 */
export function parseAuthorizeRequest(query: Readonly<Record<string, unknown>>): AuthorizeParse {
  const one = (k: string): string | undefined | null => {
    const v = query[k];
    if (v === undefined || v === '') return undefined;
    return typeof v === 'string' ? v : null;
  };
  const clientId = one('client_id');
  const redirectUri = one('redirect_uri');
  // Guard: the client is the device agent.
  if (clientId !== DEVICE_CLIENT_ID) return { ok: false, redirect: undefined, description: `This sign-in link is not from the tgtbridge device agent (client_id must be ${DEVICE_CLIENT_ID}).` };
  // Guard: the redirect goes back to this device's loopback listener, nowhere else.
  if (typeof redirectUri !== 'string' || loopbackRedirectProblem(redirectUri) !== undefined) {
    return { ok: false, redirect: undefined, description: 'This sign-in link does not return to the device agent on this computer (redirect_uri must be http://127.0.0.1:PORT/… or http://[::1]:PORT/…).' };
  }
  const stateRaw = one('state');
  const state = typeof stateRaw === 'string' && stateRaw.length <= MAX_STATE ? stateRaw : undefined;
  const fail = (error: AuthorizeErrorCode, description: string): AuthorizeParse => ({ ok: false, redirect: redirectUri, state, error, description });

  // Guard: the authorization code grant, nothing else.
  const responseType = one('response_type');
  if (responseType !== 'code') return fail(responseType === undefined || responseType === null ? 'invalid_request' : 'unsupported_response_type', 'response_type must be code');
  // Guard: state is present (the agent's CSRF check on its own listener, §10.12).
  if (state === undefined) return fail('invalid_request', 'state is missing or longer than 512 characters');
  // Guard: a PKCE S256 challenge (RFC 7636 §4.3; plain is refused, §4.2).
  if (one('code_challenge_method') !== CODE_CHALLENGE_METHOD) return fail('invalid_request', 'code_challenge_method must be S256');
  const codeChallenge = one('code_challenge');
  if (typeof codeChallenge !== 'string' || !CODE_CHALLENGE_SYNTAX.test(codeChallenge)) return fail('invalid_request', 'code_challenge must be 43 base64url characters');
  // Guard: the agent's ephemeral key is a point on P-256.
  const agentKeyText = one('agent_key');
  let agentKey: string;
  try {
    if (typeof agentKeyText !== 'string') throw new TypeError('missing');
    agentKey = encodeP256PublicKey(parseP256PublicKey(agentKeyText));
  } catch {
    return fail('invalid_request', 'agent_key must be a P-256 public key (base64url SPKI or JWK)');
  }
  const hint = one('login_hint');
  if (hint === null || (hint !== undefined && (hint.length > 256 || /\p{Cc}/u.test(hint)))) return fail('invalid_request', 'login_hint is not a valid account name');
  return { ok: true, request: { clientId: DEVICE_CLIENT_ID, redirectUri, state, codeChallenge, agentKey, loginHint: hint } };
}
