import type { CliIo } from '../../src/cli/index.js';

export interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run one command module's `run` with captured output and the given environment. */
export async function runCommand(
  mod: { run(argv: readonly string[], io: CliIo): Promise<number> },
  argv: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => new Uint8Array(0),
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
  };
  const code = await mod.run(argv, io);
  return { code, stdout, stderr };
}
