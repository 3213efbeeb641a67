import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ETYPE, KEY_USAGE, Key, decrypt, encrypt, etypeName, stringToKey } from '../src/crypto/index.js';
import { type BenchResult, measure, paired } from './result.js';

/**
 * Crypto figures (issue 2): encrypt+decrypt of a 1 KiB payload — the size of an EncTicketPart
 * carrying a small PAC — per AES etype, next to the floor: the same bytes (16-byte confounder +
 * 1 KiB) through raw node:crypto AES-256-CBC and HMAC-SHA1, once to seal and once to open, with
 * fresh contexts as a straightforward implementation would. The floor does no key derivation,
 * ciphertext stealing or copying. Then string-to-key at the default iteration counts.
 */
const PAYLOAD = 1024;
const FLOOR = 'floor';

function makeFloor(): () => void {
  const aesKey = randomBytes(32);
  const macKey = randomBytes(20);
  const iv = Buffer.alloc(16);
  const body = randomBytes(16 + PAYLOAD); // 1040 bytes = 65 whole blocks: no padding needed
  return () => {
    const c = createCipheriv('aes-256-cbc', aesKey, iv).setAutoPadding(false);
    const ct = Buffer.concat([c.update(body), c.final()]);
    const mac = createHmac('sha1', macKey).update(body).digest().subarray(0, 12);
    const d = createDecipheriv('aes-256-cbc', aesKey, iv).setAutoPadding(false);
    const pt = Buffer.concat([d.update(ct), d.final()]);
    const check = createHmac('sha1', macKey).update(pt).digest().subarray(0, 12);
    if (!timingSafeEqual(mac, check)) throw new Error('floor self-check failed');
  };
}

const AES_ETYPES = [
  ETYPE.AES128_CTS_HMAC_SHA1_96,
  ETYPE.AES256_CTS_HMAC_SHA1_96,
  ETYPE.AES128_CTS_HMAC_SHA256_128,
  ETYPE.AES256_CTS_HMAC_SHA384_192,
] as const;

export async function benchCrypto(): Promise<BenchResult[]> {
  const ms = Number(process.env['BENCH_MS'] ?? 2000);
  const floor = makeFloor();
  const results: BenchResult[] = [];
  const floorOps: number[] = [];
  const payload = new Uint8Array(randomBytes(PAYLOAD));

  for (const etype of AES_ETYPES) {
    const key = Key.fromBytes(etype, new Uint8Array(randomBytes(etype === 17 || etype === 19 ? 16 : 32)));
    const m = paired(floor, () => {
      const ct = encrypt(key, KEY_USAGE.KDC_REP_TICKET, payload);
      decrypt(key, KEY_USAGE.KDC_REP_TICKET, ct);
    }, ms);
    floorOps.push(m.floorOps);
    results.push({
      name: `${etype} ${etypeName(etype)} encrypt+decrypt 1 KiB`,
      opsPerSec: m.ops,
      ratio: { against: FLOOR, value: m.ratio },
      note: `median of 7 rounds interleaved with the floor${etype === 18 ? '; goal <= 1.5x' : ''}`,
    });
  }
  results.unshift({
    name: `${FLOOR}: raw AES-256-CBC + HMAC-SHA1 seal+open 1 KiB`,
    opsPerSec: floorOps.sort((a, b) => a - b)[floorOps.length >> 1]!,
    note: 'node:crypto, fresh contexts',
  });

  for (const etype of AES_ETYPES) {
    const iterations = etype <= 18 ? 4096 : 32768;
    const ops = measure(() => stringToKey(etype, 'correct horse battery staple', 'EXAMPLE.COMalice'), ms / 2);
    results.push({ name: `${etype} ${etypeName(etype)} string-to-key`, opsPerSec: ops, note: `${iterations} iterations (default)` });
  }
  const rc4 = measure(() => stringToKey(ETYPE.RC4_HMAC, 'correct horse battery staple', ''), ms / 2);
  results.push({ name: `23 ${etypeName(23)} string-to-key`, opsPerSec: rc4, note: 'MD4(UTF-16LE(password)), own MD4' });
  return results;
}
