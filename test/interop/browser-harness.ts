import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { TestBridge } from '../bridge/http-harness.js';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP localhost 127.0.0.1'],
  });
}

export interface AuthenticatorOptions {
  readonly backupEligible?: boolean;
  readonly backedUp?: boolean;
  readonly hasUserVerification?: boolean;
  /** Trust any TLS certificate in this context (the bridge's self-signed one). */
  readonly ignoreHttpsErrors?: boolean;
}

export interface BrowserSession {
  readonly page: Page;
  readonly cdp: CDPSession;
  readonly authenticatorId: string;
  close(): Promise<void>;
}

/** A fresh context, page and CDP virtual authenticator (ctap2.1, internal, resident keys). */
export async function openSession(browser: Browser, o: AuthenticatorOptions = {}): Promise<BrowserSession> {
  const context = await browser.newContext(o.ignoreHttpsErrors === true ? { ignoreHTTPSErrors: true } : {});
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', ctap2Version: 'ctap2_1', transport: 'internal', hasResidentKey: true,
      hasUserVerification: o.hasUserVerification ?? true, isUserVerified: o.hasUserVerification ?? true,
      automaticPresenceSimulation: true, defaultBackupEligibility: o.backupEligible ?? false, defaultBackupState: o.backedUp ?? false,
    },
  });
  return { page, cdp, authenticatorId, close: () => context.close() };
}

/**
 * One Chromium for the describe block and a fresh session (context + virtual authenticator) per
 * call, closed after each test: the 3-resident-credential limit makes a fresh authenticator per
 * test the rule. Call inside describe; other after-each cleanup (the bridge) stays with the caller.
 */
export function useChromiumSessions(): (o?: AuthenticatorOptions) => Promise<BrowserSession> {
  let browser: Browser | undefined;
  let sessions: BrowserSession[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const s of sessions) await s.close();
    sessions = [];
  });
  return async (o = {}) => {
    if (browser === undefined) throw new Error('useChromiumSessions: the browser is not launched yet (call inside a test)');
    const s = await openSession(browser, o);
    sessions.push(s);
    return s;
  };
}

/** The words in the page's live region once it says something. */
export async function statusText(page: Page): Promise<string> {
  const status = page.locator('#status');
  await expect.poll(async () => (await status.textContent()) ?? '', { timeout: 10_000 }).not.toBe('');
  return (await status.textContent()) ?? '';
}

/** Issue a TAP through the running bridge (as `tgtbridge tap issue` does). */
export async function issueTap(tb: TestBridge, user: string, ttl = 3600, uses = 1): Promise<string> {
  const u = (await tb.bridge.ctx.directory.findUser(user))!;
  return (await tb.bridge.ctx.taps.issue(u, ttl, uses, 'browser-test')).code;
}

/** Redeem a TAP on the /tap page; returns whether the register form appeared. */
export async function redeemTap(s: BrowserSession, tb: TestBridge, user: string, code: string): Promise<void> {
  await s.page.goto(`${tb.origin}/tap`);
  await s.page.getByLabel('Account name').fill(user);
  await s.page.getByLabel('Temporary access pass').fill(code);
  await s.page.getByRole('button', { name: 'Continue' }).click();
}

/** TAP page → create a passkey; resolves when the page moved to /security or shows an error. */
export async function registerWithTap(s: BrowserSession, tb: TestBridge, user: string, name = 'Test key'): Promise<'ok' | string> {
  await redeemTap(s, tb, user, await issueTap(tb, user));
  await s.page.getByLabel(/Name for the new passkey/).fill(name);
  await s.page.getByRole('button', { name: 'Create a passkey' }).click();
  return waitOutcome(s.page, '**/security');
}

export async function signInOnPage(s: BrowserSession, tb: TestBridge, username?: string): Promise<'ok' | string> {
  await s.page.goto(`${tb.origin}/`);
  if (username) {
    // Keyboard only: type the name and submit with Enter.
    await s.page.getByLabel(/Account name/).fill(username);
    await s.page.getByLabel(/Account name/).press('Enter');
  } else {
    await s.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  }
  return waitOutcome(s.page, '**/security');
}

async function waitOutcome(page: Page, okUrl: string): Promise<'ok' | string> {
  // Whichever comes first; the loser times out later and is swallowed.
  const ok = page.waitForURL(okUrl, { timeout: 15_000 }).then(() => 'ok' as const, () => 'timeout: no navigation');
  const failed = page.locator('#status:not(.ok):not(:empty)').waitFor({ timeout: 15_000 })
    .then(async () => (await page.locator('#status').textContent()) ?? '', () => 'timeout: no error shown');
  return Promise.race([ok, failed]);
}

/** The passkeys table on /security as rows of cell texts. */
export async function passkeyRows(page: Page): Promise<string[][]> {
  await page.locator('#passkeys tr').first().waitFor();
  return page.locator('#passkeys tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 5).map((td) => td.textContent ?? '')));
}
