import { credentialView, openBridgeEnvironment, resolvePaths } from '../../bridge/index.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';

const HELP = `usage: tgtbridge passkeys list <user> [--json]
       tgtbridge passkeys revoke <user> <credential-id>      (or --credential=ID; ids may start with '-')
       tgtbridge passkeys revoke <user> --all
  common: [--config FILE] [--data DIR]
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('passkeys', HELP, argv, {
    allowPositionals: true,
    options: { config: { type: 'string' }, data: { type: 'string' }, json: { type: 'boolean' }, all: { type: 'boolean' }, credential: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  }, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [sub, name, positionalId] = positionals;
  const credId = values.credential ?? positionalId;
  const usable = (sub === 'list' && name) || (sub === 'revoke' && name && (credId !== undefined) !== Boolean(values.all));
  if (!usable) {
    io.stderr(HELP);
    return 2;
  }
  const { configPath, dataDir } = resolvePaths(values, io.env, io.cwd);
  const env = await openBridgeEnvironment(configPath, dataDir);
  try {
    const user = await env.findUser(name!);
    const creds = await env.store.listCredentials(user.objectSid);
    if (sub === 'list') {
      const views = creds.map((c) => credentialView(c, env.passkeys.aaguidNames));
      if (values.json) io.stdout(`${JSON.stringify(views, null, 2)}\n`);
      else if (views.length === 0) io.stdout(`${user.sAMAccountName} has no passkeys\n`);
      else {
        for (const v of views) {
          io.stdout(`${v.id}\n  name: ${v.name}\n  type: ${v.type === 'synced' ? 'synced' : 'device-bound'}${v.backedUp ? ' (backed up)' : ''}\n  authenticator: ${v.authenticator ?? 'unknown'} (${v.aaguid})\n  attestation: ${v.attestation}\n  created: ${v.createdAt}\n  last used: ${v.lastUsedAt ?? 'never'}\n`);
        }
      }
      return 0;
    }
    const targets = values.all ? creds : creds.filter((c) => c.id === credId);
    if (targets.length === 0) {
      io.stderr(`tgtbridge passkeys: ${user.sAMAccountName} has no passkey ${credId ?? ''}\n`);
      return 1;
    }
    for (const c of targets) {
      const audit = env.passkeys.audit('credential_deleted', { address: undefined }, { userSid: user.objectSid, credentialId: c.id, detail: { actor: `cli:${io.env['USER'] ?? 'unknown'}` } });
      await env.store.deleteCredential(user.objectSid, c.id, audit);
      io.stdout(`revoked ${c.id} (${c.name})\n`);
    }
    return 0;
  } finally {
    await env.close();
  }
}
