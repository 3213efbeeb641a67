import { mutate } from './pac.js';
import { seededRandom } from './seeded-random.js';

/**
 * Mutation fuzzing of the embedded exchange KDC (issue 6: "bad input never crashes or stalls it").
 * Each mutation of a corpus request goes through the KDC's request handler; the handler must
 * answer with a KRB-ERROR ([APPLICATION 30]) or a TGS-REP ([APPLICATION 13]), or drop the input
 * (undefined) — never throw, and never take long. Mutations are applied 1–4 at a time, so some get
 * past the outer DER and reach the ticket, the authenticator and the PAC checks.
 */
export interface KdcFuzzResult {
  readonly iterations: number;
  readonly errors: number;
  readonly replies: number;
  readonly dropped: number;
  readonly slowest: number;
  readonly failures: readonly { readonly iteration: number; readonly error: string; readonly input: string }[];
  readonly ms: number;
}

export type RequestHandler = (request: Uint8Array) => Promise<Uint8Array | undefined>;

export { seededRandom } from './seeded-random.js';

const KRB_ERROR_TAG = 0x7e;
const TGS_REP_TAG = 0x6d;
/** One request taking this long is a stall, whatever the machine. */
const STALL_MS = 1000;

export async function fuzzKdc(options: {
  readonly handle: RequestHandler;
  readonly corpus: readonly Uint8Array[];
  readonly iterations: number;
  readonly seed: number;
}): Promise<KdcFuzzResult> {
  const random = seededRandom(options.seed);
  const failures: { iteration: number; error: string; input: string }[] = [];
  let errors = 0;
  let replies = 0;
  let dropped = 0;
  let slowest = 0;
  const started = performance.now();
  for (let i = 0; i < options.iterations; i++) {
    let input = options.corpus[Math.floor(random() * options.corpus.length)]!;
    const rounds = 1 + Math.floor(random() * 4);
    for (let r = 0; r < rounds; r++) input = mutate(input, random);
    const t = performance.now();
    try {
      const reply = await options.handle(input);
      const took = performance.now() - t;
      slowest = Math.max(slowest, took);
      if (took > STALL_MS) failures.push({ iteration: i, error: `took ${took.toFixed(0)} ms`, input: Buffer.from(input).toString('base64') });
      if (reply === undefined) dropped++;
      else if (reply[0] === KRB_ERROR_TAG) errors++;
      else if (reply[0] === TGS_REP_TAG) replies++;
      else failures.push({ iteration: i, error: `reply with tag 0x${reply[0]?.toString(16)}`, input: Buffer.from(input).toString('base64') });
    } catch (e) {
      failures.push({ iteration: i, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), input: Buffer.from(input).toString('base64') });
    }
  }
  return { iterations: options.iterations, errors, replies, dropped, slowest, failures, ms: performance.now() - started };
}
