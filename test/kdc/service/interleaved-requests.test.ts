import { createSocket } from 'node:dgram';
import { connect, Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extractPac, krbErrorCodec, type PrincipalName } from '../../../src/asn1/index.js';
import { ETYPE, randomKey, type Key } from '../../../src/crypto/index.js';
import type { Directory } from '../../../src/directory/index.js';
import { listenExchangeKdc, type Listening } from '../../../src/kdc/index.js';
import { verifyPac } from '../../../src/pac/index.js';
import { openTicket } from '../../../src/ticket/index.js';
import { CIFS, KRBTGT, makeLab, mint, openReply, testDirectory, tgsRequest, type Lab, type Tgt } from './support.js';
import { watchServerWriteQueue } from './write-queue-watch.js';

/**
 * Cross-request aliasing of the embedded KDC's hot path (slab buffers, decoded views into request
 * datagrams and frames and plaintexts, the verified-TGT cache, shared cipher and HMAC state):
 * hundreds of requests from several users and TGTs, interleaved on a real listener over UDP and
 * TCP — a directory that answers after a random delay so requests are suspended mid-handling, and
 * one TCP client that stops reading so the server's replies queue in its write buffer while other
 * requests are served. Every reply must be exactly the answer to its own request: decrypted with
 * that request's key, its nonce, its service, its client in the reply, the ticket and the PAC, a
 * session key no other reply carries; and every refusal the code and client of its request.
 */

const USERS = { alice: 1104, bob: 1105 } as const;
type User = keyof typeof USERS;

/** What one request must get back. */
interface Expect {
  readonly user: string;
  readonly nonce: number;
  readonly sname: PrincipalName;
  readonly replyKey: Key;
  readonly subkey: boolean;
  /** A refusal: the KRB-ERROR code. */
  readonly error?: number;
}

interface Job {
  readonly bytes: Uint8Array;
  readonly expect: Expect;
}

/**
 * The test directory answering a turn of the event loop later (one time in ten a millisecond later):
 * requests are suspended at every directory await while I/O and other requests run.
 */
function slowDirectory(): Directory {
  const d = testDirectory();
  const later = <T>(v: Promise<T>): Promise<T> => v.then((x) => new Promise((r) => (Math.random() < 0.1 ? setTimeout(() => r(x), 1) : setImmediate(() => r(x)))));
  return {
    domain: d.domain,
    findUser: (n) => later(d.findUser(n)),
    findUserBySpn: (s) => later(d.findUserBySpn(s)),
    listUsers: () => d.listUsers(),
    findGroup: (g) => d.findGroup(g),
    listGroups: () => d.listGroups(),
    groupSidsOf: (u) => later(d.groupSidsOf(u)),
  };
}

/** The KDC of makeLab over a directory that answers group lookups a loop turn later. */
function makeSlowLab(): Lab {
  return makeLab({}, { directory: slowDirectory() });
}

const sameName = (a: PrincipalName, b: PrincipalName): boolean => a.nameString.join('/') === b.nameString.join('/');

let nextNonce = 1000;
function job(lab: Lab, tgt: Tgt, user: string, sname: PrincipalName, o: { subkey?: boolean; error?: 'modified' } = {}): Job {
  const nonce = nextNonce++;
  const subkey = o.subkey === true ? randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96) : undefined;
  const bytes = tgsRequest(lab, tgt, sname, { nonce, ...(subkey !== undefined ? { subkey } : {}), ...(o.error === 'modified' ? { cksum: 'wrong-value' as const } : {}) });
  return { bytes, expect: { user, nonce, sname, replyKey: subkey ?? tgt.sessionKey, subkey: subkey !== undefined, ...(o.error === 'modified' ? { error: 41 } : {}) } };
}

/**
 * Check one reply against its request; returns the new session key's bytes (hex) for the
 * uniqueness check, or '' for a refusal.
 */
function check(lab: Lab, reply: Uint8Array, e: Expect): string {
  if (e.error !== undefined) {
    expect(reply[0], `nonce ${e.nonce}: a KRB-ERROR`).toBe(0x7e);
    const err = krbErrorCodec.decode(reply);
    expect(err.errorCode, `nonce ${e.nonce}`).toBe(e.error);
    expect(err.cname?.nameString, `nonce ${e.nonce}: the refusal names its own client`).toEqual([e.user]);
    return '';
  }
  expect(reply[0], `nonce ${e.nonce}: a TGS-REP, got ${reply[0] === 0x7e ? `error ${krbErrorCodec.decode(reply).errorCode}` : reply[0]}`).toBe(0x6d);
  // Decrypts under this request's key (TGT session key or its own subkey): an integrity error here is a reply sealed for another request.
  const out = openReply(reply, e.replyKey, e.subkey);
  if (out.kind !== 'rep') throw new Error('not a reply');
  expect(out.encPart.nonce, 'the reply answers this request').toBe(e.nonce);
  expect(sameName(out.encPart.sname, e.sname), `nonce ${e.nonce}: sname`).toBe(true);
  expect(out.tgt.cname.nameString).toEqual([e.user]);
  const isTgt = e.sname.nameString[0] === 'krbtgt';
  const ticketKey = isTgt ? lab.krbtgtKey.key : lab.cifsKey.key;
  const enc = openTicket(out.ticket, ticketKey).encTicketPart;
  expect(enc.cname.nameString, `nonce ${e.nonce}: ticket client`).toEqual([e.user]);
  expect(Buffer.from(enc.key.keyvalue).equals(Buffer.from(out.encPart.key.keyvalue)), `nonce ${e.nonce}: ticket and reply carry the same session key`).toBe(true);
  const pacBytes = extractPac(enc.authorizationData);
  if (pacBytes === undefined) throw new Error(`nonce ${e.nonce}: ticket without PAC`);
  const v = verifyPac(pacBytes, { serverKey: ticketKey, kdcKey: lab.krbtgtKey.key });
  for (const s of v.signatures) if (s.ulType === 6 || s.ulType === 7) expect(s.verified, `nonce ${e.nonce}: PAC signature ${s.type}`).toBe(true);
  const values = v.pac.Buffers.map((b) => b.value);
  const clientInfo = values.find((x) => x?.type === 'CLIENT_INFO');
  const logonInfo = values.find((x) => x?.type === 'LOGON_INFO');
  expect(clientInfo?.type === 'CLIENT_INFO' ? clientInfo.value.Name : undefined, `nonce ${e.nonce}: PAC client`).toBe(e.user);
  expect(logonInfo?.type === 'LOGON_INFO' ? logonInfo.value.UserId : undefined, `nonce ${e.nonce}: PAC user RID`).toBe(USERS[e.user as User]);
  return Buffer.from(enc.key.keyvalue).toString('hex');
}

/** One datagram per socket, so a reply is known to answer that datagram; `inFlight` at a time (no loopback drops). */
async function overUdp(port: number, jobs: readonly Job[], inFlight: number): Promise<Uint8Array[]> {
  const replies: Uint8Array[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      replies[i] = await new Promise<Uint8Array>((resolve, reject) => {
        const sock = createSocket('udp4');
        const timer = setTimeout(() => {
          sock.close();
          reject(new Error(`UDP request ${i} unanswered`));
        }, 5000);
        sock.on('message', (m) => {
          clearTimeout(timer);
          sock.close();
          resolve(new Uint8Array(m));
        });
        sock.send(jobs[i]!.bytes, port, '127.0.0.1');
      });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return replies;
}

function framed(jobs: readonly Job[]): Buffer {
  return Buffer.concat(jobs.map((j) => {
    const frame = Buffer.alloc(4 + j.bytes.length);
    frame.writeUInt32BE(j.bytes.length, 0);
    frame.set(j.bytes, 4);
    return frame;
  }));
}

/** A TCP client that writes requests pipelined on one connection; `paused`: it reads nothing until resume(). */
class TcpClient {
  readonly sock: Socket;
  readonly replies: Uint8Array[] = [];
  #sent = 0;
  #buf = Buffer.alloc(0);
  #wake: (() => void) | undefined;
  #failed: Error | undefined;

  constructor(port: number, paused = false) {
    this.sock = connect({ host: '127.0.0.1', port, noDelay: true });
    if (paused) this.sock.pause();
    this.sock.on('data', (d: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, d]);
      while (this.#buf.length >= 4 && this.#buf.length >= 4 + this.#buf.readUInt32BE(0)) {
        this.replies.push(new Uint8Array(this.#buf.subarray(4, 4 + this.#buf.readUInt32BE(0))));
        this.#buf = this.#buf.subarray(4 + this.#buf.readUInt32BE(0));
      }
      this.#wake?.();
    });
    this.sock.on('error', (e) => {
      this.#failed = e;
      this.#wake?.();
    });
    this.sock.on('close', () => {
      this.#failed ??= new Error(`TCP closed after ${this.replies.length} of ${this.#sent} replies`);
      this.#wake?.();
    });
  }

  send(jobs: readonly Job[]): void {
    this.#sent += jobs.length;
    this.sock.write(framed(jobs));
  }

  resume(): void {
    this.sock.resume();
  }

  /** Every reply to what was sent, then the connection closed. */
  async all(): Promise<Uint8Array[]> {
    while (this.replies.length < this.#sent) {
      if (this.#failed !== undefined) throw this.#failed;
      await new Promise<void>((r) => (this.#wake = r));
    }
    this.sock.destroy();
    return this.replies;
  }
}

async function overTcp(port: number, jobs: readonly Job[]): Promise<Uint8Array[]> {
  const c = new TcpClient(port);
  c.send(jobs);
  return c.all();
}

let listening: Listening | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await listening?.close();
  listening = undefined;
});

describe('interleaved requests against a listening embedded KDC', () => {
  it('every reply over UDP and TCP (one client reading nothing until the rest is done) answers exactly its own request', { timeout: 10_000 }, async () => {
    const lab = makeSlowLab();
    let handled = 0;
    listening = await listenExchangeKdc(
      { handle: (r, s) => lab.kdc.handle(r, s).finally(() => handled++), krbError: (c, t) => lab.kdc.krbError(c, t) },
      // tcpReuse: the slow client sends batch after batch over one connection.
      { port: 0, rateLimit: { perSecond: 1e6, burst: 1e6 }, tcpReuse: true },
    );
    const port = listening.udpPort;

    // Partial TGTs (two per user) and, through the KDC, full TGTs (one per user, presented many times: the verified-TGT cache).
    const partials: [User, Tgt][] = [];
    for (const user of Object.keys(USERS) as User[]) for (let i = 0; i < 2; i++) partials.push([user, mint(lab, { user })]);
    const fulls: [User, Tgt][] = [];
    for (const [user, tgt] of partials.filter((_, i) => i % 2 === 0)) {
      const j = job(lab, tgt, user, KRBTGT);
      const [reply] = await overUdp(port, [j], 1);
      check(lab, reply!, j.expect);
      const out = openReply(reply!, tgt.sessionKey);
      if (out.kind !== 'rep') throw new Error('no full TGT');
      fulls.push([user, out.tgt]);
    }

    // A mix per transport: partial → TGT, full → cifs (with and without subkey), full → TGT, and refusals (a modified body).
    const mix = (n: number): Job[] =>
      Array.from({ length: n }, (_, i) => {
        const [user, partial] = partials[i % partials.length]!;
        const [fuser, full] = fulls[i % fulls.length]!;
        switch (i % 6) {
          case 0: return job(lab, partial, user, KRBTGT);
          case 1: return job(lab, full, fuser, CIFS);
          case 2: return job(lab, full, fuser, CIFS, { subkey: true });
          case 3: return job(lab, full, fuser, KRBTGT);
          case 4: return job(lab, partial, user, CIFS, { subkey: true });
          default: return job(lab, full, fuser, CIFS, { error: 'modified' });
        }
      });
    const tcpJobs = [mix(60), mix(60), mix(60)];
    const udpJobs = mix(240);

    // Replies the server could not hand to the kernel (the slow client's window and the server's
    // send buffer, ~4 MB on loopback, are full) wait in its socket's write buffer. Sampled per write.
    const queued = watchServerWriteQueue(port);
    /** Until the server has stopped handling requests (all answered, or the slow connection held back). */
    const quiet = async (): Promise<void> => {
      let before = -1;
      while (handled !== before) {
        before = handled;
        await new Promise((r) => setTimeout(r, 30));
      }
    };

    // The slow client sends batches, reading nothing, until the server's replies to it queue in user space.
    const slow = new TcpClient(port, true);
    const slowJobs: Job[] = [];
    while (queued.most === 0 && slowJobs.length < 6000) {
      const batch = mix(300);
      slowJobs.push(...batch);
      slow.send(batch);
      await quiet();
    }
    // Now the rest, while the slow connection's last replies sit in the server's write buffer and more of its requests wait.
    const more = mix(120);
    slowJobs.push(...more);
    slow.send(more);
    const [udpReplies, ...tcpReplies] = await Promise.all([overUdp(port, udpJobs, 24), ...tcpJobs.map((j) => overTcp(port, j))]);
    slow.resume();
    const slowReplies = await slow.all();

    const keys: string[] = [];
    udpJobs.forEach((j, i) => keys.push(check(lab, udpReplies[i]!, j.expect)));
    tcpJobs.forEach((jobs, c) => jobs.forEach((j, i) => keys.push(check(lab, tcpReplies[c]![i]!, j.expect))));
    slowJobs.forEach((j, i) => keys.push(check(lab, slowReplies[i]!, j.expect)));
    const issued = keys.filter((k) => k !== '');
    // No session key was handed to two requests.
    expect(new Set(issued).size).toBe(issued.length);
    // The slow client really made the server queue replies in user space while it served the others.
    expect(queued.most).toBeGreaterThan(0);
  });

  it('the same request sent over UDP and TCP at once is answered once; the other copy gets KRB_AP_ERR_REPEAT', { timeout: 10_000 }, async () => {
    const lab = makeSlowLab();
    listening = await listenExchangeKdc(lab.kdc, { port: 0, rateLimit: { perSecond: 1e6, burst: 1e6 } });
    const port = listening.udpPort;
    for (let round = 0; round < 40; round++) {
      const user: User = round % 2 === 0 ? 'alice' : 'bob';
      const j = job(lab, mint(lab, { user }), user, round % 3 === 0 ? CIFS : KRBTGT);
      const [[u], [t]] = await Promise.all([overUdp(port, [j], 1), overTcp(port, [j])]);
      const codes = [u!, t!].map((r) => (r[0] === 0x7e ? krbErrorCodec.decode(r).errorCode : 0)).sort();
      expect(codes).toEqual([0, 34]);
      check(lab, u![0] === 0x6d ? u! : t!, j.expect);
    }
  });
});
