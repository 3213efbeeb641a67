/**
 * One figure printed by `npm run bench`. `ratio` compares against another named result measured
 * in the same run (value = how many times slower than `against`; 1.0 = equal, below 1 = faster).
 */
export interface BenchResult {
  readonly name: string;
  readonly opsPerSec: number;
  readonly ratio?: { against: string; value: number };
  readonly note?: string;
}

/**
 * Runs `fn` repeatedly for about `ms` milliseconds after a warm-up and returns operations per
 * second. Batches grow until one takes a few milliseconds so the timer's own cost stays negligible.
 */
export function measure(fn: () => void, ms = 1000): number {
  for (let i = 0; i < 20; i++) fn(); // warm-up: JIT, derived-key caches, OpenSSL contexts
  let batch = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    if (elapsed >= 5 || batch >= 1 << 20) break;
    batch *= 2;
  }
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < ms) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (ops * 1000) / elapsedMs;
}

/**
 * Measures `subject` against `floor` in alternating rounds and returns the medians: on a shared
 * machine the load changes from second to second, and interleaving keeps both sides under the
 * same load. `ratio` = floor ops/s ÷ subject ops/s per round (how many times slower), median.
 */
export function paired(floor: () => void, subject: () => void, ms: number, rounds = 7): { floorOps: number; ops: number; ratio: number } {
  const f: number[] = [];
  const s: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const a = measure(floor, ms / rounds);
    const b = measure(subject, ms / rounds);
    f.push(a);
    s.push(b);
    r.push(a / b);
  }
  return { floorOps: median(f), ops: median(s), ratio: median(r) };
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
