import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { KrbErrorName } from '../../errors/index.js';
import { TokenBuckets, type RateLimitOptions } from './rate-limit.js';
import type { RequestSource } from './types.js';

export interface ListenOptions {
  /** Loopback by default: servers bind only where their operator says (README, COMMON rules). */
  readonly host?: string;
  /** UDP and TCP share it; 0 picks a free port (both get the same one). */
  readonly port?: number;
  /** Datagrams larger than this are dropped. Default 8 KiB (a TGS-REQ with a PAC-bearing TGT is ~2 KiB). */
  readonly maxUdpRequestBytes?: number;
  /** RFC 4120 §7.2.2 frames larger than this get KRB_ERR_FIELD_TOOLONG and the connection is closed. Default 64 KiB. */
  readonly maxTcpFrameBytes?: number;
  /** A TCP connection with no complete request for this long is closed. Default 10 s. */
  readonly tcpIdleMs?: number;
  /** Concurrent TCP connections; more are refused by the kernel backlog / closed at once. Default 256. */
  readonly maxConnections?: number;
  /** Per source address, across UDP and TCP. Default 500/s, burst 1000. */
  readonly rateLimit?: RateLimitOptions;
}

export interface Listening {
  readonly host: string;
  readonly udpPort: number;
  readonly tcpPort: number;
  close(): Promise<void>;
}

/** What the listeners need of the KDC. */
export interface KdcHandler {
  handle(request: Uint8Array, source: RequestSource): Promise<Uint8Array | undefined>;
  krbError(code: KrbErrorName, eText: string): Uint8Array;
}

function frame(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + message.length);
  new DataView(out.buffer).setUint32(0, message.length);
  out.set(message, 4);
  return out;
}

/**
 * UDP and TCP listeners, RFC 4120 §7.2: a datagram carries one request; on TCP each message is
 * prefixed by a 4-byte big-endian length whose high bit is reserved — set, or a frame over the
 * limit, gets KRB_ERR_FIELD_TOOLONG and the stream is closed, as §7.2.2 requires. Requests on one
 * connection are answered in order; the connection stays open until the client closes it or idles.
 */
export async function listenExchangeKdc(kdc: KdcHandler, options: ListenOptions = {}): Promise<Listening> {
  const host = options.host ?? '127.0.0.1';
  const maxUdp = options.maxUdpRequestBytes ?? 8192;
  const maxFrame = options.maxTcpFrameBytes ?? 65536;
  const idleMs = options.tcpIdleMs ?? 10_000;
  const buckets = new TokenBuckets(options.rateLimit ?? { perSecond: 500, burst: 1000 });
  const sockets = new Set<Socket>();

  const server = createServer({ noDelay: true }, (sock) => serveTcp(sock));
  server.maxConnections = options.maxConnections ?? 256;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 0, backlog: 511 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const tcpPort = (server.address() as { port: number }).port;

  const udp: UdpSocket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  udp.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind({ address: host, port: tcpPort }, () => {
      udp.off('error', reject);
      resolve();
    });
  }).catch(async (e: unknown) => {
    await new Promise<void>((r) => server.close(() => r()));
    throw e;
  });
  udp.on('message', (msg, rinfo) => {
    if (msg.length > maxUdp || !buckets.take(rinfo.address)) return;
    void kdc.handle(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), { transport: 'udp', address: rinfo.address }).then((reply) => {
      if (reply !== undefined) udp.send(reply, rinfo.port, rinfo.address);
    });
  });

  function serveTcp(sock: Socket): void {
    sockets.add(sock);
    const address = sock.remoteAddress ?? '?';
    let chunks: Buffer[] = [];
    let have = 0;
    let busy: Promise<void> = Promise.resolve();
    sock.setTimeout(idleMs, () => sock.destroy());
    sock.on('error', () => {});
    sock.on('close', () => sockets.delete(sock));
    const closeWith = (reply: Uint8Array): void => {
      sock.end(frame(reply));
      chunks = [];
      have = 0;
    };
    sock.on('data', (data: Buffer) => {
      chunks.push(data);
      have += data.length;
      while (have >= 4) {
        const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, have);
        chunks = [buf];
        const length = buf.readUInt32BE(0);
        if (length & 0x80000000 || length > maxFrame) {
          closeWith(kdc.krbError('KRB_ERR_FIELD_TOOLONG', 'request frame too long (or the reserved length bit is set)'));
          return;
        }
        if (have < 4 + length) return;
        const request = new Uint8Array(buf.subarray(4, 4 + length));
        const rest = buf.subarray(4 + length);
        chunks = rest.length > 0 ? [rest] : [];
        have = rest.length;
        if (!buckets.take(address)) {
          sock.destroy();
          return;
        }
        busy = busy.then(async () => {
          const reply = await kdc.handle(request, { transport: 'tcp', address });
          if (sock.destroyed) return;
          if (reply === undefined) sock.destroy();
          else sock.write(frame(reply));
        });
      }
    });
  }

  let closing: Promise<void> | undefined;
  return {
    host,
    udpPort: tcpPort,
    tcpPort,
    close: () => (closing ??= (async () => {
      udp.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    })()),
  };
}
