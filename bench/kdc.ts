import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { KDC_OPTIONS, NAME_TYPES, ticketCodec, type PrincipalName } from '../src/asn1/index.js';
import { ETYPE, Key, randomKey } from '../src/crypto/index.js';
import { decodeCcache } from '../src/files/index.js';
import { buildTgsRequest, requestTgs, sendUdp, type TgtCredential } from '../src/kdc/index.js';
import { mintPartialTgt } from '../src/ticket/index.js';
import { systemClock, systemRandom, toHex } from '../src/util/index.js';
import { BENCH_REALM, BENCH_SID, BENCH_SPN } from './kdc-server.js';
import { runLoad, type LoadResult } from './kdc-load.js';

/**
 * `npm run bench:kdc` (issue 6): TGS-REQs per second of the embedded exchange and of MIT krb5kdc,
 * side by side in one run, same load generator, fresh authenticators (each request built once and
 * used once), UDP and TCP, 4 and 16 in flight; p50/p99 latency. Each KDC pinned to core 0
 * (taskset), the generator to core 1.
 *
 *   node dist/bench/kdc.js [requests=10000]
 *
 * As root with krb5kdc installed, an MIT realm is started by scripts/lab/mit-realm.sh in its own
 * network namespace and the whole measurement runs inside it (both KDCs on that namespace's
 * 127.0.0.1); otherwise only the embedded exchange is measured, on the host's loopback.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Interleaved rounds per row; the table shows medians. */
const ROUNDS = 3;
const TARGETS = [
  ['udp', 4],
  ['udp', 16],
  ['tcp', 4],
  ['tcp', 16],
] as const;

function pin(pid: number, core: number): boolean {
  return spawnSync('taskset', ['-cp', String(core), String(pid)], { stdio: 'ignore' }).status === 0;
}

function nowTill(hours: number): Date {
  return new Date(Date.now() + hours * 3600e3);
}

function requestsFor(tgt: TgtCredential, sname: PrincipalName, srealm: string, n: number): Uint8Array[] {
  return Array.from({ length: n }, () =>
    buildTgsRequest({ tgt, sname, srealm, kdcOptions: KDC_OPTIONS.forwardable | KDC_OPTIONS.canonicalize, till: nowTill(8), clock: systemClock, random: systemRandom }).der,
  );
}

async function startEmbedded(dir: string): Promise<{ child: ChildProcess; port: number; keys: { rodc: Key; rodcNumber: number } }> {
  const rodc = randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96);
  const rodcNumber = 0xd3ff;
  const file = join(dir, 'keys.json');
  writeFileSync(file, JSON.stringify({ rodcNumber, rodc: toHex(rodc.exportBytes()), krbtgt: toHex(randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96).exportBytes()), cifs: toHex(randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96).exportBytes()) }), { mode: 0o600 });
  const child = spawn('taskset', ['-c', '0', process.execPath, join(ROOT, 'dist', 'bench', 'kdc-server.js'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (c) => reject(new Error(`kdc-server exited (${c})`)));
  });
  return { child, port: Number(line.replace('PORT ', '')), keys: { rodc, rodcNumber } };
}

interface Row {
  readonly kdc: string;
  readonly what: string;
  readonly transport: string;
  readonly inFlight: number;
  readonly r: LoadResult;
  /** KDC process CPU time (user + system, /proc/<pid>/stat) per answered request: load-independent. */
  readonly cpuUs: number;
}

/** utime + stime of a process in microseconds (clock ticks of 10 ms on Linux). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

interface Kdc {
  readonly name: string;
  readonly what: string;
  readonly port: number;
  readonly pid: number;
  readonly make: (n: number) => Uint8Array[];
}

async function measure(k: Kdc, transport: 'udp' | 'tcp', inFlight: number, n: number): Promise<Row> {
  const requests = k.make(n);
  const before = cpuMicros(k.pid);
  const r = await runLoad({ host: '127.0.0.1', port: k.port, transport, inFlight, requests });
  const cpuUs = (cpuMicros(k.pid) - before) / Math.max(1, r.ok);
  process.stderr.write(`  ${k.name} ${k.what} ${transport}/${inFlight}: ${r.perSecond.toFixed(0)}/s, ${cpuUs.toFixed(0)} µs CPU each\n`);
  return { kdc: k.name, what: k.what, transport, inFlight, r, cpuUs };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Rounds interleave the KDCs so that both see the same machine load; each figure is the median over rounds. */
async function measureAll(kdcs: readonly Kdc[], n: number, rounds: number): Promise<Row[]> {
  for (const k of kdcs) await runLoad({ host: '127.0.0.1', port: k.port, transport: 'udp', inFlight: 4, requests: k.make(500) }); // warm-up
  const rows: Row[] = [];
  for (const [transport, inFlight] of TARGETS) {
    const per = new Map<Kdc, Row[]>(kdcs.map((k) => [k, []]));
    for (let round = 0; round < rounds; round++) for (const k of kdcs) per.get(k)!.push(await measure(k, transport, inFlight, Math.ceil(n / rounds)));
    for (const k of kdcs) {
      const rs = per.get(k)!;
      const pick = (f: (r: Row) => number) => median(rs.map(f));
      const sum = (f: (r: Row) => number) => rs.reduce((a, r) => a + f(r), 0);
      rows.push({
        kdc: k.name,
        what: k.what,
        transport,
        inFlight,
        cpuUs: pick((r) => r.cpuUs),
        r: { sent: sum((r) => r.r.sent), ok: sum((r) => r.r.ok), errors: sum((r) => r.r.errors), timeouts: sum((r) => r.r.timeouts), seconds: sum((r) => r.r.seconds), perSecond: pick((r) => r.r.perSecond), p50Ms: pick((r) => r.r.p50Ms), p99Ms: pick((r) => r.r.p99Ms) },
      });
    }
  }
  return rows;
}

async function inner(labDir: string | undefined, n: number): Promise<void> {
  const pinned = pin(process.pid, 1);
  const dir = mkdtempSync(join(tmpdir(), 'tgtbridge-bench-kdc-'));
  chmodSync(dir, 0o700);
  const embedded = await startEmbedded(dir);
  try {
    // The partial TGT, exchanged once for a full TGT: the service-ticket load uses the full TGT.
    const partialMinted = mintPartialTgt({ user: { samAccountName: 'alice', sid: `${BENCH_SID}-1104` }, realm: BENCH_REALM, rodcKey: { key: embedded.keys.rodc, rodcNumber: embedded.keys.rodcNumber, keyVersion: 1 }, clock: systemClock, random: systemRandom });
    const cname = { nameType: NAME_TYPES['NT-PRINCIPAL'], nameString: ['alice'] };
    const partial: TgtCredential = { ticket: partialMinted.ticket, sessionKey: partialMinted.sessionKey, crealm: BENCH_REALM, cname };
    const krbtgt = { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['krbtgt', BENCH_REALM] };
    const full = await requestTgs({ tgt: partial, sname: krbtgt, srealm: BENCH_REALM, kdcOptions: KDC_OPTIONS.forwardable, till: nowTill(10), clock: systemClock, random: systemRandom, send: (d) => sendUdp({ host: '127.0.0.1', port: embedded.port }, d) });
    const fullTgt: TgtCredential = { ticket: full.ticket, sessionKey: full.sessionKey, crealm: BENCH_REALM, cname };
    const cifs = { nameType: NAME_TYPES['NT-SRV-INST'], nameString: BENCH_SPN.split('/') };

    let mit: { port: number; pid: number; tgt: TgtCredential; sname: PrincipalName; realm: string } | undefined;
    if (labDir !== undefined) {
      const env = Object.fromEntries(readFileSync(join(labDir, 'env'), 'utf8').trim().split('\n').map((l) => l.split('=', 2) as [string, string]));
      const ccache = join(dir, 'mit.ccache');
      execFileSync('kinit', ['-c', `FILE:${ccache}`, 'alice'], { input: `${env['PASSWORD']}\n`, env: { ...process.env, KRB5_CONFIG: env['KRB5_CONFIG']! }, stdio: ['pipe', 'ignore', 'inherit'] });
      const cred = decodeCcache(readFileSync(ccache)).credentials.find((c) => !c.isConfigEntry && c.server.components[0] === 'krbtgt')!;
      const realm = env['REALM']!;
      const pid = Number(readFileSync(join(labDir, 'krb5kdc.pid'), 'utf8').trim());
      pin(pid, 0);
      mit = {
        port: 88,
        pid,
        realm,
        tgt: { ticket: ticketCodec.decode(cred.ticket), sessionKey: Key.fromBytes(cred.key.keytype, cred.key.keyvalue), crealm: realm, cname },
        sname: { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['cifs', `fs.${realm.toLowerCase()}`] },
      };
    }

    const kdcs: Kdc[] = [];
    if (mit !== undefined) {
      const m = mit;
      kdcs.push({ name: 'MIT krb5kdc', what: 'TGT → cifs', port: m.port, pid: m.pid, make: (k) => requestsFor(m.tgt, m.sname, m.realm, k) });
    }
    const pid = embedded.child.pid!;
    kdcs.push({ name: 'embedded', what: 'TGT → cifs', port: embedded.port, pid, make: (k) => requestsFor(fullTgt, cifs, BENCH_REALM, k) });
    kdcs.push({ name: 'embedded', what: 'partial → TGT', port: embedded.port, pid, make: (k) => requestsFor(partial, krbtgt, BENCH_REALM, k) });
    print(await measureAll(kdcs, n, ROUNDS), pinned, n, labDir !== undefined);
  } finally {
    embedded.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(rows: readonly Row[], pinned: boolean, n: number, withMit: boolean): void {
  console.log(`node ${process.version}; ${n} requests per row in ${ROUNDS} interleaved rounds (medians), fresh authenticators; KDC on core 0, generator on core 1${pinned ? '' : ' (taskset failed: not pinned)'}`);
  const header = ['KDC', 'request', 'transport', 'in flight', 'TGS-REQ/s', 'p50 ms', 'p99 ms', 'KDC CPU µs/req', 'errors', 'timeouts', 'vs MIT (rate)', 'vs MIT (CPU)'];
  const table = rows.map((x) => {
    const mit = rows.find((m) => m.kdc === 'MIT krb5kdc' && m.transport === x.transport && m.inFlight === x.inFlight);
    const other = mit !== undefined && x.kdc !== mit.kdc;
    const ratio = other ? `${(x.r.perSecond / mit.r.perSecond).toFixed(2)}×` : '';
    const cpuRatio = other ? `${(mit.cpuUs / x.cpuUs).toFixed(2)}×` : '';
    return [x.kdc, x.what, x.transport, String(x.inFlight), x.r.perSecond.toFixed(0), x.r.p50Ms.toFixed(2), x.r.p99Ms.toFixed(2), x.cpuUs.toFixed(0), String(x.r.errors), String(x.r.timeouts), ratio, cpuRatio];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  for (const r of table) console.log(line(r));
  if (!withMit) console.log('(MIT krb5kdc not measured: needs root and krb5kdc for scripts/lab/mit-realm.sh)');
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10_000);
  if (process.argv[3] === '--inner') {
    await inner(process.argv[4], n);
    return;
  }
  const canMit = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v krb5kdc'], { stdio: 'ignore' }).status === 0;
  if (!canMit) {
    await inner(undefined, n);
    return;
  }
  const lab = mkdtempSync(join(tmpdir(), 'tgtbridge-bench-mit-'));
  const script = join(ROOT, 'scripts', 'lab', 'mit-realm.sh');
  execFileSync('bash', [script, 'up', lab, 'MIT.TEST'], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    const env = readFileSync(join(lab, 'env'), 'utf8');
    const ns = /^NETNS=(.*)$/m.exec(env)![1]!;
    // The generator and our KDC join the MIT realm's namespace: both KDCs on the same 127.0.0.1.
    const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, fileURLToPath(import.meta.url), String(n), '--inner', lab], { stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = r.status ?? 1;
  } finally {
    execFileSync('bash', [script, 'down', lab], { stdio: 'inherit' });
    if (existsSync(lab)) rmSync(lab, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('kdc.js')) void main();
