import { execFileSync } from 'node:child_process';
import { describe, it } from 'vitest';

/** Is `tool` on PATH (or an absolute path that exists and runs)? */
export function hasTool(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v "$1"`, 'sh', tool], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * A describe block that needs real peers. When one is missing: under CI=true the block fails
 * (a peer test must never pass by not running); elsewhere it is skipped with a loud banner.
 */
export function describeWithPeers(name: string, peers: readonly string[], body: () => void): void {
  const missing = peers.filter((p) => (p === 'root' ? !isRoot() : !hasTool(p)));
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const why = `${name}: missing peer(s) ${missing.join(', ')} (install with scripts/install-peers.sh, run as root)`;
  if (process.env['CI']) {
    describe(name, () => {
      it('has its real peers installed', () => {
        throw new Error(why);
      });
    });
    return;
  }
  process.stderr.write(`\n${'!'.repeat(78)}\n!! PEER TESTS SKIPPED — ${why}\n${'!'.repeat(78)}\n`);
  describe.skip(name, body);
}
