import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'tgtbridge.js');
const CCACHE = join(ROOT, 'krb-fixtures', 'files', 'mit-alice.ccache');

/** The built CLI as a user runs it (scripts/test.sh runs `npm run build` before the tests). */
function tgtbridge(args: readonly string[], input?: Uint8Array): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', cwd: ROOT });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/tgtbridge.js inspect (built)', () => {
  it('is built', () => {
    expect(existsSync(join(ROOT, 'dist', 'src', 'cli', 'commands', 'inspect.js'))).toBe(true);
  });

  it('reads a ccache from a real stdin pipe', () => {
    const r = tgtbridge(['inspect', '-', '--json'], readFileSync(CCACHE));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).ccache.defaultPrincipal).toBe('alice@MIT.TEST');
  });

  it('a missing file: exit 2, one line naming it, no stack trace', () => {
    const r = tgtbridge(['inspect', 'no/such/file.ccache']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('no/such/file.ccache')]);
  });
});
