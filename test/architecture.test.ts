import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN.md's module table: which src/ modules each module may import. util and errors are open to
 * all. A module imports another only through its index.ts (CONVENTIONS.md §10).
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  util: [],
  errors: [],
  asn1: [],
  crypto: [],
  ndr: [],
  pac: ['ndr', 'crypto', 'asn1'],
  ticket: ['asn1', 'crypto', 'ndr', 'pac'],
  files: ['asn1', 'crypto', 'ticket'],
  config: [],
  directory: ['pac', 'config'],
  store: ['files'],
  webauthn: ['store', 'directory', 'config'],
  kdc: ['asn1', 'crypto', 'ndr', 'pac', 'ticket', 'files', 'directory', 'config'],
  harness: ['asn1', 'crypto', 'ndr', 'pac', 'ticket', 'files', 'kdc', 'directory', 'config'],
  bridge: ['asn1', 'crypto', 'ndr', 'pac', 'ticket', 'files', 'kdc', 'directory', 'config', 'store', 'webauthn'],
  cli: ['*'],
};

const SRC = join(import.meta.dirname, '..', 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) out.push(m[1]!);
  return out;
}

describe('module dependencies (DESIGN.md)', () => {
  const files = tsFiles(SRC);

  it('every src/ directory is a known module', () => {
    const modules = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(modules.filter((m) => !(m in ALLOWED))).toEqual([]);
  });

  it('imports point only down the table, through index.ts', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = relative(SRC, file).split('/')[0]!;
      for (const spec of importsOf(file)) {
        const target = relative(SRC, join(file, '..', spec));
        const [to, ...rest] = target.split('/');
        if (to === undefined || to === from || to.startsWith('..')) continue;
        const open = to === 'util' || to === 'errors';
        const allowed = ALLOWED[from] ?? [];
        if (!open && !allowed.includes('*') && !allowed.includes(to)) {
          violations.push(`${relative(SRC, file)} imports ${to}`);
        }
        if (rest.join('/') !== 'index.js') violations.push(`${relative(SRC, file)} bypasses ${to}/index.ts (${spec})`);
      }
    }
    expect(violations).toEqual([]);
  });
});
