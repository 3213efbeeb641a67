import { openBridgeEnvironment, resolvePaths } from '../../bridge/index.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';

const HELP = `usage: tgtbridge users list [--json]
       tgtbridge users show <user> [--json]
  common: [--config FILE] [--data DIR]
`;

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('users', HELP, argv, {
    allowPositionals: true,
    options: { config: { type: 'string' }, data: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  }, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [sub, name] = positionals;
  if ((sub !== 'list' && sub !== 'show') || (sub === 'show' && !name)) {
    io.stderr(HELP);
    return 2;
  }
  const { configPath, dataDir } = resolvePaths(values, io.env, io.cwd);
  const env = await openBridgeEnvironment(configPath, dataDir);
  try {
    if (sub === 'list') {
      const users = await env.directory.listUsers();
      const rows = await Promise.all(users.map(async (u) => ({
        sAMAccountName: u.sAMAccountName, kind: u.kind, enabled: u.enabled, objectSid: u.objectSid, displayName: u.displayName,
        passkeys: (await env.store.listCredentials(u.objectSid)).length,
      })));
      if (values.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      else {
        io.stdout(`${'ACCOUNT'.padEnd(16)} ${'KIND'.padEnd(8)} ${'ENABLED'.padEnd(7)} PASSKEYS  ${'SID'.padEnd(44)} NAME\n`);
        for (const r of rows) io.stdout(`${r.sAMAccountName.padEnd(16)} ${r.kind.padEnd(8)} ${yesNo(r.enabled).padEnd(7)} ${String(r.passkeys).padStart(8)}  ${r.objectSid.padEnd(44)} ${r.displayName}\n`);
      }
      return 0;
    }
    const u = await env.findUser(name!);
    const sids = await env.directory.groupSidsOf(u);
    const groups = await Promise.all(sids.map(async (s) => `${(await env.directory.findGroup(s))?.name ?? '?'} (${s})`));
    const creds = await env.store.listCredentials(u.objectSid);
    const info = {
      sAMAccountName: u.sAMAccountName, userPrincipalName: u.userPrincipalName, objectSid: u.objectSid, displayName: u.displayName,
      kind: u.kind, enabled: u.enabled, lockedOut: u.lockedOut, accountExpires: u.accountExpires?.toISOString() ?? null,
      mustChangePassword: u.mustChangePassword, passwordLastSet: u.passwordLastSet?.toISOString() ?? null,
      primaryGroupId: u.primaryGroupId, groups, servicePrincipalNames: u.servicePrincipalNames, passkeys: creds.length,
    };
    if (values.json) io.stdout(`${JSON.stringify(info, null, 2)}\n`);
    else {
      for (const [k, v] of Object.entries(info)) {
        if (Array.isArray(v)) {
          io.stdout(`${k}:\n`);
          for (const x of v) io.stdout(`  ${x}\n`);
        } else io.stdout(`${k}: ${typeof v === 'boolean' ? yesNo(v) : String(v ?? '-')}\n`);
      }
    }
    return 0;
  } finally {
    await env.close();
  }
}
