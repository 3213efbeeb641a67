import { afterEach, describe, expect, it } from 'vitest';
import { startTestBridge, type TestBridge } from './http-harness.js';
import { newClient } from './passkey-client.js';

let tb: TestBridge | undefined;
afterEach(async () => {
  await tb?.bridge.close();
  tb = undefined;
});

const isProblem = (headers: Headers): boolean => (headers.get('content-type') ?? '').startsWith('application/problem+json');

describe('requests the body parser refuses are RFC 9457 problems with their own status, not 500', () => {
  it.each([
    ['a body over the 64 kB limit', JSON.stringify({ username: 'x'.repeat(70_000) }), {}, 413, 'request.too_large'],
    ['JSON in a charset other than UTF-8', '{}', { 'content-type': 'application/json; charset=latin1' }, 415, 'request.content_type'],
    ['an unknown content encoding', '{}', { 'content-encoding': 'x-nope' }, 415, 'request.content_type'],
    ['a body that does not inflate', 'not brotli at all', { 'content-encoding': 'br' }, 400, 'request.invalid'],
    ['malformed JSON', '{nope', {}, 400, 'request.invalid'],
  ] as const)('%s', async (_name, payload, headers, status, code) => {
    tb = await startTestBridge();
    const r = await newClient(tb).post('/api/signin/options', payload, headers);
    expect(r).toMatchObject({ status, json: { code, status } });
    expect(isProblem(r.headers)).toBe(true);
  });
});

describe('a cookie that does not percent-decode', () => {
  it('counts as no cookie: the page asks to sign in, the API answers session.required', async () => {
    tb = await startTestBridge();
    const cookie = `${tb.config.sessions.cookieName}=%E0%A4%A`;
    const page = await fetch(`${tb.bridge.url}/security`, { headers: { cookie }, redirect: 'manual' });
    expect(page.status).toBe(303);
    const api = await newClient(tb).post('/api/me', {}, { cookie });
    expect(api).toMatchObject({ status: 401, json: { code: 'session.required' } });
    const verify = await newClient(tb).post('/api/signin/verify', { response: {} }, { cookie: 'tgtbridge_ceremony=%' });
    expect(verify).toMatchObject({ status: 400, json: { code: 'passkey.challenge_invalid' } });
  });
});
