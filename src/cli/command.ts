/**
 * A CLI command: one module under src/cli/commands/, loaded only when invoked so that
 * `tgtbridge --help` stays fast. `run` returns the process exit code:
 * 0 success, 1 "nothing matched / nothing decrypted / refused", 2 unusable input or usage error.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<Uint8Array>;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface CommandModule {
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
