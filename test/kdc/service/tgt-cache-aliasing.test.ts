import { describe, expect, it } from 'vitest';
import { extractPac, krbErrorCodec } from '../../../src/asn1/index.js';
import { verifyPac } from '../../../src/pac/index.js';
import { openTicket } from '../../../src/ticket/index.js';
import { CIFS, KRBTGT, makeLab, mint, openReply, tgsRequest, type Lab, type Tgt } from './support.js';

/**
 * The verified-TGT cache (tgt-cache.ts) keeps what it learnt from a request after the request is
 * answered. handle()'s contract lets the caller reuse the request buffer once the promise settles,
 * and the reply is the caller's too: nothing cached may point into either. Each test scribbles over
 * every buffer the caller got back or handed in, then presents the same TGT again (a cache hit).
 */

const source = { transport: 'direct', address: 'test' } as const;

async function ask(lab: Lab, tgt: Tgt, request: Uint8Array): Promise<Uint8Array> {
  const reply = await lab.kdc.handle(request, source);
  if (reply === undefined) throw new Error('dropped');
  return reply;
}

/** A TGS-REP for `user` whose ticket (under `ticketKey`) carries that user's own, validly signed PAC. */
function expectTicketFor(lab: Lab, reply: Uint8Array, tgt: Tgt, nonce: number, user: string, rid: number, isTgt: boolean): void {
  if (reply[0] === 0x7e) throw new Error(`KRB-ERROR ${krbErrorCodec.decode(reply).errorCode}`);
  const out = openReply(reply, tgt.sessionKey);
  if (out.kind !== 'rep') throw new Error('not a reply');
  expect(out.encPart.nonce).toBe(nonce);
  const ticketKey = isTgt ? lab.krbtgtKey.key : lab.cifsKey.key;
  const enc = openTicket(out.ticket, ticketKey).encTicketPart;
  expect(enc.cname.nameString).toEqual([user]);
  const pac = extractPac(enc.authorizationData);
  if (pac === undefined) throw new Error('no PAC');
  const v = verifyPac(pac, { serverKey: ticketKey, kdcKey: lab.krbtgtKey.key });
  expect(v.signatures.filter((s) => s.ulType === 6 || s.ulType === 7).map((s) => s.verified)).toEqual([true, true]);
  const values = v.pac.Buffers.map((b) => b.value);
  const client = values.find((x) => x?.type === 'CLIENT_INFO');
  const logon = values.find((x) => x?.type === 'LOGON_INFO');
  expect(client?.type === 'CLIENT_INFO' ? client.value.Name : undefined).toBe(user);
  expect(logon?.type === 'LOGON_INFO' ? logon.value.UserId : undefined).toBe(rid);
}

function expectServiceTicket(lab: Lab, reply: Uint8Array, tgt: Tgt, nonce: number): void {
  expectTicketFor(lab, reply, tgt, nonce, 'alice', 1104, false);
}
describe('a cached full TGT after its first request and reply buffers are overwritten', () => {
  it('serves the next request from the cache unchanged', async () => {
    const lab = makeLab();
    const partial = mint(lab);
    const exchangeRequest = tgsRequest(lab, partial, KRBTGT, { nonce: 1 });
    const exchangeReply = await ask(lab, partial, exchangeRequest);
    const full = openReply(exchangeReply, partial.sessionKey);
    if (full.kind !== 'rep') throw new Error('no full TGT');
    // The client's copy of its full TGT is independent of the reply buffer (decoded with copies).
    const tgt = full.tgt;
    exchangeRequest.fill(0xa5);
    exchangeReply.fill(0x5a);

    const first = tgsRequest(lab, tgt, CIFS, { nonce: 2 });
    const firstReply = await ask(lab, tgt, first);
    expectServiceTicket(lab, firstReply, tgt, 2);
    // The TGT is now in the cache; the request that put it there and its reply are the caller's to reuse.
    first.fill(0xa5);
    firstReply.fill(0x5a);

    for (let nonce = 3; nonce < 6; nonce++) {
      const again = tgsRequest(lab, tgt, CIFS, { nonce });
      const reply = await ask(lab, tgt, again);
      expectServiceTicket(lab, reply, tgt, nonce);
      again.fill(0xa5);
      reply.fill(0x5a);
    }
  });

  it("keeps its own PAC while other TGTs are opened in between, for a target asked of it only then", async () => {
    // A full TGT in the cache holds its PAC as a view into the plaintext it was opened from; every
    // later decryption (other clients' TGTs and authenticators) must land elsewhere. The target
    // asked last (a TGT from the TGT) lays its PAC out from those bytes for the first time.
    const lab = makeLab();
    const fullOf = async (user: string, nonce: number): Promise<Tgt> => {
      const partial = mint(lab, { user });
      const out = openReply(await ask(lab, partial, tgsRequest(lab, partial, KRBTGT, { nonce })), partial.sessionKey);
      if (out.kind !== 'rep') throw new Error('no full TGT');
      return out.tgt;
    };
    const alice = await fullOf('alice', 1);
    expectServiceTicket(lab, await ask(lab, alice, tgsRequest(lab, alice, CIFS, { nonce: 2 })), alice, 2);
    let nonce = 10;
    for (let i = 0; i < 4; i++) {
      const bob = await fullOf('bob', nonce++);
      const n = nonce++;
      expectTicketFor(lab, await ask(lab, bob, tgsRequest(lab, bob, CIFS, { nonce: n })), bob, n, 'bob', 1105, false);
    }
    expectTicketFor(lab, await ask(lab, alice, tgsRequest(lab, alice, KRBTGT, { nonce: 3 })), alice, 3, 'alice', 1104, true);
    expectServiceTicket(lab, await ask(lab, alice, tgsRequest(lab, alice, CIFS, { nonce: 4 })), alice, 4);
  });
});
