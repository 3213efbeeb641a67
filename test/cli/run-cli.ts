import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/index.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `tgtbridge <argv>` in-process with captured output; `stdin` feeds `-`. */
export async function runCli(argv: readonly string[], opts: { stdin?: Uint8Array; cwd?: string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => opts.stdin ?? new Uint8Array(0),
    env: {},
    cwd: opts.cwd ?? process.cwd(),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
