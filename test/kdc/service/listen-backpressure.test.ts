import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listenExchangeKdc, type Listening } from '../../../src/kdc/index.js';
import { watchServerWriteQueue } from './write-queue-watch.js';

/**
 * A TCP client that pipelines requests and reads no replies must not make the server hold every
 * reply in memory (issue 6: bad input never crashes or stalls it). With the kernel's buffers full
 * (a few MB on loopback), the listener stops answering that connection until its replies drain, so
 * its requests wait, the listener stops reading them, and TCP flow control reaches the client.
 */

const REPLY_BYTES = 32 * 1024;

let listening: Listening | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await listening?.close();
  listening = undefined;
});

function frame(n: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeUInt32BE(4, 0);
  out.writeUInt32BE(n, 4);
  return out;
}

describe('TCP replies to a client that does not read', () => {
  it('queue in the server only up to a bound; the rest are answered, in order, once the client reads', { timeout: 10_000 }, async () => {
    let handled = 0;
    listening = await listenExchangeKdc(
      {
        handle: async (request) => {
          handled++;
          // A reply as large as a PAC-heavy TGS-REP can be, numbered after its request.
          const reply = new Uint8Array(REPLY_BYTES).fill(0x41);
          reply.set(request, 0);
          return reply;
        },
        krbError: () => new Uint8Array(0),
      },
      { port: 0, rateLimit: { perSecond: 1e6, burst: 1e6 } },
    );
    const port = listening.tcpPort;
    const queued = watchServerWriteQueue(port);

    // 1,000 requests (8 bytes each) ask for 32 MB of replies, several times what the kernel buffers.
    const count = 1000;
    const sock = connect({ host: '127.0.0.1', port });
    sock.pause();
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write(Buffer.concat(Array.from({ length: count }, (_, i) => frame(i))));
    // Let the server do what it will while the client reads nothing.
    let before = -1;
    while (handled !== before) {
      before = handled;
      await new Promise((r) => setTimeout(r, 150));
    }
    // Before the fix: every request answered and ~28 MB of replies held in the socket's write buffer.
    expect(handled).toBeLessThan(count);
    expect(queued.most).toBeLessThanOrEqual(256 * 1024);

    // Reading again, the client gets every reply, in order.
    const replies: number[] = [];
    let buf = Buffer.alloc(0);
    await new Promise<void>((resolve, reject) => {
      sock.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
          const length = buf.readUInt32BE(0);
          expect(length).toBe(REPLY_BYTES);
          replies.push(buf.readUInt32BE(4));
          buf = buf.subarray(4 + length);
        }
        if (replies.length === count) resolve();
      });
      sock.on('error', reject);
      sock.resume();
    });
    sock.destroy();
    expect(replies).toEqual(Array.from({ length: count }, (_, i) => i));
  });
});
