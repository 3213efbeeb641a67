import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/parse-command.js';
import { runCommand } from './cli-io.js';

const USAGE = 'usage: tgtbridge demo [--name N] [ARG]\n';
const OPTIONS = { name: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

/** A command that only parses, as every src/cli/commands module starts. */
function demo(allowPositionals: boolean) {
  return {
    async run(argv: readonly string[], io: Parameters<typeof parseCommandLine>[4]): Promise<number> {
      const parsed = parseCommandLine('demo', USAGE, argv, { allowPositionals, options: OPTIONS }, io);
      if (typeof parsed === 'number') return parsed;
      io.stdout(`name=${parsed.values.name ?? '-'} args=${parsed.positionals.join(',')}`);
      return 0;
    },
  };
}

describe('parseCommandLine', () => {
  it('hands the parsed command line to the command', async () => {
    expect(await runCommand(demo(true), ['--name', 'x', 'a'])).toEqual({ code: 0, stdout: 'name=x args=a', stderr: '' });
  });
  it('--help (or -h) prints the usage on stdout and exits 0, whatever else is there', async () => {
    expect(await runCommand(demo(false), ['--help'])).toEqual({ code: 0, stdout: USAGE, stderr: '' });
    expect(await runCommand(demo(true), ['x', '-h'])).toEqual({ code: 0, stdout: USAGE, stderr: '' });
  });
  it('an unknown option or an unwanted positional is a usage error: exit 2, the command named, the usage on stderr', async () => {
    for (const [allow, argv] of [[true, ['--nope']], [false, ['positional']], [true, ['--name']]] as const) {
      const r = await runCommand(demo(allow), argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.startsWith('tgtbridge demo: ')).toBe(true);
      expect(r.stderr.endsWith(USAGE)).toBe(true);
    }
  });
});
