/**
 * Reach a server inside a lab's network namespace from the test worker (which lives outside it):
 * a listener on 127.0.0.1 here, a relay process inside the namespace (scripts/lab/netns-relay.mjs),
 * and a Unix socket in the lab directory between the two. Nothing listens on anything but loopback.
 *
 * Used for in-process clients (ldapts, the KDC transport). A command run with `lab.exec` is
 * inside the namespace already and needs none of this.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const RELAY = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'scripts', 'lab', 'netns-relay.mjs');

export interface Forward {
  /** Always 127.0.0.1. */
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export type ForwardProtocol = 'tcp' | 'udp';

/** Starts the relay inside `netns` for target:port and waits until its Unix socket exists. */
async function startRelay(netns: string, sock: string, proto: ForwardProtocol, target: string, port: number): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', netns, process.execPath, RELAY, sock, proto, target, String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`netns relay for ${target}:${port} did not start: ${stderr}`)), 15_000);
    child.stdout?.on('data', (b: Buffer) => {
      if (b.toString().includes('ready') && existsSync(sock)) {
        clearTimeout(timer);
        ok();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`netns relay exited with ${code}: ${stderr}`));
    });
  });
  child.removeAllListeners('exit');
  return child;
}

function stopRelay(child: ChildProcess): void {
  if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
}

function listenTcp(sock: string, port: number): Promise<Server> {
  const server = createServer((client) => {
    const upstream = connect(sock);
    const close = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok(server));
  });
}

/** One Unix connection per client address; datagrams framed as 4-byte length + payload. */
function listenUdp(sock: string, port: number): Promise<UdpSocket> {
  const udp = createSocket('udp4');
  const links = new Map<string, ReturnType<typeof connect>>();
  const linkFor = (peer: RemoteInfo): ReturnType<typeof connect> => {
    const id = `${peer.address}:${peer.port}`;
    const existing = links.get(id);
    if (existing !== undefined && !existing.destroyed) return existing;
    const link = connect(sock);
    let buffered = Buffer.alloc(0);
    link.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4) {
        const len = buffered.readUInt32BE(0);
        if (buffered.length < 4 + len) break;
        udp.send(buffered.subarray(4, 4 + len), peer.port, peer.address);
        buffered = buffered.subarray(4 + len);
      }
    });
    const drop = (): void => {
      link.destroy();
      links.delete(id);
    };
    link.on('error', drop).on('close', drop);
    // Kerberos over UDP is one request, one reply: idle links are closed after a while.
    link.setTimeout(30_000, drop);
    links.set(id, link);
    return link;
  };
  udp.on('message', (msg, peer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length);
    linkFor(peer).write(Buffer.concat([len, msg]));
  });
  udp.on('close', () => {
    for (const link of links.values()) link.destroy();
  });
  return new Promise((ok, fail) => {
    udp.once('error', fail);
    udp.bind(port, '127.0.0.1', () => ok(udp));
  });
}

let counter = 0;

/** close() may be called by a test and again by the lab's stop(): the second call is a no-op. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

/**
 * Forwards 127.0.0.1:<port> (0 = any free port) to target:targetPort inside `netns`.
 * `labDir` holds the Unix socket (its path must stay under 108 bytes).
 */
export async function forwardIntoNetns(
  netns: string,
  labDir: string,
  target: string,
  targetPort: number,
  proto: ForwardProtocol = 'tcp',
  localPort = 0,
): Promise<Forward> {
  const sock = join(labDir, `fwd-${proto}-${targetPort}-${process.pid}-${counter++}.sock`);
  const relay = await startRelay(netns, sock, proto, target, targetPort);
  try {
    if (proto === 'tcp') {
      const server = await listenTcp(sock, localPort);
      return {
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        close: once(
          () =>
            new Promise<void>((ok) => {
              server.close(() => ok());
              stopRelay(relay);
            }),
        ),
      };
    }
    const udp = await listenUdp(sock, localPort);
    return {
      host: '127.0.0.1',
      port: udp.address().port,
      close: once(
        () =>
          new Promise<void>((ok) => {
            udp.close(() => ok());
            stopRelay(relay);
          }),
      ),
    };
  } catch (e) {
    stopRelay(relay);
    throw e;
  }
}

/**
 * A KDC inside `netns` on 127.0.0.1:<port> here, over TCP and UDP on the same port number (a
 * krb5.conf `kdc = 127.0.0.1:<port>` line then works for both). Retries when the UDP port of the
 * number TCP got is taken.
 */
export async function forwardKdcIntoNetns(netns: string, labDir: string, target: string): Promise<Forward> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const tcp = await forwardIntoNetns(netns, labDir, target, 88, 'tcp');
    try {
      const udp = await forwardIntoNetns(netns, labDir, target, 88, 'udp', tcp.port);
      return {
        host: '127.0.0.1',
        port: tcp.port,
        close: once(async () => {
          await Promise.all([tcp.close(), udp.close()]);
        }),
      };
    } catch {
      await tcp.close();
    }
  }
  throw new Error('no local port free for both TCP and UDP');
}
