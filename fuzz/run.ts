import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fuzzPac, pacCorpus } from './pac.js';

/**
 * `npm run fuzz`: longer mutation runs than the test suite's. Usage:
 *   node dist/fuzz/run.js [iterations=2000000] [seed=random]
 * Prints the counts and any failing input (base64) with the seed that reproduces it; exits 1 on a failure.
 */
function repoRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'krb-fixtures'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('krb-fixtures/ not found above dist/fuzz');
    dir = up;
  }
  return dir;
}

function main(): void {
  const iterations = Number(process.argv[2] ?? 2_000_000);
  const seed = Number(process.argv[3] ?? Math.floor(Math.random() * 0xffffffff));
  const { corpus, keys } = pacCorpus(repoRoot());
  const result = fuzzPac({ corpus, iterations, seed, describeEvery: 100, keys });
  console.log(
    `pac: ${result.iterations} mutations (seed ${seed}): ${result.decoded} decoded and re-encoded exactly, ` +
      `${result.rejected} rejected with typed errors, ${result.failures.length} failures, ${(result.ms / 1000).toFixed(1)} s`,
  );
  for (const f of result.failures) console.log(`FAIL iteration ${f.iteration}: ${f.error}\n  input ${f.input}`);
  if (result.failures.length > 0) process.exitCode = 1;
}

main();
