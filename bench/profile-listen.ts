import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { startCpuProfile } from './cpu-profile.js';
import { createServer } from 'node:net';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listenExchangeKdc } from '../src/kdc/index.js';
import { LOAD_TARGETS, runLoad } from './kdc-load.js';

/**
 * `npm run bench:listen`: what the embedded exchange's UDP/TCP listener (src/kdc/service/listen.ts)
 * costs per request, apart from the KDC work. Servers, side by side in one run:
 *   floor       the least a Node server can do: a plain dgram socket sending the reply; a plain net
 *               server that reads one frame and end()s the reply (closes first, as MIT krb5kdc does)
 *   floor-open  the same, but writing the reply and leaving the close to the client, as a listener
 *               that takes several requests per connection must
 *   listen      the real listenExchangeKdc with a trivial KdcHandler
 *   baseline    with LISTEN_BASELINE=<listen.js>: listenExchangeKdc from that module (an older
 *               build) for before/after in one run
 * The reply is a fixed 1,400 bytes starting with the TGS-REP tag, returned at once. Each server is
 * its own process pinned to core 0; the bench/kdc-load.ts generator (this process) to core 1, a
 * TCP connection per request as MIT clients do. Figure: server CPU (process.cpuUsage, user +
 * system) per answered request; rounds interleave the servers.
 *
 *   node dist/bench/profile-listen.js [requests per round=4000] [rounds=5] [udp|tcp]
 *
 * LISTEN_PROFILE=<prefix> writes each server's CPU profile (warm-up included) to <prefix>.<kind>.cpuprofile.
 */
const REQUEST = new Uint8Array(1800).fill(0x30);
REQUEST[0] = 0x6c; // [APPLICATION 12] TGS-REQ; the trivial handler does not look further
const REPLY = new Uint8Array(1400).fill(0x30);
REPLY[0] = 0x6d; // [APPLICATION 13] TGS-REP: kdc-load counts it as ok

type KdcHandler = Parameters<typeof listenExchangeKdc>[0];

const TARGETS = LOAD_TARGETS;

/**
 * LISTEN_WORK_US=<n>: every server spins n µs per request before answering, standing in for the
 * KDC's work (~150 µs), so that the server, not the generator, is the bottleneck as in bench:kdc —
 * how often the generator sleeps changes what each reply costs (waking it). Subtracted from the figures.
 */
const WORK_US = Number(process.env['LISTEN_WORK_US'] ?? 0);

function work(): void {
  if (WORK_US <= 0) return;
  const until = performance.now() + WORK_US / 1000;
  while (performance.now() < until);
}

type Kind = 'floor' | 'floor-open' | 'listen' | 'baseline';

async function serve(kind: Kind, baseline: string | undefined): Promise<number> {
  const handler: KdcHandler = {
    handle: async () => {
      work();
      return REPLY;
    },
    krbError: () => REPLY,
  };
  if (kind === 'floor' || kind === 'floor-open') {
    const udp = createSocket('udp4');
    udp.on('message', (_m, r) => {
      work();
      udp.send(REPLY, r.port, r.address);
    });
    const framed = Buffer.allocUnsafe(4 + REPLY.length);
    framed.writeUInt32BE(REPLY.length, 0);
    framed.set(REPLY, 4);
    const tcp = createServer({ noDelay: true }, (sock) => {
      let have = 0;
      sock.on('error', () => {});
      // The generator writes one 4+1800-byte frame: count bytes, answer when it is all in. `floor`
      // closes after the reply as MIT's krb5kdc does; `floor-open` leaves the connection to the
      // client, as a listener that takes several requests per connection must.
      sock.on('data', (d) => {
        have += d.length;
        if (have < 4 + REQUEST.length) return;
        work();
        if (kind === 'floor') sock.end(framed);
        else sock.write(framed);
      });
    });
    await new Promise<void>((r) => tcp.listen({ host: '127.0.0.1', port: 0, backlog: 511 }, r));
    const port = (tcp.address() as { port: number }).port;
    await new Promise<void>((r) => udp.bind({ address: '127.0.0.1', port }, r));
    return port;
  }
  const listen = kind === 'baseline' ? ((await import(pathToFileURL(baseline!).href)) as { listenExchangeKdc: typeof listenExchangeKdc }).listenExchangeKdc : listenExchangeKdc;
  const l = await listen(handler, { port: 0, rateLimit: { perSecond: 1e9, burst: 1e9 }, maxConnections: 4096 });
  return l.tcpPort;
}

/** Child: start the server, print PORT, then answer each `cpu` line on stdin with its CPU µs so far. */
async function child(kind: Kind): Promise<void> {
  const profile = process.env['LISTEN_PROFILE'];
  const stopProfile = profile !== undefined ? await startCpuProfile() : undefined;
  const port = await serve(kind, process.env['LISTEN_BASELINE']);
  process.stdout.write(`PORT ${port}\n`);
  createInterface({ input: process.stdin }).on('line', () => {
    const u = process.cpuUsage();
    process.stdout.write(`CPU ${u.user + u.system}\n`);
  });
  process.stdin.on('end', () =>
    void (async () => {
      await stopProfile?.(`${profile}.${kind}.cpuprofile`);
      process.exit(0);
    })(),
  );
}

interface Server {
  readonly kind: Kind;
  readonly proc: ChildProcess;
  readonly port: number;
  readonly lines: Interface;
}

async function start(kind: Kind): Promise<Server> {
  const proc = spawn('taskset', ['-c', '0', process.execPath, fileURLToPath(import.meta.url), 'serve', kind], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    proc.once('exit', (c) => reject(new Error(`${kind} server exited (${c})`)));
  });
  return { kind, proc, port: Number(first.replace('PORT ', '')), lines };
}

/** User + system CPU µs of the server process so far. */
function cpu(s: Server): Promise<number> {
  return new Promise((resolve) => {
    s.lines.once('line', (l) => resolve(Number(l.replace('CPU ', ''))));
    s.proc.stdin!.write('cpu\n');
  });
}

async function measure(s: Server, transport: 'udp' | 'tcp', inFlight: number, n: number): Promise<{ us: number; perSecond: number }> {
  const requests = Array.from({ length: n }, () => REQUEST);
  const before = await cpu(s);
  const r = await runLoad({ host: '127.0.0.1', port: s.port, transport, inFlight, requests });
  const after = await cpu(s);
  if (r.ok !== n) process.stderr.write(`  ${s.kind} ${transport}/${inFlight}: ${n - r.ok} of ${n} unanswered or not a TGS-REP\n`);
  const per = Math.max(1, r.ok);
  return { us: (after - before) / per - WORK_US, perSecond: r.perSecond };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 4000);
  const rounds = Number(process.argv[3] ?? 5);
  const only = process.argv[4] as 'udp' | 'tcp' | undefined;
  const pinned = spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' }).status === 0;
  const kinds: Kind[] = ['floor', 'floor-open', 'listen', ...(process.env['LISTEN_BASELINE'] !== undefined ? (['baseline'] as const) : [])];
  const servers: Server[] = [];
  for (const k of kinds) servers.push(await start(k));
  try {
    for (const s of servers) for (const t of ['udp', 'tcp'] as const) await measure(s, t, 4, 500); // warm-up
    console.log(`bench:listen — server CPU µs per request (median of ${rounds} rounds × ${n} requests)${WORK_US > 0 ? `, less ${WORK_US} µs of stand-in KDC work` : ''}, ${pinned ? 'server core 0, generator core 1' : 'NOT pinned (no taskset)'}`);
    // Other work on the machine only ever adds CPU time (preemption, cache pollution): the minimum
    // over rounds is the steadier estimate of a server's own cost, the median the typical one.
    console.log(['transport', 'in flight', ...kinds.map((k) => `${k} µs med/min`), ...kinds.filter((k) => k !== 'floor').map((k) => `${k} − floor med/min`), ...kinds.map((k) => `${k} req/s`)].join('\t'));
    for (const [transport, inFlight] of TARGETS.filter(([t]) => only === undefined || t === only)) {
      const us = new Map<Kind, number[]>(kinds.map((k) => [k, []]));
      const rate = new Map<Kind, number[]>(kinds.map((k) => [k, []]));
      for (let round = 0; round < rounds; round++) {
        for (const s of servers) {
          const m = await measure(s, transport, inFlight, n);
          us.get(s.kind)!.push(m.us);
          rate.get(s.kind)!.push(m.perSecond);
        }
      }
      const med = (k: Kind) => median(us.get(k)!);
      const min = (k: Kind) => Math.min(...us.get(k)!);
      console.log(
        [
          transport,
          inFlight,
          ...kinds.map((k) => `${med(k).toFixed(1)}/${min(k).toFixed(1)}`),
          ...kinds.filter((k) => k !== 'floor').map((k) => `${(med(k) - med('floor')).toFixed(1)}/${(min(k) - min('floor')).toFixed(1)}`),
          ...kinds.map((k) => median(rate.get(k)!).toFixed(0)),
        ].join('\t'),
      );
    }
  } finally {
    for (const s of servers) s.proc.stdin!.end();
  }
}

if (process.argv[2] === 'serve') void child(process.argv[3] as Kind);
else if (process.argv[1]?.endsWith('profile-listen.js')) void main();
