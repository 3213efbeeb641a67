import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliIo } from './command.js';

/** A command's parseArgs settings (its options, whether it takes positionals); `args` comes from argv. */
export type CommandArgsConfig = Omit<ParseArgsConfig, 'args'>;
export type ParsedCommandLine<C extends CommandArgsConfig> = ReturnType<typeof parseArgs<C & { args: string[] }>>;

/**
 * The start every command shares (command.ts's exit codes): parse argv strictly with node:util
 * parseArgs; an unknown or malformed option, or a positional where none is taken, is a usage error —
 * `tgtbridge <command>: <why>` and the usage on stderr, exit 2; `--help` prints the usage, exit 0.
 * Returns the parsed command line, or the exit code the command returns at once. A value that starts
 * with '-' (a credential id, say) must follow `--`, or parseArgs reads it as an option.
 */
export function parseCommandLine<C extends CommandArgsConfig>(command: string, usage: string, argv: readonly string[], config: C, io: CliIo): ParsedCommandLine<C> | number {
  let parsed: ParsedCommandLine<C>;
  try {
    parsed = parseArgs({ ...config, args: [...argv] }) as ParsedCommandLine<C>;
  } catch (e) {
    io.stderr(`tgtbridge ${command}: ${(e as Error).message}\n${usage}`);
    return 2;
  }
  if ((parsed.values as { readonly help?: unknown }).help === true) {
    io.stdout(usage);
    return 0;
  }
  return parsed;
}
