import { COMMANDS, loadCommand } from './commands-table.js';
import type { CliIo } from './command.js';
import { TgtbridgeError } from '../errors/index.js';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'tgtbridge: passkey sign-in to on-prem Kerberos',
    '',
    'usage: tgtbridge <command> [options]   (tgtbridge <command> --help for its options)',
    '',
    'commands:',
    ...lines,
    '',
  ].join('\n');
}

/** The stream's bytes, up to the first chunk that takes them past `maxBytes` (then it stops reading). */
export async function readStream(stream: NodeJS.ReadableStream, maxBytes = Infinity): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    chunks.push(b);
    length += b.length;
    if (length > maxBytes) break;
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export const processIo: CliIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  readStdin: (maxBytes) => readStream(process.stdin, maxBytes),
  env: process.env,
  cwd: process.cwd(),
};

/** Entry point; returns the exit code. Known errors print one line, never a stack trace. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.stdout('tgtbridge 0.1.0\n');
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`tgtbridge: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  try {
    const mod = await loadCommand(entry.name);
    return await mod.run(rest, io);
  } catch (e) {
    if (e instanceof TgtbridgeError) {
      io.stderr(`tgtbridge ${name}: ${e.message}\n`);
      return e.code === 'ERR_USAGE' || e.code === 'ERR_IO' ? 2 : 1;
    }
    if (isMissingModule(e)) {
      io.stderr(`tgtbridge ${name}: this command is not part of this build yet\n`);
      return 2;
    }
    throw e;
  }
}

function isMissingModule(e: unknown): boolean {
  return e instanceof Error && 'code' in e && e.code === 'ERR_MODULE_NOT_FOUND' && /commands\//.test(e.message);
}
