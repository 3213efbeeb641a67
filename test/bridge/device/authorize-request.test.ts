import { describe, expect, it } from 'vitest';
import {
  loopbackRedirectProblem,
  parseAuthorizeRequest,
  redirectWith,
  s256Challenge,
  verifierMatches,
} from '../../../src/bridge/index.js';
import { generateEphemeralP256 } from '../../../src/ticket/index.js';
import { newPkce, newState, s256 } from '../../../src/cli/agent/pkce.js';

// RFC 7636 Appendix B: the example verifier and its S256 challenge.
const RFC7636_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC7636_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE S256 (RFC 7636)', () => {
  it('bridge and agent both give the Appendix B challenge', () => {
    expect(s256Challenge(RFC7636_VERIFIER)).toBe(RFC7636_CHALLENGE);
    expect(s256(RFC7636_VERIFIER)).toBe(RFC7636_CHALLENGE);
    expect(verifierMatches(RFC7636_VERIFIER, RFC7636_CHALLENGE)).toBe(true);
  });

  it('refuses a wrong verifier, a flipped challenge character, and out-of-grammar verifiers', () => {
    expect(verifierMatches(RFC7636_VERIFIER.replace('d', 'e'), RFC7636_CHALLENGE)).toBe(false);
    expect(verifierMatches(RFC7636_VERIFIER, `F${RFC7636_CHALLENGE.slice(1)}`)).toBe(false);
    // §4.1: 43..128 unreserved characters.
    const short = 'a'.repeat(42);
    expect(verifierMatches(short, s256Challenge(short))).toBe(false);
    const long = 'a'.repeat(129);
    expect(verifierMatches(long, s256Challenge(long))).toBe(false);
    const spaced = `${'a'.repeat(42)} `;
    expect(verifierMatches(spaced, s256Challenge(spaced))).toBe(false);
    // The challenge itself is never accepted as the verifier (that would be `plain`).
    expect(verifierMatches(RFC7636_CHALLENGE, RFC7636_CHALLENGE)).toBe(false);
  });

  it('agent verifiers are 43 base64url characters, fresh each time, with a matching challenge', () => {
    const a = newPkce();
    const b = newPkce();
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.verifier).not.toBe(b.verifier);
    expect(verifierMatches(a.verifier, a.challenge)).toBe(true);
    expect(newState()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('loopback redirect URIs (RFC 8252 §7.3, §8.3)', () => {
  it.each([
    ['http://127.0.0.1:49152/callback', undefined],
    ['http://127.0.0.1:1/', undefined],
    ['http://[::1]:8080/callback', undefined],
    ['http://localhost:8080/callback', 'not_loopback'],
    ['https://127.0.0.1:8080/callback', 'not_loopback'],
    ['http://127.0.0.2:8080/callback', 'not_loopback'],
    ['http://evil.test/callback', 'not_loopback'],
    ['http://127.0.0.1.evil.test:80/', 'not_loopback'],
    ['http://127.1:8080/callback', 'not_canonical'],
    ['http://0x7f.0.0.1:8080/callback', 'not_canonical'],
    ['http://user@127.0.0.1:8080/callback', 'not_canonical'],
    ['http://127.0.0.1/callback', 'not_canonical'],
    ['HTTP://127.0.0.1:8080/callback', 'not_canonical'],
    ['http://127.0.0.1:8080/a/../callback', 'not_canonical'],
    ['http://127.0.0.1:8080/callback?x=1', 'has_query_or_fragment'],
    ['http://127.0.0.1:8080/callback#f', 'has_query_or_fragment'],
    ['not a url', 'not_a_url'],
    [`http://127.0.0.1:8080/${'a'.repeat(600)}`, 'too_long'],
  ])('%s → %s', (uri, problem) => {
    expect(loopbackRedirectProblem(uri)).toBe(problem);
  });

  it('appends code and state as the only query parameters', () => {
    expect(redirectWith('http://127.0.0.1:5000/callback', { code: 'a b', state: 's&t', error: undefined })).toBe('http://127.0.0.1:5000/callback?code=a+b&state=s%26t');
  });
});

describe('GET /device/authorize parameters', () => {
  const agentKey = generateEphemeralP256();
  const good = {
    response_type: 'code', client_id: 'tgtbridge-agent', redirect_uri: 'http://127.0.0.1:40000/callback', state: 'st', code_challenge: RFC7636_CHALLENGE,
    code_challenge_method: 'S256', agent_key: agentKey.publicKeyText,
  };

  it('accepts a complete request and normalizes a JWK agent key to SPKI', () => {
    const jwk = Buffer.from(JSON.stringify({ kty: 'EC', crv: 'P-256', x: Buffer.from(agentKey.publicKey.subarray(1, 33)).toString('base64url'), y: Buffer.from(agentKey.publicKey.subarray(33)).toString('base64url') })).toString('base64url');
    const a = parseAuthorizeRequest(good);
    const b = parseAuthorizeRequest({ ...good, agent_key: jwk, login_hint: 'alice' });
    expect(a).toMatchObject({ ok: true, request: { state: 'st', codeChallenge: RFC7636_CHALLENGE, agentKey: agentKey.publicKeyText, loginHint: undefined } });
    expect(b).toMatchObject({ ok: true, request: { agentKey: agentKey.publicKeyText, loginHint: 'alice' } });
  });

  it('never redirects for an unknown client or a redirect that leaves the computer', () => {
    for (const bad of [{ client_id: 'other' }, { client_id: undefined }, { redirect_uri: 'https://evil.test/cb' }, { redirect_uri: 'http://localhost:4000/callback' }, { redirect_uri: ['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b'] }]) {
      expect(parseAuthorizeRequest({ ...good, ...bad })).toMatchObject({ ok: false, redirect: undefined });
    }
  });

  it.each([
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ response_type: undefined }, 'invalid_request'],
    [{ state: undefined }, 'invalid_request'],
    [{ state: 'x'.repeat(513) }, 'invalid_request'],
    [{ state: ['a', 'b'] }, 'invalid_request'],
    [{ code_challenge_method: 'plain' }, 'invalid_request'],
    [{ code_challenge_method: undefined }, 'invalid_request'],
    [{ code_challenge: 'short' }, 'invalid_request'],
    [{ agent_key: undefined }, 'invalid_request'],
    [{ agent_key: 'AAAA' }, 'invalid_request'],
    [{ login_hint: 'a\nb' }, 'invalid_request'],
  ])('%o → redirect with %s', (change, error) => {
    const r = parseAuthorizeRequest({ ...good, ...change });
    expect(r).toMatchObject({ ok: false, redirect: good.redirect_uri, error });
  });
});
