/**
 * Redirect URIs of a native app on the device (RFC 8252 §7.3): `http://127.0.0.1:PORT/…` or
 * `http://[::1]:PORT/…`. The port is whatever the agent's listener got from the OS, so any port is
 * allowed (§7.3: "MUST allow any port"); `localhost` is refused because it may resolve to another
 * interface or be answered by another process (§8.3). The text must already be in the URL
 * parser's canonical form, so `http://127.1/`, `http://0x7f.1/` or a userinfo trick cannot slip
 * past a comparison made on a normalized copy.
 */
export const LOOPBACK_HOSTS = ['127.0.0.1', '[::1]'] as const;

export type RedirectUriProblem = 'not_a_url' | 'not_loopback' | 'not_canonical' | 'has_query_or_fragment' | 'too_long';

export function loopbackRedirectProblem(text: string): RedirectUriProblem | undefined {
  if (text.length > 512) return 'too_long';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not_a_url';
  }
  // http only: the listener has no certificate, and the code is useless without the verifier (§8.1).
  if (url.protocol !== 'http:' || !(LOOPBACK_HOSTS as readonly string[]).includes(url.hostname)) return 'not_loopback';
  if (url.username !== '' || url.password !== '' || url.port === '') return 'not_canonical';
  // RFC 6749 §3.1.2: no fragment; no query either, so the parameters we append are the only ones.
  if (url.search !== '' || url.hash !== '' || text.includes('#') || text.includes('?')) return 'has_query_or_fragment';
  if (url.href !== text) return 'not_canonical';
  return undefined;
}

/** The redirect with `params` appended as the query (RFC 6749 §4.1.2, §4.1.2.1). */
export function redirectWith(redirectUri: string, params: Readonly<Record<string, string | undefined>>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}
