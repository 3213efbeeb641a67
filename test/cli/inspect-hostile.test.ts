import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apReqCodec, tgsReqCodec } from '../../src/asn1/index.js';
import { runCli } from './run-cli.js';

const F = join(import.meta.dirname, '..', '..', 'krb-fixtures', 'files');
const SERVICE_KT = join(F, 'mit-service.keytab');
const hexFile = (n: string): Uint8Array => new Uint8Array(Buffer.from(readFileSync(join(F, n), 'utf8').trim(), 'hex'));

/** xorshift32: the same mutations on every run, so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

describe('inspect: damaged real files never crash', () => {
  const samples: [string, Uint8Array][] = [
    ['ccache', new Uint8Array(readFileSync(join(F, 'mit-alice.ccache')))],
    ['keytab', new Uint8Array(readFileSync(SERVICE_KT))],
    ...readdirSync(F)
      .filter((n) => n.startsWith('mit-msg-'))
      .slice(0, 10)
      .map((n): [string, Uint8Array] => [n, hexFile(n)]),
  ];

  for (const [name, good] of samples) {
    it(`${name}: 150 mutations (byte flips, truncations, inserted bytes) give exit 0, 1 or 2 and at most one stderr line`, async () => {
      const rnd = prng(good.length);
      for (let i = 0; i < 150; i++) {
        let b = good.slice();
        const op = rnd() % 3;
        if (op === 0) {
          const at = rnd() % b.length;
          b[at] = b[at]! ^ (1 << rnd() % 8);
        }
        else if (op === 1) b = b.subarray(0, rnd() % b.length);
        else b = Uint8Array.from([...b.subarray(0, rnd() % b.length), rnd() & 0xff, ...b.subarray(rnd() % b.length)]);
        if (b.length === 0) continue;
        const r = await runCli(['inspect', '-', '--keytab', SERVICE_KT], { stdin: b });
        expect([0, 1, 2]).toContain(r.code);
        expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(1);
      }
    });
  }
});

describe('inspect: an AP-REQ on its own', () => {
  it('the AP-REQ cut out of MIT\'s PA-TGS-REQ: the ticket opens with the krbtgt key, the authenticator with its session key and usage 7', async () => {
    const name = readdirSync(F).find((n) => /^mit-msg-\d+-tgs-req\.hex$/.test(n))!;
    const req = tgsReqCodec.decode(hexFile(name));
    const apReq = req.padata!.find((p) => p.padataType === 1)!.padataValue;
    expect(apReqCodec.decode(apReq).ticket.realm).toBe('MIT.TEST');
    const r = await runCli(['inspect', '-', '--keytab', SERVICE_KT, '--json'], { stdin: apReq });
    const doc = JSON.parse(r.stdout);
    expect(doc.kind).toBe('ap-req');
    expect(doc.apReq.ticket.decrypted.cname).toBe('alice');
    // A TGS-REQ authenticator is encrypted with key usage 7, not the AP-REQ usage 11 (RFC 4120 §7.5.1).
    expect(doc.apReq.decryptedAuthenticator.keyUsage).toBe(7);
    expect(doc.apReq.decryptedAuthenticator.cname).toBe('alice');
    expect(r.code).toBe(0);
  });
});
