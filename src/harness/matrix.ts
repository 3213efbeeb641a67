import type { ProbeResult } from './runner.js';

/**
 * The result matrix as text: one row per scenario and target, columns padded to their widest cell,
 * then a count line, then why: each failed row with its detail (the KDC's e-text, the reply check
 * that failed) and each reason rows were skipped for, so a tester sees what to fix or provide
 * without --json (which carries every row's detail).
 */
export function formatMatrix(results: readonly ProbeResult[]): string {
  const header = ['scenario', 'target', 'expected', 'got', 'pass'] as const;
  const rows = results.map((r) => [r.scenario, r.target, r.expected, r.got, r.status === 'skip' ? 'skip' : r.pass ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const count = (status: ProbeResult['status']): number => results.filter((r) => r.status === status).length;
  const failed = results.filter((r) => r.status === 'fail').map((r) => `failed: ${r.scenario} · ${r.target}: ${r.detail || r.got}`);
  const skipReasons = new Map<string, number>();
  for (const r of results) if (r.status === 'skip') skipReasons.set(r.detail, (skipReasons.get(r.detail) ?? 0) + 1);
  const skipped = [...skipReasons].map(([why, n]) => `skipped: ${why} (${n} ${n === 1 ? 'row' : 'rows'})`);
  return [line(header), ...rows.map(line), '', `${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped`, ...failed, ...skipped, ''].join('\n');
}

/** Two runs of the same suite side by side (differential test): rows where the outcomes differ are marked. */
export function formatSideBySide(left: { readonly label: string; readonly results: readonly ProbeResult[] }, right: { readonly label: string; readonly results: readonly ProbeResult[] }): string {
  const key = (r: ProbeResult): string => `${r.scenario}\u0000${r.target}`;
  const other = new Map(right.results.map((r) => [key(r), r]));
  const header = ['scenario', 'target', left.label, right.label, 'same'];
  const rows = left.results.map((l) => {
    const r = other.get(key(l));
    return [l.scenario, l.target, l.got, r?.got ?? '(not run)', r !== undefined && r.got === l.got ? 'yes' : 'NO'];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line), ''].join('\n');
}
