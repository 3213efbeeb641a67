import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath, openBrowser } from '../../src/cli/agent/open-browser.js';
import { startLoopbackListener } from '../../src/cli/agent/loopback-listener.js';

/** A fake xdg-open that records the URL it was given. */
function fakeOpener(): { dir: string; record: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tgtb-xdg-'));
  const record = join(dir, 'opened');
  writeFileSync(join(dir, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${record}'\n`);
  chmodSync(join(dir, 'xdg-open'), 0o755);
  return { dir, record };
}

describe('agent: opening the browser', () => {
  it('hands the URL to xdg-open when there is one and a display', async () => {
    const { dir, record } = fakeOpener();
    const url = 'http://localhost:1/device/authorize?a=1&b=2';
    expect(openBrowser(url, { PATH: dir, DISPLAY: ':0' })).toBe(true);
    await expect.poll(() => (existsSync(record) ? readFileSync(record, 'utf8') : '')).toBe(url);
  });

  it('does not try without a display or without xdg-open (the URL is printed instead)', () => {
    const { dir } = fakeOpener();
    expect(openBrowser('http://x/', { PATH: dir })).toBe(false);
    expect(openBrowser('http://x/', { PATH: mkdtempSync(join(tmpdir(), 'tgtb-empty-')), WAYLAND_DISPLAY: 'wayland-0' })).toBe(false);
    expect(findOnPath('xdg-open', { PATH: `:${dir}` })).toBe(join(dir, 'xdg-open'));
  });
});

describe('agent: loopback listener', () => {
  it('listens on 127.0.0.1 only, resolves with the code for its state, then answers "already done"', async () => {
    const l = await startLoopbackListener('st', 10_000);
    try {
      expect(l.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      expect((await fetch(`${l.redirectUri}?code=c1&state=st`)).status).toBe(200);
      expect(await l.response).toEqual({ kind: 'code', code: 'c1' });
      expect((await fetch(`${l.redirectUri}?code=c2&state=st`)).status).toBe(409);
    } finally {
      await l.close();
    }
  });

  it('passes the bridge error and its words on; a repeated state parameter is not ours', async () => {
    const l = await startLoopbackListener('st', 10_000);
    const strays: string[] = [];
    l.onStray = (w) => strays.push(w);
    try {
      expect((await fetch(`${l.redirectUri}?code=x&state=st&state=st`)).status).toBe(400);
      expect(strays).toHaveLength(1);
      const page = await fetch(`${l.redirectUri}?error=access_denied&error_description=${encodeURIComponent('No <b>ticket</b>.')}&state=st`);
      expect(await page.text()).toContain('No &#60;b&#62;ticket&#60;/b&#62;. Nothing was written');
      expect(page.headers.get('content-security-policy')).toBe("default-src 'none'");
      expect(await l.response).toEqual({ kind: 'error', error: 'access_denied', description: 'No <b>ticket</b>.' });
    } finally {
      await l.close();
    }
  });

  it('times out with ERR_TRANSPORT', async () => {
    const l = await startLoopbackListener('st', 50);
    await expect(l.response).rejects.toMatchObject({ code: 'ERR_TRANSPORT' });
    await l.close();
  });
});
