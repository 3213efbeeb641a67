import * as asn1js from 'asn1js';
import { tgsRepCodec, ticketCodec, type KdcRep, type Ticket } from '../src/asn1/index.js';
import { measure, type BenchResult } from './result.js';

/**
 * DER decode of a Ticket and of a TGS-REP (issue 2's benchmark), each beside asn1js's generic
 * BER parse of the same octets: asn1js builds an untyped tree without DER checks, so it is a
 * reference point, not a floor. Sizes are those of real AD tickets: a TGT's enc-part with a PAC is
 * about 1 KiB, a service ticket's about 1.2 KiB.
 */
const realm = 'CORP.EXAMPLE';

/** Ciphertext-like octets (fixed seed): a constant fill would look like nested tags to asn1js. */
function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const tgt: Ticket = {
  tktVno: 5,
  realm,
  sname: { nameType: 2, nameString: ['krbtgt', realm] },
  encPart: { etype: 18, kvno: 0xd3ff0001, cipher: noise(1024, 1) },
};
const tgsRep: KdcRep = {
  crealm: realm,
  cname: { nameType: 1, nameString: ['alice'] },
  ticket: {
    tktVno: 5,
    realm,
    sname: { nameType: 2, nameString: ['cifs', 'fs1.corp.example'] },
    encPart: { etype: 18, kvno: 3, cipher: noise(1200, 2) },
  },
  encPart: { etype: 18, cipher: noise(220, 3) },
};

export async function benchAsn1(): Promise<BenchResult[]> {
  const ticketDer = ticketCodec.encode(tgt);
  const tgsRepDer = tgsRepCodec.encode(tgsRep);
  let sink = 0;
  const results: BenchResult[] = [];
  const pair = (what: string, der: Uint8Array, decode: (b: Uint8Array) => unknown): void => {
    const ops = measure(() => {
      sink ^= (decode(der) as object) === null ? 1 : 0;
    });
    const ref = measure(() => {
      sink ^= asn1js.fromBER(der).offset;
    });
    const ours = `DER decode ${what} (${der.length} B)`;
    results.push({ name: ours, opsPerSec: ops, note: 'strict DER, typed record' });
    results.push({ name: `asn1js fromBER ${what}`, opsPerSec: ref, ratio: { against: ours, value: ops / ref }, note: 'untyped BER tree, no DER checks' });
  };
  pair('Ticket', ticketDer, (b) => ticketCodec.decode(b));
  pair('TGS-REP', tgsRepDer, (b) => tgsRepCodec.decode(b));
  results.push({ name: `DER encode TGS-REP (${tgsRepDer.length} B)`, opsPerSec: measure(() => void (sink ^= tgsRepCodec.encode(tgsRep).length)) });
  if (sink === 0.5) console.log(sink); // keeps the work observable to the optimiser
  return Promise.resolve(results);
}
