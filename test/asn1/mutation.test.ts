import { describe, expect, it } from 'vitest';
import { apReqCodec, tgsReqCodec, ticketCodec, type Codec } from '../../src/asn1/index.js';
import { DecodeError } from '../../src/errors/index.js';
import * as s from './samples.js';

/** mulberry32: a small seeded PRNG so a failure reproduces from the seed printed with it. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(input: Uint8Array, rnd: () => number): Uint8Array {
  const pick = (n: number): number => Math.floor(rnd() * n);
  const b = input.slice();
  const at = pick(b.length);
  switch (pick(6)) {
    case 0:
      b[at] = b[at]! ^ (1 << pick(8));
      return b;
    case 1:
      b[at] = pick(256);
      return b;
    case 2:
      return b.subarray(0, at);
    case 3: {
      const out = new Uint8Array(b.length + 1);
      out.set(b.subarray(0, at));
      out[at] = pick(256);
      out.set(b.subarray(at), at + 1);
      return out;
    }
    case 4: {
      const out = new Uint8Array(b.length - 1);
      out.set(b.subarray(0, at));
      out.set(b.subarray(at + 1), at);
      return out;
    }
    default:
      // A length-looking octet: long-form markers and huge values are the interesting ones.
      b[at] = [0x80, 0x81, 0x84, 0x85, 0xff, 0x7f, 0x00][pick(7)]!;
      return b;
  }
}

function run<T>(codec: Codec<T>, base: Uint8Array, seed: number, count: number, also?: (v: T) => void): { ok: number; rejected: number } {
  const rnd = prng(seed);
  let ok = 0;
  let rejected = 0;
  for (let i = 0; i < count; i++) {
    const m = mutate(base, rnd);
    let value: T;
    try {
      value = codec.decode(m);
    } catch (e) {
      if (!(e instanceof DecodeError) || e.code !== 'ERR_ASN1_DECODE' || !Number.isInteger(e.offset) || e.offset < 0 || e.offset > m.length || !e.path.startsWith(codec.name)) {
        throw new Error(`seed ${seed} mutation ${i}: unexpected outcome ${String(e)}`, { cause: e });
      }
      rejected++;
      continue;
    }
    ok++;
    // An accepted mutation is a value like any other: it encodes, and that encoding is a fixed
    // point (compared as octets: deep equality of large byte arrays is slow in the runner).
    const again = codec.encode(value);
    if (Buffer.compare(codec.encode(codec.decode(again)), again) !== 0) {
      throw new Error(`seed ${seed} mutation ${i}: re-encoding is not stable`);
    }
    also?.(value);
  }
  return { ok, rejected };
}

describe('seeded mutations: every outcome is a value or a DecodeError', () => {
  it('20,000 mutations of a TGS-REQ (and of the AP-REQ in its PA-TGS-REQ when it survives)', () => {
    const r = run(tgsReqCodec, tgsReqCodec.encode(s.tgsReq), 0x7a65, 20_000, (req) => {
      const pa = req.padata?.find((p) => p.padataType === 1);
      if (pa === undefined) return;
      try {
        apReqCodec.decode(pa.padataValue);
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
      }
    });
    expect(r.ok).toBeGreaterThan(0);
    expect(r.rejected).toBeGreaterThan(0);
    expect(r.ok + r.rejected).toBe(20_000);
  }, 120_000);

  it('20,000 mutations of a Ticket', () => {
    const r = run(ticketCodec, ticketCodec.encode(s.tgt), 0x71c4e7, 20_000);
    expect(r.ok).toBeGreaterThan(0);
    expect(r.rejected).toBeGreaterThan(0);
  }, 120_000);
});
