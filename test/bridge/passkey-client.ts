import { expect } from 'vitest';
import { assertionResponse, newCredential, registrationResponse, userIdOf, type AssertOptions, type SynthCredential } from '../webauthn/synth.js';
import { ApiClient, type TestBridge } from './http-harness.js';

export type Rp = { readonly rpId: string; readonly origin: string };

/** A browser stand-in: redeem a fresh TAP for `name` and register `cred` in that TAP session. */
export async function enrolWithTap(t: TestBridge, api: ApiClient, rp: Rp, name: string, cred: SynthCredential = newCredential()): Promise<{ id: string; cred: SynthCredential }> {
  const user = (await t.bridge.ctx.directory.findUser(name))!;
  const tap = await t.bridge.ctx.taps.issue(user, 3600, 1, 'test');
  expect((await api.post('/api/tap/redeem', { username: name, code: tap.code })).status).toBe(200);
  const opts = await api.post('/api/register/options', {});
  const reg = await api.post('/api/register/verify', { response: registrationResponse(rp, String(opts.json['challenge']), cred, { userId: userIdOf(opts.json) }) });
  expect(reg.status).toBe(200);
  return { id: String(reg.json['id']), cred };
}

/** Sign in through the JSON API as the sign-in page does; returns the verify answer. */
export async function signInWith(api: ApiClient, rp: Rp, cred: SynthCredential, o: AssertOptions & { readonly username?: string } = {}) {
  const opts = await api.post('/api/signin/options', o.username ? { username: o.username } : {});
  expect(opts.status).toBe(200);
  return api.post('/api/signin/verify', { response: assertionResponse(rp, String(opts.json['challenge']), cred, o) });
}

export function newClient(t: TestBridge): ApiClient {
  return new ApiClient(t.bridge.url, t.origin);
}
