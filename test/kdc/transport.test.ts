import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameTcp, sendTcp, sendToKdc, sendUdp, UDP_PREFERENCE_LIMIT } from '../../src/kdc/transport.js';

// A loopback endpoint that answers each message with its bytes reversed, over UDP and over TCP
// with RFC 4120 §7.2.2 framing; it records which transport each request used.
let udp: Socket;
let tcp: Server;
let port = 0;
const seen: string[] = [];
const TOO_BIG = new Uint8Array([0x52]);

beforeAll(async () => {
  tcp = createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
        const msg = buf.subarray(4, 4 + buf.readUInt32BE(0));
        seen.push(`tcp:${msg.length}`);
        const reply = Buffer.from(msg).reverse();
        // Write the frame in two pieces so the reader must reassemble.
        const framed = Buffer.from(frameTcp(reply));
        sock.write(framed.subarray(0, 3));
        setTimeout(() => sock.end(framed.subarray(3)), 5);
      }
    });
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  port = (tcp.address() as { port: number }).port;
  udp = createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    seen.push(`udp:${msg.length}`);
    const reply = msg[0] === 0xff ? TOO_BIG : Buffer.from(msg).reverse();
    udp.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => udp.bind(port, '127.0.0.1', r));
});

afterAll(() => {
  udp.close();
  tcp.close();
});

describe('KDC transport', () => {
  it('frames TCP messages with a 4-byte big-endian length', () => {
    expect(Array.from(frameTcp(new Uint8Array([7, 8])))).toEqual([0, 0, 0, 2, 7, 8]);
  });

  it('exchanges over UDP and over TCP', async () => {
    const addr = { host: '127.0.0.1', port };
    expect(Array.from(await sendUdp(addr, new Uint8Array([1, 2, 3])))).toEqual([3, 2, 1]);
    expect(Array.from(await sendTcp(addr, new Uint8Array([1, 2, 3])))).toEqual([3, 2, 1]);
  });

  it('falls back to TCP when the UDP reply says RESPONSE_TOO_BIG', async () => {
    seen.length = 0;
    const reply = await sendToKdc([{ host: '127.0.0.1', port }], new Uint8Array([0xff, 1]), {
      isResponseTooBig: (r) => r.length === 1 && r[0] === 0x52,
    });
    expect(Array.from(reply)).toEqual([1, 0xff]);
    expect(seen).toEqual(['udp:2', 'tcp:2']);
  });

  it('sends large requests straight over TCP', async () => {
    seen.length = 0;
    await sendToKdc([{ host: '127.0.0.1', port }], new Uint8Array(UDP_PREFERENCE_LIMIT + 1));
    expect(seen).toEqual([`tcp:${UDP_PREFERENCE_LIMIT + 1}`]);
  });

  it('reports ERR_TRANSPORT when no KDC answers', async () => {
    const dead = { host: '127.0.0.1', port: 9, transport: 'tcp' as const };
    await expect(sendToKdc([dead], new Uint8Array([1]), { timeoutMs: 300 })).rejects.toMatchObject({ code: 'ERR_TRANSPORT' });
    await expect(sendToKdc([], new Uint8Array([1]))).rejects.toMatchObject({ code: 'ERR_TRANSPORT' });
  });
});
