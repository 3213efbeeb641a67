import { createSocket } from 'node:dgram';
import { connect } from 'node:net';

/**
 * The load generator of `npm run bench:kdc`: sends prepared TGS-REQs (each with its own fresh
 * authenticator, used once) to a KDC with `inFlight` requests outstanding, over UDP (one socket
 * per slot, one datagram out, one in) or TCP (a connection per request, as MIT clients do and MIT's
 * KDC expects: it closes after one reply). Counts TGS-REPs ([APPLICATION 13]) as ok, anything
 * else as an error; measures wall-clock throughput and per-request latency.
 */
/** The transport × in-flight grid every KDC benchmark row set is measured on (issue 6: UDP and TCP, 4 and 16 in flight). */
export const LOAD_TARGETS = [
  ['udp', 4],
  ['udp', 16],
  ['tcp', 4],
  ['tcp', 16],
] as const;

export interface LoadOptions {
  readonly host: string;
  readonly port: number;
  readonly transport: 'udp' | 'tcp';
  readonly inFlight: number;
  readonly requests: readonly Uint8Array[];
  readonly timeoutMs?: number;
}

export interface LoadResult {
  readonly sent: number;
  readonly ok: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const TGS_REP_TAG = 0x6d;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

function udpSlot(host: string, port: number, timeoutMs: number) {
  const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  let waiting: ((reply: Uint8Array | undefined) => void) | undefined;
  sock.on('message', (m) => {
    const w = waiting;
    waiting = undefined;
    w?.(new Uint8Array(m));
  });
  return {
    send(req: Uint8Array): Promise<Uint8Array | undefined> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting = undefined;
          resolve(undefined);
        }, timeoutMs);
        waiting = (r) => {
          clearTimeout(timer);
          resolve(r);
        };
        sock.send(req, port, host);
      });
    },
    close: () => sock.close(),
  };
}

function tcpRequest(host: string, port: number, req: Uint8Array, timeoutMs: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let have = 0;
    const sock = connect({ host, port, noDelay: true }, () => {
      const frame = Buffer.allocUnsafe(4 + req.length);
      frame.writeUInt32BE(req.length, 0);
      frame.set(req, 4);
      sock.write(frame);
    });
    const done = (r: Uint8Array | undefined) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    sock.on('data', (d) => {
      chunks.push(d);
      have += d.length;
      if (have < 4) return;
      const all = Buffer.concat(chunks, have);
      const len = all.readUInt32BE(0);
      if (have >= 4 + len) done(new Uint8Array(all.subarray(4, 4 + len)));
    });
    sock.on('error', () => done(undefined));
    sock.on('close', () => done(undefined));
  });
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const timeoutMs = o.timeoutMs ?? 2000;
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  let errors = 0;
  let timeouts = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    const slot = o.transport === 'udp' ? udpSlot(o.host, o.port, timeoutMs) : undefined;
    try {
      while (next < o.requests.length) {
        const req = o.requests[next++]!;
        const t = performance.now();
        const reply = slot !== undefined ? await slot.send(req) : await tcpRequest(o.host, o.port, req, timeoutMs);
        latencies.push(performance.now() - t);
        if (reply === undefined) timeouts++;
        else if (reply[0] === TGS_REP_TAG) ok++;
        else errors++;
      }
    } finally {
      slot?.close();
    }
  };
  await Promise.all(Array.from({ length: o.inFlight }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { sent: o.requests.length, ok, errors, timeouts, seconds, perSecond: ok / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}
