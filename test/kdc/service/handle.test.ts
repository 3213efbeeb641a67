import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { apReqCodec, asReqCodec, krbErrorCodec, PA_DATA_TYPES, tgsReqCodec } from '../../../src/asn1/index.js';
import { ETYPE } from '../../../src/crypto/index.js';
import { frameTcp, sendTcp, sendUdp, MemoryReplayCache, TokenBuckets } from '../../../src/kdc/index.js';
import { CIFS, code, KRBTGT, makeLab, mint, openReply, tgsRequest } from './support.js';

const direct = { transport: 'direct', address: 't' } as const;

function errorCode(reply: Uint8Array | undefined): number {
  if (reply === undefined) throw new Error('dropped');
  return krbErrorCodec.decode(reply).errorCode;
}

describe('handle(): what is not a good TGS-REQ', () => {
  const lab = makeLab();

  it('AS-REQ → 12 KDC_ERR_POLICY with e-text (this KDC holds no passwords), sname echoed', async () => {
    const req = asReqCodec.encode({ reqBody: { kdcOptions: 0, cname: { nameType: 1, nameString: ['alice'] }, realm: 'DEMO.TEST', sname: KRBTGT, till: new Date(0), nonce: 1, etype: [ETYPE.AES256_CTS_HMAC_SHA1_96] } });
    const e = krbErrorCodec.decode((await lab.kdc.handle(req, direct))!);
    expect(e.errorCode).toBe(12);
    expect(e.eText).toBeTruthy();
    expect(e.sname.nameString).toEqual(['krbtgt', 'DEMO.TEST']);
  });
  it('bytes that are no KDC request are dropped (as MIT drops an AP-REQ on port 88)', async () => {
    expect(await lab.kdc.handle(Uint8Array.of(1, 2, 3), direct)).toBeUndefined();
    expect(await lab.kdc.handle(new Uint8Array(0), direct)).toBeUndefined();
    expect(await lab.kdc.handle(apReqCodec.encode({ apOptions: 0, ticket: mint(lab).ticket, authenticator: { etype: 18, cipher: new Uint8Array(40) } }), direct)).toBeUndefined();
  });
  it('a TGS-REQ or AS-REQ that does not decode is dropped, as MIT and Samba drop it (no reflected KRB-ERROR)', async () => {
    const good = tgsRequest(lab, mint(lab), KRBTGT);
    for (const source of [direct, { transport: 'udp', address: '192.0.2.1' } as const]) {
      expect(await lab.kdc.handle(good.subarray(0, good.length - 3), source)).toBeUndefined();
      expect(await lab.kdc.handle(Uint8Array.of(0x6c, 0x00), source)).toBeUndefined();
      expect(await lab.kdc.handle(Uint8Array.of(0x6c, 0x03, 0x30, 0x01, 0x00), source)).toBeUndefined();
      expect(await lab.kdc.handle(Uint8Array.of(0x6a, 0x00), source)).toBeUndefined();
    }
    // The same request whole is answered: only the undecodable one is dropped.
    expect((await lab.kdc.handle(good, direct))?.[0]).toBe(0x6d);
  });
  it('an octet after the TGS-REQ is ignored, as MIT and Samba ignore it', async () => {
    const good = tgsRequest(lab, mint(lab), KRBTGT);
    const trailing = new Uint8Array(good.length + 1);
    trailing.set(good);
    expect((await lab.kdc.handle(trailing, direct))?.[0]).toBe(0x6d);
  });
  it('PA-TGS-REQ that is no AP-REQ → 60; no PA-TGS-REQ → 16', async () => {
    const req = tgsReqCodec.decode(tgsRequest(lab, mint(lab), KRBTGT));
    const broken = tgsReqCodec.encode({ ...req, padata: [{ padataType: PA_DATA_TYPES['PA-TGS-REQ'], padataValue: Uint8Array.of(0x6e, 0x01, 0x00) }] });
    expect(errorCode(await lab.kdc.handle(broken, direct))).toBe(60);
    const none = tgsReqCodec.encode({ ...req, padata: [{ padataType: 128, padataValue: Uint8Array.of(0x30, 0x03, 0x01, 0x01, 0xff) }] });
    expect(errorCode(await lab.kdc.handle(none, direct))).toBe(16);
  });
  it('a service ticket presented as a TGT → 12 (Samba 4.17); a ticket for another realm\'s TGS → 35', async () => {
    const tgt = mint(lab);
    const service = { ...tgt, ticket: { ...tgt.ticket, sname: CIFS } };
    expect(code(openReply((await lab.kdc.handle(tgsRequest(lab, service, KRBTGT), direct))!, tgt.sessionKey))).toBe(12);
    const foreign = { ...tgt, ticket: { ...tgt.ticket, sname: { nameType: 2, nameString: ['krbtgt', 'OTHER.TEST'] } } };
    expect(code(openReply((await lab.kdc.handle(tgsRequest(lab, foreign, KRBTGT), direct))!, tgt.sessionKey))).toBe(35);
  });
  it('KRB-ERROR carries stime, realm, the requested sname and the client once known, and never PA-FX-FAST', async () => {
    const e = krbErrorCodec.decode((await lab.kdc.handle(tgsRequest(lab, mint(lab, { user: 'carol' }), CIFS), direct))!);
    expect(e.errorCode).toBe(12);
    expect(e.stime.getTime()).toBe(lab.clock.at);
    expect(e.realm).toBe('DEMO.TEST');
    expect(e.sname.nameString).toEqual(['cifs', 'fs1.demo.test']);
    expect(e.cname?.nameString).toEqual(['carol']);
    expect(e.eData).toBeUndefined();
  });
  it('a reply too big for UDP → 52 KRB_ERR_RESPONSE_TOO_BIG over UDP only', async () => {
    // A 600-byte datagram limit: a TGS-REP with a PAC is larger.
    const limited = makeLab({}, { maxUdpReplyBytes: 600 });
    expect(errorCode(await limited.kdc.handle(tgsRequest(limited, mint(limited), CIFS), { transport: 'udp', address: 'u' }))).toBe(52);
    const tcp = mint(limited);
    expect(code(openReply((await limited.kdc.handle(tgsRequest(limited, tcp, CIFS), { transport: 'tcp', address: 'u' }))!, tcp.sessionKey))).toBe(0);
  });
});

describe('listeners (RFC 4120 §7.2)', () => {
  it('UDP and TCP on the same loopback port answer TGS-REQs', async () => {
    const lab = makeLab();
    const server = await lab.kdc.listen({ port: 0 });
    try {
      expect(server.udpPort).toBe(server.tcpPort);
      const to = { host: '127.0.0.1', port: server.udpPort };
      const a = mint(lab);
      expect(code(openReply(await sendUdp(to, tgsRequest(lab, a, KRBTGT)), a.sessionKey))).toBe(0);
      const b = mint(lab);
      expect(code(openReply(await sendTcp(to, tgsRequest(lab, b, CIFS)), b.sessionKey))).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('TCP: a length with the reserved high bit, or over the frame limit, gets 61 KRB_ERR_FIELD_TOOLONG and the stream closes', async () => {
    const lab = makeLab();
    const server = await lab.kdc.listen({ port: 0, maxTcpFrameBytes: 4096 });
    try {
      for (const prefix of [Uint8Array.of(0x80, 0, 0, 10), Uint8Array.of(0, 0, 0x10, 1)]) {
        const reply = await rawTcp(server.tcpPort, prefix);
        expect(errorCode(reply.subarray(4))).toBe(61);
      }
    } finally {
      await server.close();
    }
  });

  it('TCP: several requests on one connection are answered in order', async () => {
    const lab = makeLab();
    const server = await lab.kdc.listen({ port: 0 });
    try {
      const tgts = [mint(lab), mint(lab), mint(lab)];
      const frames = tgts.map((t, i) => frameTcp(tgsRequest(lab, t, KRBTGT, { nonce: 100 + i })));
      const all = await rawTcp(server.tcpPort, Buffer.concat(frames), 3);
      const nonces: number[] = [];
      let at = 0;
      for (const t of tgts) {
        const len = new DataView(all.buffer, all.byteOffset + at).getUint32(0);
        const o = openReply(all.subarray(at + 4, at + 4 + len), t.sessionKey);
        if (o.kind === 'rep') nonces.push(o.encPart.nonce);
        at += 4 + len;
      }
      expect(nonces).toEqual([100, 101, 102]);
    } finally {
      await server.close();
    }
  });

  it('UDP: datagrams over the size limit and sources over their rate are dropped', async () => {
    const lab = makeLab();
    const server = await lab.kdc.listen({ port: 0, maxUdpRequestBytes: 3000, rateLimit: { perSecond: 1, burst: 3 } });
    try {
      const big = new Uint8Array(4000);
      big[0] = 0x6c;
      const answered = await udpBurst(server.udpPort, [big]);
      expect(answered).toBe(0);
      const req = () => tgsRequest(lab, mint(lab), KRBTGT);
      expect(await udpBurst(server.udpPort, [req(), req(), req(), req(), req(), req()])).toBe(3);
    } finally {
      await server.close();
    }
  });
});

describe('TokenBuckets and MemoryReplayCache', () => {
  it('a bucket refills at its rate, per source', () => {
    let t = 0;
    const b = new TokenBuckets({ perSecond: 2, burst: 2 }, () => t);
    expect([b.take('a'), b.take('a'), b.take('a'), b.take('b')]).toEqual([true, true, false, true]);
    t = 500;
    expect([b.take('a'), b.take('a')]).toEqual([true, false]);
  });
  const tag = (n: number): Uint8Array => {
    const t = new Uint8Array(40); // a ciphertext: the last 12 octets are its tag
    new DataView(t.buffer).setUint32(28, n);
    new DataView(t.buffer).setUint32(36, n * 7919);
    return t;
  };
  it('an authenticator is a replay until its time passes', () => {
    const clock = { at: 0, now() { return new Date(this.at); } };
    const c = new MemoryReplayCache({ clock });
    expect(c.seen(tag(1), new Date(1000))).toBe(false);
    expect(c.seen(tag(1), new Date(1000))).toBe(true);
    expect(c.seen(tag(2), new Date(1000))).toBe(false);
    clock.at = 1001;
    expect(c.seen(tag(1), new Date(5000))).toBe(false);
    expect(c.seen(tag(1), new Date(5000))).toBe(true);
    expect(() => c.seen(new Uint8Array(11), new Date(5000))).toThrow(RangeError);
  });
  it('keeps 100,000 authenticators through its table growth, then lets the expired ones go', () => {
    const clock = { at: 0, now() { return new Date(this.at); } };
    const c = new MemoryReplayCache({ clock });
    for (let i = 0; i < 100_000; i++) expect(c.seen(tag(i), new Date(300_000))).toBe(false);
    let repeats = 0;
    for (let i = 0; i < 100_000; i += 7) if (c.seen(tag(i), new Date(300_000))) repeats++;
    expect(repeats).toBe(Math.ceil(100_000 / 7));
    expect(c.size).toBe(100_000);
    clock.at = 301_000;
    expect(c.size).toBe(0);
    expect(c.seen(tag(5), new Date(600_000))).toBe(false);
  });
  it('under its bound, drops the entries closest to expiry first', () => {
    const clock = { at: 0, now() { return new Date(this.at); } };
    const c = new MemoryReplayCache({ clock, maxEntries: 1000 });
    for (let i = 0; i < 5000; i++) c.seen(tag(i), new Date(1000 * (10 + Math.floor(i / 100))));
    // Cut to the newest half at each rebuild past the bound, then refilled to at most half a 4,096-slot table.
    expect(c.size).toBeLessThanOrEqual(2049);
    expect(c.seen(tag(4999), new Date(100_000))).toBe(true);
    expect(c.seen(tag(0), new Date(100_000))).toBe(false);
  });
});

function rawTcp(port: number, bytes: Uint8Array, replies = 1): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = connect({ host: '127.0.0.1', port }, () => sock.write(bytes));
    let count = 0;
    sock.on('data', (d) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      let at = 0;
      count = 0;
      while (all.length >= at + 4 && all.length >= at + 4 + all.readUInt32BE(at)) {
        at += 4 + all.readUInt32BE(at);
        count++;
      }
      if (count >= replies) {
        sock.destroy();
        resolve(new Uint8Array(all));
      }
    });
    sock.on('error', reject);
    sock.on('close', () => resolve(new Uint8Array(Buffer.concat(chunks))));
  });
}

async function udpBurst(port: number, messages: readonly Uint8Array[]): Promise<number> {
  const sock = createSocket('udp4');
  let n = 0;
  sock.on('message', () => n++);
  for (const m of messages) sock.send(m, port, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 300));
  sock.close();
  return n;
}
