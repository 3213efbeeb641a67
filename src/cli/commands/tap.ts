import { parseDuration } from '../../config/index.js';
import { openBridgeEnvironment, resolvePaths } from '../../bridge/index.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';

const HELP = `usage: tgtbridge tap issue <user> [--ttl 1h] [--uses 1] [--config FILE] [--data DIR]

Issue a temporary access pass so <user> can register a first passkey. The pass is printed once;
only its keyed hash is stored.
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('tap', HELP, argv, {
    allowPositionals: true,
    options: { config: { type: 'string' }, data: { type: 'string' }, ttl: { type: 'string' }, uses: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  }, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [sub, name] = positionals;
  if (sub !== 'issue' || !name) {
    io.stderr(HELP);
    return 2;
  }
  const ttl = values.ttl === undefined ? undefined : parseDuration(values.ttl);
  const uses = values.uses === undefined ? undefined : Number(values.uses);
  if ((values.ttl !== undefined && ttl === undefined) || (uses !== undefined && !Number.isInteger(uses))) {
    io.stderr('tgtbridge tap: --ttl is a duration like 30m, 1h, 2d; --uses a whole number\n');
    return 2;
  }
  const { configPath, dataDir } = resolvePaths(values, io.env, io.cwd);
  const env = await openBridgeEnvironment(configPath, dataDir);
  try {
    const user = await env.findUser(name);
    if (!user.enabled) {
      io.stderr(`tgtbridge tap: ${user.sAMAccountName} is disabled\n`);
      return 1;
    }
    let issued;
    try {
      issued = await env.taps.issue(user, ttl, uses, `cli:${io.env['USER'] ?? 'unknown'}`);
    } catch (e) {
      if (e instanceof RangeError) {
        io.stderr(`tgtbridge tap: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
    io.stdout(`Temporary access pass for ${user.userPrincipalName}:\n\n    ${issued.code}\n\nValid until ${issued.expiresAt.toISOString()} for ${issued.uses} use(s). Redeem it at ${env.config.bridge.origin}/tap\nIt is shown only now.\n`);
    return 0;
  } finally {
    await env.close();
  }
}
