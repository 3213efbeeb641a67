/**
 * A CLI command: one module under src/cli/commands/, loaded only when invoked so that
 * `tgtbridge --help` stays fast. `run` returns the process exit code:
 * 0 success, 1 "nothing matched / nothing decrypted / refused", 2 unusable input or usage error.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** All of stdin, or, given `maxBytes`, stops reading once more than that has arrived. */
  readonly readStdin: (maxBytes?: number) => Promise<Uint8Array>;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface CommandModule {
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
