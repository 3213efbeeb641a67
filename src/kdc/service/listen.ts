import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
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
  /**
   * A TCP connection with no complete request and no reply for this long is closed (a byte trickle
   * does not keep it open). Checked by one sweep every quarter of it, so it closes within 1.25×. Default 10 s.
   */
  readonly tcpIdleMs?: number;
  /** Concurrent TCP connections; more are refused by the kernel backlog / closed at once. Default 256. */
  readonly maxConnections?: number;
  /**
   * Keep a TCP connection open once everything it sent is answered, for a client that sends a
   * later request over it (Samba's KDC keeps it; krb5kdc closes after its reply). Default false:
   * close then, as krb5kdc does — Kerberos clients send one request per connection.
   */
  readonly tcpReuse?: boolean;
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

/** Pipelined requests waiting on one connection beyond which it stops reading (TCP back-pressure). */
const MAX_QUEUED = 8;

/**
 * RFC 4120 §7.2.2 framing of a reply. allocUnsafe takes replies under 4 KiB from Node's shared
 * pool instead of a zero-filled ArrayBuffer of their own; every byte is written here.
 */
function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(4 + message.length);
  out.writeUInt32BE(message.length, 0);
  out.set(message, 4);
  return out;
}

const ignore = (): void => {};

/**
 * The KDC gets a plain Uint8Array view, not the Buffer: Buffer.prototype.slice returns a view
 * where Uint8Array's copies, and the handler is written against Uint8Array.
 */
function plain(b: Buffer, offset: number, length: number): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset + offset, length);
}

/**
 * UDP and TCP listeners, RFC 4120 §7.2: a datagram carries one request; on TCP each message is
 * prefixed by a 4-byte big-endian length whose high bit is reserved — set, or a frame over the
 * limit, gets KRB_ERR_FIELD_TOOLONG and the stream is closed, as §7.2.2 requires. Requests on one
 * connection are answered in order, one at a time; once all that arrived is answered the KDC
 * closes the connection (as krb5kdc does; {@link ListenOptions.tcpReuse} keeps it), or when it idles.
 */
export async function listenExchangeKdc(kdc: KdcHandler, options: ListenOptions = {}): Promise<Listening> {
  const host = options.host ?? '127.0.0.1';
  const maxUdp = options.maxUdpRequestBytes ?? 8192;
  const maxFrame = Math.min(options.maxTcpFrameBytes ?? 65536, 0x7fffffff);
  const idleMs = options.tcpIdleMs ?? 10_000;
  const reuse = options.tcpReuse ?? false;
  const buckets = new TokenBuckets(options.rateLimit ?? { perSecond: 500, burst: 1000 });
  const connections = new Set<TcpConnection>();

  /**
   * One TCP connection. Written for the common case of one request per connection (MIT clients
   * open one per request): the frame is handed to the KDC as a view of the chunk it arrived in, no
   * promise chain is built unless requests are pipelined, and no per-socket timer exists (the
   * shared sweep below). bench/profile-listen.ts (npm run bench:listen) measures it against a bare
   * Node net server: server CPU per connection above that floor went from +9..+28 µs to +4..+14 µs
   * (min over 9 rounds, 4 and 16 in flight, with and without 150 µs of stand-in KDC work). The
   * floor itself, Node's own per-socket cost, is 58–70 µs; UDP is at its floor (~10 µs) either way.
   */
  class TcpConnection {
    readonly source: RequestSource;
    lastActive = performance.now();
    /** The body of a frame whose header has arrived, allocated once at its full length, and how much of it is in. */
    #body: Buffer | undefined;
    #fill = 0;
    /** 1–3 bytes of a length prefix split across chunks. */
    #head: Buffer | undefined;
    #busy = false;
    #queue: Uint8Array[] | undefined;
    #requests = 0;
    #readEnded = false;
    /** A frame was refused: whatever else arrives is discarded. */
    #refused = false;
    /** The KRB-ERROR for it, held until the replies to the requests before it are out. */
    #refusal: Buffer | undefined;

    constructor(readonly sock: Socket) {
      this.source = { transport: 'tcp', address: sock.remoteAddress ?? '?' };
    }

    data(chunk: Buffer): void {
      if (this.#refused) return;
      let d = chunk;
      if (this.#head !== undefined) {
        d = Buffer.concat([this.#head, d]);
        this.#head = undefined;
      }
      let at = 0;
      const body = this.#body;
      if (body !== undefined) {
        // Copied into a buffer of the announced size: a frame trickled in small chunks costs its
        // length once, not the quadratic re-concatenation of everything received so far.
        at = Math.min(d.length, body.length - this.#fill);
        d.copy(body, this.#fill, 0, at);
        this.#fill += at;
        if (this.#fill < body.length) return;
        this.#body = undefined;
        if (!this.#request(plain(body, 0, body.length))) return;
      }
      while (d.length - at >= 4) {
        const length = d.readUInt32BE(at);
        if (length >= 0x80000000 || length > maxFrame) {
          this.#refuse();
          return;
        }
        const end = at + 4 + length;
        if (end > d.length) {
          this.#body = Buffer.allocUnsafe(length);
          this.#fill = d.copy(this.#body, 0, at + 4);
          return;
        }
        // A view, not a copy: Node gives every read a fresh buffer, so nothing overwrites it.
        const request = plain(d, at + 4, length);
        at = end;
        if (!this.#request(request)) return;
      }
      if (at < d.length) this.#head = Buffer.from(d.subarray(at));
    }

    /** The client half-closed: answer what it sent, then close (allowHalfOpen keeps our side writable). */
    end(): void {
      this.#readEnded = true;
      if (!this.#busy) this.#finish();
    }

    /** False when the connection was closed (rate limit). */
    #request(request: Uint8Array): boolean {
      if (!buckets.take(this.source.address)) {
        this.sock.destroy();
        return false;
      }
      // Nagle only delays a reply written while an earlier small one is unacknowledged, i.e. with
      // pipelining; a lone reply leaves at once. Turning it off on the second request saves a
      // setsockopt per connection (~1 µs) for the one-request-per-connection common case.
      if (++this.#requests === 2) this.sock.setNoDelay(true);
      if (!this.#busy) {
        this.#start(request);
        return true;
      }
      (this.#queue ??= []).push(request);
      if (this.#queue.length >= MAX_QUEUED) this.sock.pause();
      return true;
    }

    #start(request: Uint8Array): void {
      this.#busy = true;
      this.lastActive = performance.now();
      let reply: Promise<Uint8Array | undefined>;
      try {
        reply = kdc.handle(request, this.source);
      } catch {
        this.sock.destroy();
        return;
      }
      reply.then(this.#onReply, this.#onFailure);
    }

    readonly #onFailure = (): void => {
      this.sock.destroy();
    };

    readonly #onReply = (reply: Uint8Array | undefined): void => {
      this.#busy = false;
      const sock = this.sock;
      if (sock.destroyed) return;
      if (reply === undefined) {
        sock.destroy();
        return;
      }
      this.lastActive = performance.now();
      // false: Node holds a high-water mark (16 KiB) the kernel did not take, the client is not
      // reading. Answer nothing more here until that drains: its requests wait, reading stops at
      // MAX_QUEUED and TCP flow control reaches the client (else a client that pipelines and never
      // reads has every reply held in memory). The idle sweep closes it if it never reads again.
      if (!sock.write(frame(reply))) {
        this.#busy = true;
        sock.once('drain', this.#next);
        return;
      }
      this.#next();
    };

    /** The connection's next step once a reply is out: the next queued request, the refusal, or the close. */
    readonly #next = (): void => {
      this.#busy = false;
      const sock = this.sock;
      if (sock.destroyed) return;
      const next = this.#queue?.shift();
      if (next !== undefined) {
        if (this.#queue!.length < MAX_QUEUED && sock.isPaused() && !this.#refused) sock.resume();
        this.#start(next);
      } else if (this.#refusal !== undefined) this.#sendRefusal(this.#refusal);
      else if (this.#readEnded) this.#finish();
      // Everything received is answered and the kernel holds the whole reply: close now, as
      // krb5kdc does once its reply is written (net-server.c), rather than wait for the client's
      // FIN. MIT's and impacket's clients open a connection per request (and no client can count
      // on reuse with krb5kdc), so waiting costs a wakeup, a read and an 'end' per connection:
      // 3 A/B runs of 20,000 TGS-REQs, 177–181 against 195–207 µs of server CPU per request.
      // close() with nothing unread sends FIN after the reply, never RST. A partial next frame
      // keeps the connection open.
      else if (!reuse && this.#body === undefined && this.#head === undefined && sock.writableLength === 0) sock.destroy();
    };

    /** Nothing more will be asked: close once the replies are out. */
    #finish(): void {
      const sock = this.sock;
      // Everything written is in the kernel and the peer sent FIN, so close() is a graceful FIN
      // after the data: one syscall and one libuv request less than shutdown() then close();
      // bench:listen, 3–6 µs less server CPU per connection than end() (min over rounds).
      if (sock.writableLength === 0) sock.destroy();
      else sock.end();
    }

    #refuse(): void {
      this.#refused = true;
      this.#body = this.#head = undefined;
      const refusal = frame(kdc.krbError('KRB_ERR_FIELD_TOOLONG', 'request frame too long (or the reserved length bit is set)'));
      // In order: after the replies to the requests that came before it.
      if (this.#busy) this.#refusal = refusal;
      else this.#sendRefusal(refusal);
    }

    #sendRefusal(refusal: Buffer): void {
      this.#refusal = undefined;
      this.sock.resume();
      // end(), not destroy(): unread request bytes in our receive buffer would turn close() into
      // an RST that can discard the KRB-ERROR at the client. Node closes once the client FINs back
      // (or the idle sweep does).
      this.sock.end(refusal);
    }
  }

  const server = createServer({ allowHalfOpen: true }, (sock) => {
    const c = new TcpConnection(sock);
    connections.add(c);
    sock.on('data', (d: Buffer) => c.data(d));
    sock.on('end', () => c.end());
    sock.on('error', ignore);
    sock.on('close', () => connections.delete(c));
  });
  server.maxConnections = options.maxConnections ?? 256;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 0, backlog: 511 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const tcpPort = (server.address() as { port: number }).port;

  // One sweep for all connections instead of a timer per socket: Node's socket timeout is re-armed
  // on every read and write — so a byte trickle kept a connection open — and costs a timer-list
  // insert and removal per connection.
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const c of connections) if (now - c.lastActive >= idleMs) c.sock.destroy();
  }, Math.max(10, idleMs / 4));
  sweep.unref();

  const udp: UdpSocket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  udp.on('error', ignore);
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind({ address: host, port: tcpPort }, () => {
      udp.off('error', reject);
      resolve();
    });
  }).catch(async (e: unknown) => {
    clearInterval(sweep);
    await new Promise<void>((r) => server.close(() => r()));
    throw e;
  });
  udp.on('message', (msg, rinfo) => {
    if (msg.length > maxUdp || !buckets.take(rinfo.address)) return;
    let reply: Promise<Uint8Array | undefined>;
    try {
      reply = kdc.handle(plain(msg, 0, msg.length), { transport: 'udp', address: rinfo.address });
    } catch {
      return;
    }
    reply.then((r) => {
      if (r !== undefined) udp.send(r, rinfo.port, rinfo.address);
    }, ignore);
  });

  let closing: Promise<void> | undefined;
  return {
    host,
    udpPort: tcpPort,
    tcpPort,
    close: () => (closing ??= (async () => {
      clearInterval(sweep);
      udp.close();
      for (const c of connections) c.sock.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    })()),
  };
}
