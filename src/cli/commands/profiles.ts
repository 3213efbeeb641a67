import { openBridgeEnvironment, resolvePaths } from '../../bridge/index.js';
import { explainProfiles } from '../../webauthn/index.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';

const HELP = `usage: tgtbridge profiles explain <user> [--credential ID] [--json] [--config FILE] [--data DIR]

Print which passkey profiles apply to <user>, their rules, and for each registered passkey
whether a sign-in would be admitted now and by which profile, or why it is refused.
Exit 0 when every passkey shown is admitted, 1 when any is refused or the user is excluded.
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('profiles', HELP, argv, {
    allowPositionals: true,
    options: { config: { type: 'string' }, data: { type: 'string' }, credential: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  }, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [sub, name] = positionals;
  if (sub !== 'explain' || !name) {
    io.stderr(HELP);
    return 2;
  }
  const { configPath, dataDir } = resolvePaths(values, io.env, io.cwd);
  const env = await openBridgeEnvironment(configPath, dataDir);
  try {
    const user = await env.findUser(name);
    const ex = await explainProfiles(env.passkeys, user, values.credential);
    if (values.credential !== undefined && ex.credentials.length === 0) {
      io.stderr(`tgtbridge profiles: ${user.sAMAccountName} has no passkey ${values.credential}\n`);
      return 1;
    }
    const refused = ex.excluded || ex.credentials.some((c) => !c.decision.admitted);
    if (values.json) {
      io.stdout(`${JSON.stringify({
        user: user.sAMAccountName, excluded: ex.excluded, applicable: ex.applicable,
        credentials: ex.credentials.map((c) => ({ id: c.credential.id, name: c.credential.name, ...c.decision })),
      }, null, 2)}\n`);
      return refused ? 1 : 0;
    }
    io.stdout(`${user.sAMAccountName} (${user.objectSid})\n`);
    if (ex.excluded) {
      io.stdout('  excluded: a member of a group in passkeys.excludeGroups; no passkey can be used (exclusion beats every profile)\n');
      return 1;
    }
    io.stdout(`  applicable profiles: ${ex.applicable.join(', ')}\n`);
    for (const p of env.config.passkeys.profiles.filter((x) => ex.applicable.includes(x.name))) {
      const aaguid = p.aaguid.mode === 'any' ? 'any authenticator' : `${p.aaguid.mode} ${p.aaguid.aaguids.join(', ')}`;
      io.stdout(`  profile ${p.name}: types ${p.types.join('+')}; attestation ${p.attestation}; AAGUID ${aaguid}; user verification ${p.userVerification}\n`);
    }
    if (ex.credentials.length === 0) io.stdout('  no passkeys registered\n');
    for (const c of ex.credentials) {
      const kind = c.credential.backupEligible ? 'synced' : 'device-bound';
      io.stdout(`  passkey ${c.credential.id} "${c.credential.name}" (${kind}, AAGUID ${c.credential.aaguid}):\n`);
      if (c.decision.admitted) io.stdout(`    admitted by profile ${c.decision.profile}\n`);
      for (const r of c.decision.reasons) io.stdout(`    refused by ${r.profile ?? 'policy'}: ${r.code} — ${r.detail}\n`);
    }
    return refused ? 1 : 0;
  } finally {
    await env.close();
  }
}
