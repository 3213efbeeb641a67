import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { KrbErrorName } from '../../../src/errors/index.js';
import { listenExchangeKdc, type Listening, type ListenOptions } from '../../../src/kdc/index.js';

type KdcHandler = Parameters<typeof listenExchangeKdc>[0];

/**
 * The UDP/TCP listeners (RFC 4120 §7.2) with a scripted KDC: a reply is 'R' + the request bytes,
 * so each answer says which request it belongs to; requests starting with 'S' are answered after
 * a delay, 'D' are dropped (undefined), 'X' reject. Refusals are 'E' + the KRB-ERROR code name.
 */
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

interface Seen {
  readonly requests: string[];
  readonly errors: KrbErrorName[];
  /** Requests handed over as a Buffer (whose slice() is a view) rather than a plain Uint8Array. */
  buffers: number;
}

function scripted(seen: Seen = { requests: [], errors: [], buffers: 0 }): KdcHandler & { seen: Seen } {
  return {
    seen,
    async handle(request, source) {
      if (Buffer.isBuffer(request)) seen.buffers++;
      const text = dec(request);
      seen.requests.push(`${source.transport}:${text}`);
      if (text.startsWith('S')) await new Promise((r) => setTimeout(r, 40));
      if (text.startsWith('D')) return undefined;
      if (text.startsWith('X')) throw new Error('handler failed');
      return enc(`R${text}`);
    },
    krbError(code) {
      seen.errors.push(code);
      return enc(`E${code}`);
    },
  };
}

function frame(body: Uint8Array | string): Buffer {
  const b = typeof body === 'string' ? enc(body) : body;
  const out = Buffer.alloc(4 + b.length);
  out.writeUInt32BE(b.length, 0);
  out.set(b, 4);
  return out;
}

/** A raw TCP client: the frames it got and whether the server closed (FIN or RST). */
interface Client {
  readonly sock: Socket;
  readonly frames: string[];
  closed: boolean;
  /** The server's FIN arrived (an orderly close, not a reset). */
  ended: boolean;
  /** The socket error's code, e.g. ECONNRESET. */
  error: string | undefined;
  /** Resolves once `n` frames have arrived or the connection has closed. */
  until(n: number): Promise<void>;
  closing(): Promise<void>;
}

function client(port: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port, noDelay: true });
    let buf = Buffer.alloc(0);
    const waiters: (() => void)[] = [];
    const wake = () => waiters.splice(0).forEach((w) => w());
    const c: Client = {
      sock,
      frames: [],
      closed: false,
      ended: false,
      error: undefined,
      until: (n) => new Promise((r) => {
        const check = () => (c.frames.length >= n || c.closed ? r() : waiters.push(check));
        check();
      }),
      closing: () => new Promise((r) => {
        const check = () => (c.closed ? r() : waiters.push(check));
        check();
      }),
    };
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
        c.frames.push(dec(buf.subarray(4, 4 + buf.readUInt32BE(0))));
        buf = buf.subarray(4 + buf.readUInt32BE(0));
      }
      wake();
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      c.error = e.code;
    });
    sock.on('end', () => {
      c.ended = true;
    });
    sock.on('close', () => {
      c.closed = true;
      wake();
    });
    sock.once('connect', () => resolve(c));
    sock.once('error', reject);
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function udpAsk(port: number, messages: readonly string[], waitMs = 150): Promise<string[]> {
  const sock = createSocket('udp4');
  const got: string[] = [];
  sock.on('message', (m) => got.push(dec(m)));
  for (const m of messages) sock.send(enc(m), port, '127.0.0.1');
  await pause(waitMs);
  sock.close();
  return got;
}

let open: Listening[] = [];
afterEach(async () => {
  await Promise.all(open.map((l) => l.close()));
  open = [];
});

async function start(kdc: KdcHandler, options: ListenOptions = {}): Promise<Listening> {
  const l = await listenExchangeKdc(kdc, { port: 0, rateLimit: { perSecond: 1e6, burst: 1e6 }, ...options });
  open.push(l);
  return l;
}

describe('TCP framing (RFC 4120 §7.2.2)', () => {
  it('a length over maxTcpFrameBytes gets KRB_ERR_FIELD_TOOLONG, then the server closes', async () => {
    const kdc = scripted();
    const l = await start(kdc, { maxTcpFrameBytes: 100 });
    const c = await client(l.tcpPort);
    c.sock.write(Buffer.from([0, 0, 0, 101, 1, 2, 3]));
    await c.closing();
    expect(c.frames).toEqual(['EKRB_ERR_FIELD_TOOLONG']);
    expect(kdc.seen.requests).toEqual([]);
    // exactly at the limit is a request
    const d = await client(l.tcpPort);
    d.sock.write(frame('a'.repeat(100)));
    await d.until(1);
    expect(d.frames).toEqual([`R${'a'.repeat(100)}`]);
    d.sock.destroy();
  });

  it('a length with the reserved high bit set gets KRB_ERR_FIELD_TOOLONG and a close, whatever the limit', async () => {
    const kdc = scripted();
    const l = await start(kdc, { maxTcpFrameBytes: 0xffffffff });
    const c = await client(l.tcpPort);
    c.sock.write(Buffer.from([0x80, 0, 0, 5, 0x41, 0x41, 0x41, 0x41, 0x41]));
    await c.closing();
    expect(c.frames).toEqual(['EKRB_ERR_FIELD_TOOLONG']);
    expect(kdc.seen.errors).toEqual(['KRB_ERR_FIELD_TOOLONG']);
    expect(kdc.seen.requests).toEqual([]);
  });

  it('a refusal comes after the replies to the requests before it, and nothing after it is handled', async () => {
    const kdc = scripted();
    const l = await start(kdc, { maxTcpFrameBytes: 100 });
    const c = await client(l.tcpPort);
    c.sock.write(Buffer.concat([frame('Sslow'), frame('second'), Buffer.from([0x80, 0, 0, 1, 0]), frame('after')]));
    await c.closing();
    expect(c.frames).toEqual(['RSslow', 'Rsecond', 'EKRB_ERR_FIELD_TOOLONG']);
    expect(kdc.seen.requests).toEqual(['tcp:Sslow', 'tcp:second']);
  });

  it('several requests on one connection are answered in order, one at a time, a slow one first', async () => {
    const kdc = scripted();
    const l = await start(kdc, { tcpReuse: true });
    const c = await client(l.tcpPort);
    const names = ['Sa', 'b', 'Sc', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'];
    // More than the listener queues before it stops reading: back-pressure must resume.
    c.sock.write(Buffer.concat(names.map(frame)));
    await c.until(names.length);
    expect(c.frames).toEqual(names.map((n) => `R${n}`));
    // and the connection stays open for a later request
    c.sock.write(frame('later'));
    await c.until(names.length + 1);
    expect(c.frames.at(-1)).toBe('Rlater');
    expect(c.closed).toBe(false);
    c.sock.destroy();
  });

  it('by default the server closes, with a FIN after the replies, once everything the client sent is answered (as krb5kdc does)', async () => {
    const kdc = scripted();
    const l = await start(kdc);
    const one = await client(l.tcpPort);
    one.sock.write(frame('only'));
    await one.closing();
    expect(one.frames).toEqual(['Ronly']);
    expect([one.ended, one.error]).toEqual([true, undefined]);
    // Requests sent together are all answered first, a slow one among them.
    const burst = await client(l.tcpPort);
    burst.sock.write(Buffer.concat(['Sa', 'b', 'c'].map(frame)));
    await burst.closing();
    expect(burst.frames).toEqual(['RSa', 'Rb', 'Rc']);
    expect([burst.ended, burst.error]).toEqual([true, undefined]);
  });

  it('by default a partial next frame keeps the connection open until it is complete and answered', async () => {
    const l = await start(scripted());
    const c = await client(l.tcpPort);
    const second = frame('second');
    c.sock.write(Buffer.concat([frame('first'), second.subarray(0, 2)]));
    await c.until(1);
    await pause(60);
    expect([c.frames, c.closed]).toEqual([['Rfirst'], false]);
    c.sock.write(second.subarray(2, 7));
    await pause(30);
    expect(c.closed).toBe(false);
    c.sock.write(second.subarray(7));
    await c.closing();
    expect(c.frames).toEqual(['Rfirst', 'Rsecond']);
    expect([c.ended, c.error]).toEqual([true, undefined]);
  });

  it('frames split across chunks anywhere (inside the length prefix, inside the body, two in one chunk) are reassembled exactly', async () => {
    const kdc = scripted();
    const l = await start(kdc, { tcpReuse: true });
    const c = await client(l.tcpPort);
    const body = Buffer.alloc(3000, 0x62);
    body[0] = 0x61;
    body[2999] = 0x63;
    const stream = Buffer.concat([frame(body), frame('two'), frame('three')]);
    const cuts = [1, 3, 6, 1500, 3004, 3005, 3010, stream.length];
    let at = 0;
    for (const cut of cuts) {
      c.sock.write(stream.subarray(at, cut));
      at = cut;
      await pause(15); // separate reads on the server
    }
    await c.until(3);
    expect(c.frames).toEqual([`R${dec(body)}`, 'Rtwo', 'Rthree']);
    expect(kdc.seen.requests.map((r) => r.length)).toEqual([4 + 3000, 7, 9]);
    expect(kdc.seen.buffers).toBe(0);
    c.sock.destroy();
  });

  it('a client that half-closes after its request still gets the reply, then the server closes', async () => {
    const l = await start(scripted());
    const c = await client(l.tcpPort);
    c.sock.end(Buffer.concat([frame('Sone'), frame('two')]));
    await c.closing();
    expect(c.frames).toEqual(['RSone', 'Rtwo']);
  });

  it('a dropped request (handler answers nothing) or a failing handler closes that connection; the listener goes on', async () => {
    const l = await start(scripted());
    for (const req of ['Dnothing', 'Xthrows']) {
      const c = await client(l.tcpPort);
      c.sock.write(frame(req));
      await c.closing();
      expect(c.frames).toEqual([]);
    }
    const ok = await client(l.tcpPort);
    ok.sock.write(frame('fine'));
    await ok.until(1);
    expect(ok.frames).toEqual(['Rfine']);
    ok.sock.destroy();
    expect(await udpAsk(l.udpPort, ['Xthrows', 'Dnothing', 'udp-fine'])).toEqual(['Rudp-fine']);
  });
});

describe('TCP limits', () => {
  it('a connection with no request is closed after tcpIdleMs (within 1.25×), and a byte trickle does not keep it open', async () => {
    const l = await start(scripted(), { tcpIdleMs: 200 });
    const idle = await client(l.tcpPort);
    const trickle = await client(l.tcpPort);
    const t0 = performance.now();
    // A 4 KiB frame announced, then one byte of it every 40 ms: activity, but never a request.
    trickle.sock.write(Buffer.from([0, 0, 0x10, 0]));
    const dribble = setInterval(() => trickle.sock.write(Buffer.from([0x41])), 40);
    try {
      await idle.closing();
      const idleAfter = performance.now() - t0;
      await trickle.closing();
      const trickleAfter = performance.now() - t0;
      expect(idleAfter).toBeGreaterThanOrEqual(190);
      expect(idleAfter).toBeLessThan(2000);
      expect(trickleAfter).toBeLessThan(2000);
    } finally {
      clearInterval(dribble);
    }
  });

  it('a connection that keeps asking is not idle', async () => {
    const l = await start(scripted(), { tcpIdleMs: 150, tcpReuse: true });
    const c = await client(l.tcpPort);
    for (let i = 0; i < 6; i++) {
      c.sock.write(frame(`q${i}`));
      await c.until(i + 1);
      await pause(60);
    }
    expect(c.closed).toBe(false);
    expect(c.frames).toHaveLength(6);
    c.sock.destroy();
  });

  it('connections over maxConnections are closed at once; the ones within keep working', async () => {
    const l = await start(scripted(), { maxConnections: 2 });
    const a = await client(l.tcpPort);
    const b = await client(l.tcpPort);
    await pause(30);
    const third = await client(l.tcpPort);
    await third.closing();
    a.sock.write(frame('a'));
    b.sock.write(frame('b'));
    await Promise.all([a.until(1), b.until(1)]);
    expect([a.frames, b.frames]).toEqual([['Ra'], ['Rb']]);
    a.sock.destroy();
    b.sock.destroy();
  });
});

describe('per-source rate limit across UDP and TCP', () => {
  it('a source over its burst has datagrams dropped and its TCP connection closed; UDP and TCP share the bucket', async () => {
    const kdc = scripted();
    const l = await start(kdc, { rateLimit: { perSecond: 0.001, burst: 3 } });
    expect(await udpAsk(l.udpPort, ['u1', 'u2'])).toEqual(['Ru1', 'Ru2']);
    const c = await client(l.tcpPort);
    c.sock.write(Buffer.concat([frame('t1'), frame('t2'), frame('t3')]));
    await c.closing();
    expect(c.frames.length).toBeLessThanOrEqual(1);
    expect(kdc.seen.requests).toEqual(['udp:u1', 'udp:u2', 'tcp:t1']);
    expect(await udpAsk(l.udpPort, ['u3'])).toEqual([]);
  });
});

describe('close()', () => {
  it('closes open connections and both sockets, and is idempotent', async () => {
    const l = await listenExchangeKdc(scripted(), { port: 0 });
    const c = await client(l.tcpPort);
    c.sock.write(Buffer.from([0, 0])); // half a length prefix: an open, unfinished connection
    await pause(20);
    await Promise.all([l.close(), l.close()]);
    await c.closing();
    expect(c.closed).toBe(true);
    await expect(client(l.tcpPort)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // The UDP port is free again: binding it succeeds.
    const u = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      u.once('error', reject);
      u.bind({ address: '127.0.0.1', port: l.udpPort }, () => resolve());
    });
    u.close();
  });
});

describe('UDP', () => {
  it('answers each datagram to its sender; over maxUdpRequestBytes is dropped without reaching the KDC', async () => {
    const kdc = scripted();
    const l = await start(kdc, { maxUdpRequestBytes: 50 });
    expect(await udpAsk(l.udpPort, ['hello', 'x'.repeat(51), 'y'.repeat(50)])).toEqual(['Rhello', `R${'y'.repeat(50)}`]);
    expect(kdc.seen.requests).toEqual(['udp:hello', `udp:${'y'.repeat(50)}`]);
    expect(kdc.seen.buffers).toBe(0);
  });
});
