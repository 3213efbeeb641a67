/**
 * Real-peer labs for interop tests: an MIT krb5 realm and a Samba AD DC, each in a network
 * namespace of its own, brought up by scripts/lab/*.sh (the same scripts a person runs by hand:
 * scripts/lab/README.md). Tests talk to them only through `exec`, which runs a command inside the
 * namespace with the lab's KRB5_CONFIG.
 *
 * Every lab is torn down: by `stop()` (idempotent), by the `afterAll` that `useMitRealm` /
 * `useSambaDc` register, and, should the worker end before that, by the lab's reaper process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { forwardIntoNetns, forwardKdcIntoNetns, type Forward, type ForwardProtocol } from './netns-forward.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LAB_SCRIPTS = join(REPO_ROOT, 'scripts', 'lab');

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ExecOptions {
  /** Written to the command's stdin, which is then closed (kinit reads a password this way). */
  readonly input?: string | Uint8Array;
  /** Added to the lab's environment (KRB5_CONFIG and friends). */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

export interface Lab {
  readonly dir: string;
  readonly realm: string;
  /** The lab's `env` file: LAB_DIR, REALM, NETNS, KDC_HOST, KRB5_CONFIG, PASSWORD, … */
  readonly env: Readonly<Record<string, string>>;
  readonly kdcHost: string;
  readonly netns: string;
  /** The password every test user of the lab has. */
  readonly password: string;
  /** Wall time of the bring-up script, in milliseconds. */
  readonly bringUpMs: number;
  /** Runs `cmd` inside the lab's namespace (`ip netns exec <ns> …`) with the lab's KRB5_CONFIG. */
  exec(cmd: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Runs `cmd` in a fresh, empty network namespace (no KDC reachable) with the lab's KRB5_CONFIG. */
  execOffline(cmd: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** A file under the lab's keytab directory: `keytabPath('svc18')` → `<dir>/keytabs/svc18.keytab`. */
  keytabPath(name: string): string;
  /**
   * 127.0.0.1:<port> in the test worker's own namespace, relayed to kdcHost:`port` inside the lab
   * (for in-process clients: ldapts on 636, the KDC transport). Closed by stop().
   */
  forward(port: number, proto?: ForwardProtocol): Promise<Forward>;
  /** The lab's KDC (port 88) on 127.0.0.1:<port> here, TCP and UDP on the same number. */
  forwardKdc(): Promise<Forward>;
  stop(): Promise<void>;
}

export type MitRealm = Lab;

export interface SambaDc extends Lab {
  readonly domainSid: string;
  readonly adminPassword: string;
  /** The DC's smb.conf (for samba-tool) and an smb.conf for clients (smbclient -s). */
  readonly smbConf: string;
  readonly clientSmbConf: string;
  /** `samba-tool domain exportkeytab` of one principal into `path` (replaced, mode 0600). */
  exportKeytab(principal: string, path: string): Promise<void>;
}

export interface MitRealmOptions {
  readonly realm?: string;
  /** Default: a fresh directory under os.tmpdir(), removed again by stop(). */
  readonly dir?: string;
}

export interface SambaDcOptions {
  readonly dir?: string;
}

/** Environment variables of the test runner a lab command must not inherit. */
const STRIPPED_ENV = ['KRB5CCNAME', 'KRB5_KTNAME', 'KRB5_CLIENT_KTNAME', 'KRB5_TRACE', 'KRB5_KDC_PROFILE'];

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !STRIPPED_ENV.includes(k)) env[k] = v;
  }
  return env;
}

/** Runs a program to completion and collects its output; never rejects for a non-zero exit. */
export function run(file: string, args: readonly string[], opts: ExecOptions & { readonly baseEnv?: Readonly<Record<string, string>> } = {}): Promise<ExecResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, [...args], {
      env: { ...(opts.baseEnv ?? baseEnv()), ...(opts.env ?? {}) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Parses a lab's `env` file (KEY=VALUE per line, values unquoted). */
export function readLabEnv(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

function need(env: Readonly<Record<string, string>>, key: string): string {
  const v = env[key];
  if (v === undefined || v === '') throw new Error(`lab env file has no ${key}`);
  return v;
}

/**
 * A lab must not outlive the test worker that started it, however the worker ends. Vitest ends its
 * fork workers with SIGTERM and kills them soon after, too soon for a clean-up inside the worker
 * to finish, so each lab gets a reaper: a shell in a session of its own that waits for this
 * process to be gone and then runs the lab's `down`. stop() ends the reaper after a clean stop.
 */
const REAPER = `
while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
bash "$2" down "$3" >/dev/null 2>&1
if [ "$4" = 1 ]; then rm -rf "$3"; fi
`;

function startReaper(scriptPath: string, dir: string, ownsDir: boolean): () => void {
  const reaper = spawn('setsid', ['bash', '-c', REAPER, 'tgtbridge-lab-reaper', String(process.pid), scriptPath, dir, ownsDir ? '1' : '0'], {
    detached: true,
    stdio: 'ignore',
  });
  reaper.unref();
  return () => {
    if (reaper.exitCode === null && reaper.pid !== undefined) {
      try {
        process.kill(reaper.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  };
}

interface LabCore {
  readonly dir: string;
  readonly env: Record<string, string>;
  readonly bringUpMs: number;
  readonly stop: () => Promise<void>;
  readonly exec: Lab['exec'];
  readonly execOffline: Lab['execOffline'];
  readonly forward: Lab['forward'];
  readonly forwardKdc: Lab['forwardKdc'];
}

async function bringUp(script: string, dir: string, extraArgs: readonly string[], ownsDir: boolean): Promise<LabCore> {
  const scriptPath = join(LAB_SCRIPTS, script);
  const stopReaper = startReaper(scriptPath, dir, ownsDir);
  const t0 = performance.now();
  const up = await run('bash', [scriptPath, 'up', dir, ...extraArgs], { timeoutMs: 170_000 });
  const bringUpMs = performance.now() - t0;
  if (up.code !== 0) {
    // The script tore down what it had made (its ERR trap); the reaper would only repeat that.
    stopReaper();
    if (ownsDir) rmSync(dir, { recursive: true, force: true });
    throw new Error(`${script} up ${dir} failed (rc ${up.code}):\n${up.stdout}${up.stderr}`);
  }
  const env = readLabEnv(join(dir, 'env'));
  const netns = need(env, 'NETNS');
  const krb5Config = need(env, 'KRB5_CONFIG');
  const kdcHost = need(env, 'KDC_HOST');
  const forwards: Forward[] = [];
  const track = async (f: Promise<Forward>): Promise<Forward> => {
    const got = await f;
    forwards.push(got);
    return got;
  };
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      // A forward that fails to close must not keep the lab up.
      await Promise.allSettled(forwards.map((f) => f.close()));
      const down = await run('bash', [scriptPath, 'down', dir], { timeoutMs: 60_000 });
      if (down.code === 0) stopReaper();
      if (down.code !== 0) throw new Error(`${script} down ${dir} failed (rc ${down.code}): ${down.stderr}`);
      if (ownsDir) rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  const labEnv = { KRB5_CONFIG: krb5Config };
  return {
    dir,
    env,
    bringUpMs,
    stop,
    exec: (cmd, opts = {}) =>
      run('ip', ['netns', 'exec', netns, ...cmd], { ...opts, env: { ...labEnv, ...(opts.env ?? {}) } }),
    // unshare --net: a new namespace whose only interface, lo, is down — nothing can be reached.
    execOffline: (cmd, opts = {}) =>
      run('unshare', ['--net', '--', ...cmd], { ...opts, env: { ...labEnv, ...(opts.env ?? {}) } }),
    forward: (port, proto = 'tcp') => track(forwardIntoNetns(netns, dir, kdcHost, port, proto)),
    forwardKdc: () => track(forwardKdcIntoNetns(netns, dir, kdcHost)),
  };
}

function labDir(kind: string, dir: string | undefined): { dir: string; owns: boolean } {
  if (dir !== undefined) return { dir: resolve(dir), owns: false };
  return { dir: mkdtempSync(join(tmpdir(), `tgtbridge-${kind}-`)), owns: true };
}

/** Brings up an MIT krb5 realm (scripts/lab/mit-realm.sh) and returns its handle. ≈ 0.5 s. */
export async function startMitRealm(opts: MitRealmOptions = {}): Promise<MitRealm> {
  const { dir, owns } = labDir('mit', opts.dir);
  const core = await bringUp('mit-realm.sh', dir, [opts.realm ?? 'MIT.TEST'], owns);
  return {
    ...core,
    realm: need(core.env, 'REALM'),
    kdcHost: need(core.env, 'KDC_HOST'),
    netns: need(core.env, 'NETNS'),
    password: need(core.env, 'PASSWORD'),
    keytabPath: (name) => join(dir, 'keytabs', `${name}.keytab`),
  };
}

/** Brings up a Samba AD DC (scripts/lab/samba-dc.sh) and returns its handle: ≈ 3.5 s from the cached template. */
export async function startSambaDc(opts: SambaDcOptions = {}): Promise<SambaDc> {
  const { dir, owns } = labDir('samba', opts.dir);
  const core = await bringUp('samba-dc.sh', dir, [], owns);
  const exportScript = join(LAB_SCRIPTS, 'samba-export-keys.sh');
  return {
    ...core,
    realm: need(core.env, 'REALM'),
    kdcHost: need(core.env, 'KDC_HOST'),
    netns: need(core.env, 'NETNS'),
    password: need(core.env, 'PASSWORD'),
    domainSid: need(core.env, 'DOMAIN_SID'),
    adminPassword: need(core.env, 'ADMIN_PASSWORD'),
    smbConf: need(core.env, 'SMB_CONF'),
    clientSmbConf: need(core.env, 'CLIENT_SMB_CONF'),
    keytabPath: (name) => join(dir, `${name}.keytab`),
    exportKeytab: async (principal, path) => {
      const r = await run('bash', [exportScript, dir, principal, path]);
      if (r.code !== 0) throw new Error(`samba-export-keys ${principal} failed (rc ${r.code}): ${r.stderr}`);
    },
  };
}

/**
 * One lab for the enclosing describe block: started in beforeAll, stopped in afterAll. Call at
 * describe level; the returned function gives the running lab inside tests.
 */
function useLab<T extends Lab>(start: () => Promise<T>): () => T {
  let lab: T | undefined;
  beforeAll(async () => {
    lab = await start();
  });
  afterAll(async () => {
    await lab?.stop();
  });
  return () => {
    if (lab === undefined) throw new Error('lab not started (beforeAll failed or the call is outside a test)');
    return lab;
  };
}

export function useMitRealm(opts: MitRealmOptions = {}): () => MitRealm {
  return useLab(() => startMitRealm(opts));
}

/** Samba takes ≈ 7 s to come up: one instance per test file, shared by its tests. */
export function useSambaDc(opts: SambaDcOptions = {}): () => SambaDc {
  return useLab(() => startSambaDc(opts));
}

/** kinit with the lab password into a FILE: ccache of the lab dir; throws when kinit fails. */
export async function kinit(lab: Lab, principal: string, ccache: string, password = lab.password): Promise<void> {
  const r = await lab.exec(['kinit', '-c', `FILE:${ccache}`, principal], { input: `${password}\n` });
  if (r.code !== 0) throw new Error(`kinit ${principal} failed (rc ${r.code}): ${r.stderr}`);
}
