import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Config } from '../../src/config/index.js';
import { parseFileDirectory } from '../../src/directory/index.js';
import { startBridge, type BridgeOptions, type RunningBridge } from '../../src/bridge/index.js';
import { DIRECTORY_DOC, configDoc } from '../webauthn/fixture.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface TestBridge {
  readonly bridge: RunningBridge;
  readonly config: Config;
  /** The origin the pages live on (http://localhost:PORT). */
  readonly origin: string;
  readonly clock: { t: number; now(): Date };
  readonly dataDir: string;
}

/** The real bridge on 127.0.0.1 and a free port; origin http://localhost:PORT (a secure context). */
export async function startTestBridge(
  edit: (doc: Record<string, unknown>) => void = () => {},
  extra: Pick<BridgeOptions, 'onSignedIn' | 'extraRoutes'> = {},
  rootPem?: string,
): Promise<TestBridge> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const doc = configDoc(rootPem, { host: '127.0.0.1', port, origin, rateLimit: { perUser: 50, perAddress: 200, window: '5m' } });
  edit(doc);
  const dataDir = join(mkdtempSync(join(tmpdir(), 'tgtb-bridge-')), 'data');
  if (rootPem) writeFileSync(join(dataDir, '..', 'root.pem'), rootPem);
  const config = parseConfig(doc, join(dataDir, '..', 't.yaml'));
  const directory = parseFileDirectory(DIRECTORY_DOC, 'd.yaml', { realm: 'D.T', dnsDomain: 'd.t', netbiosName: 'D' });
  const clock = { t: Date.now(), now() { return new Date(this.t); } };
  const bridge = await startBridge(config, dataDir, { directory, clock, ...extra });
  return { bridge, config, origin: config.bridge.origin, clock, dataDir };
}

/** A tiny cookie-keeping HTTP client for the JSON API, sending the page's Origin. */
export class ApiClient {
  private readonly jar = new Map<string, string>();
  lastSetCookie: string[] = [];

  constructor(
    private readonly base: string,
    private readonly origin: string,
  ) {}

  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.origin, cookie: this.cookieHeader(), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    });
    return this.finish(res);
  }

  async get(path: string): Promise<{ status: number; text: string; headers: Headers }> {
    const res = await fetch(this.base + path, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    this.keep(res);
    return { status: res.status, text: await res.text(), headers: res.headers };
  }

  private async finish(res: Response) {
    this.keep(res);
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown>, headers: res.headers };
  }

  private keep(res: Response): void {
    this.lastSetCookie = res.headers.getSetCookie();
    for (const c of this.lastSetCookie) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=');
      if (/Max-Age=0/.test(c)) this.jar.delete(name!);
      else this.jar.set(name!, value!);
    }
  }

  private cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}
