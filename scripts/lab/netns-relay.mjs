// Runs inside a lab's network namespace and relays connections that arrive on a Unix socket to a
// TCP or UDP port inside that namespace. Unix sockets live in the file system, not in a network
// namespace, so a process outside (a test worker) can reach the lab's servers through them without
// any server listening on anything but loopback.
//
//   ip netns exec <ns> node netns-relay.mjs <unix socket> tcp|udp <host> <port>
//
// tcp: each Unix connection is one TCP connection to host:port, bytes both ways.
// udp: each Unix connection carries datagrams framed as a 4-byte big-endian length + payload; each
//      is sent from one UDP socket to host:port and every reply comes back framed the same way.
import { createSocket } from 'node:dgram';
import { rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';

const [sockPath, mode, host, portText] = process.argv.slice(2);
const port = Number(portText);
if (!sockPath || (mode !== 'tcp' && mode !== 'udp') || !host || !Number.isInteger(port)) {
  process.stderr.write('usage: netns-relay.mjs <unix socket> tcp|udp <host> <port>\n');
  process.exit(2);
}

function relayTcp(client) {
  const upstream = connect({ host, port });
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close).on('close', close);
  upstream.on('error', close).on('close', close);
  client.pipe(upstream);
  upstream.pipe(client);
}

const MAX_DATAGRAM = 65535;

function relayUdp(client) {
  const udp = createSocket('udp4');
  let buffered = Buffer.alloc(0);
  const close = () => {
    client.destroy();
    try {
      udp.close();
    } catch {
      // already closed
    }
  };
  udp.on('message', (msg) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length);
    client.write(Buffer.concat([len, msg]));
  });
  udp.on('error', close);
  client.on('error', close).on('close', close);
  client.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4) {
      const len = buffered.readUInt32BE(0);
      if (len > MAX_DATAGRAM) return close();
      if (buffered.length < 4 + len) break;
      udp.send(buffered.subarray(4, 4 + len), port, host);
      buffered = buffered.subarray(4 + len);
    }
  });
}

rmSync(sockPath, { force: true });
const server = createServer(mode === 'tcp' ? relayTcp : relayUdp);
server.listen(sockPath, () => process.stdout.write('ready\n'));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
