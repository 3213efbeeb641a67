import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { TgtbridgeError } from '../errors/index.js';
import type { KdcAddress } from './krb5-conf.js';

/**
 * Sending a KDC message (RFC 4120 §7.2). UDP carries one message per datagram; TCP prefixes each
 * with a 4-byte big-endian length whose high bit is reserved and must be zero (§7.2.2).
 */

/** MIT's udp_preference_limit default: larger requests go straight to TCP (krb5.conf(5)). */
export const UDP_PREFERENCE_LIMIT = 1465;
/** Replies beyond this are refused rather than buffered: no KDC reply is anywhere near it. */
export const MAX_REPLY_BYTES = 1 << 20;

export interface SendOptions {
  readonly timeoutMs?: number;
  /**
   * Is this UDP reply a KRB-ERROR KRB_ERR_RESPONSE_TOO_BIG (52)? Then the request is repeated over
   * TCP (RFC 4120 §7.2.1). Passed in so the transport stays free of ASN.1.
   */
  readonly isResponseTooBig?: (reply: Uint8Array) => boolean;
}

export function frameTcp(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + message.length);
  new DataView(out.buffer).setUint32(0, message.length);
  out.set(message, 4);
  return out;
}

export async function sendUdp(to: KdcAddress, message: Uint8Array, timeoutMs = 3000): Promise<Uint8Array> {
  const family = to.host.includes(':') ? 'udp6' : 'udp4';
  const socket = createSocket(family);
  try {
    return await new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => reject(transportError(to, 'udp', 'no reply (timed out)')), timeoutMs);
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(transportError(to, 'udp', e.message));
      });
      socket.on('message', (msg) => {
        clearTimeout(timer);
        resolve(new Uint8Array(msg));
      });
      socket.send(message, to.port, to.host);
    });
  } finally {
    socket.close();
  }
}

export async function sendTcp(to: KdcAddress, message: Uint8Array, timeoutMs = 3000): Promise<Uint8Array> {
  return new Promise<Uint8Array>((resolve, reject) => {
    const socket = connect({ host: to.host, port: to.port });
    const chunks: Buffer[] = [];
    let received = 0;
    let expected = -1;
    const finish = (err: Error | undefined, value?: Uint8Array): void => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value!);
    };
    const timer = setTimeout(() => finish(transportError(to, 'tcp', 'no reply (timed out)')), timeoutMs);
    socket.on('connect', () => socket.write(frameTcp(message)));
    socket.on('error', (e) => finish(transportError(to, 'tcp', e.message)));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (expected < 0 && received >= 4) {
        const head = Buffer.concat(chunks);
        const len = head.readUInt32BE(0);
        if (len & 0x80000000 || len > MAX_REPLY_BYTES) {
          finish(transportError(to, 'tcp', `reply length ${len} refused`));
          return;
        }
        expected = len;
      }
      if (expected >= 0 && received >= 4 + expected) {
        finish(undefined, new Uint8Array(Buffer.concat(chunks).subarray(4, 4 + expected)));
      }
    });
    socket.on('end', () => {
      if (expected < 0 || received < 4 + expected) finish(transportError(to, 'tcp', 'connection closed before a whole reply'));
    });
  });
}

/**
 * Try each KDC in turn: UDP first for small requests, TCP when the request is large, when the
 * address pins TCP, or when the UDP reply says RESPONSE_TOO_BIG. A KDC that fails over UDP (no
 * reply) is retried over TCP before moving on, as MIT's sendto_kdc does.
 */
export async function sendToKdc(kdcs: readonly KdcAddress[], message: Uint8Array, opts: SendOptions = {}): Promise<Uint8Array> {
  if (kdcs.length === 0) throw new TgtbridgeError('ERR_TRANSPORT', 'no KDC address to send to');
  const errors: string[] = [];
  for (const kdc of kdcs) {
    const tcpOnly = kdc.transport === 'tcp' || message.length > UDP_PREFERENCE_LIMIT;
    if (!tcpOnly) {
      try {
        const reply = await sendUdp(kdc, message, opts.timeoutMs);
        if (!opts.isResponseTooBig?.(reply)) return reply;
      } catch (e) {
        errors.push((e as Error).message);
        if (kdc.transport === 'udp') continue;
      }
    }
    if (kdc.transport === 'udp') continue;
    try {
      return await sendTcp(kdc, message, opts.timeoutMs);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  throw new TgtbridgeError('ERR_TRANSPORT', `no KDC answered: ${errors.join('; ')}`);
}

function transportError(to: KdcAddress, proto: string, why: string): TgtbridgeError {
  return new TgtbridgeError('ERR_TRANSPORT', `KDC ${to.host}:${to.port}/${proto}: ${why}`);
}
