import { existsSync } from 'node:fs';
import { benchCrypto } from './crypto.js';
import type { BenchResult } from './result.js';

/**
 * `npm run bench`: runs every bench module present and prints one table. Modules other helpers
 * add later (asn1, pac, mint, webauthn) are loaded if their compiled file exists, skipped with a
 * note otherwise. Each exports `bench<Name>(): Promise<BenchResult[]>`.
 */
const OPTIONAL = [
  ['asn1', 'benchAsn1'],
  ['pac', 'benchPac'],
  ['mint', 'benchMint'],
  ['webauthn', 'benchWebauthn'],
] as const;

async function main(): Promise<void> {
  const sections: [string, BenchResult[]][] = [['crypto', await benchCrypto()]];
  for (const [name, exported] of OPTIONAL) {
    const url = new URL(`./${name}.js`, import.meta.url);
    if (!existsSync(url)) {
      console.log(`(bench/${name}: not present yet, skipped)`);
      continue;
    }
    const mod = (await import(url.href)) as Record<string, unknown>;
    const fn = mod[exported];
    if (typeof fn !== 'function') {
      console.log(`(bench/${name}: no ${exported}() export, skipped)`);
      continue;
    }
    sections.push([name, await (fn as () => Promise<BenchResult[]>)()]);
  }
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  console.log('time ratio = reference ops/s ÷ this ops/s: 1.50x takes one and a half times as long as the reference, 0.10x is ten times faster');
  for (const [name, results] of sections) printTable(name, results);
}

function printTable(section: string, results: readonly BenchResult[]): void {
  const rows = results.map((r) => [
    r.name,
    formatOps(r.opsPerSec),
    r.ratio === undefined ? '' : `${r.ratio.value.toFixed(2)}x`,
    [r.ratio === undefined ? '' : `vs ${r.ratio.against}`, r.note ?? ''].filter((s) => s !== '').join('; '),
  ]);
  const header = ['benchmark', 'ops/s', 'time ratio', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  console.log(`\n== ${section} ==`);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
}

function formatOps(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
