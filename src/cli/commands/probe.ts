import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../config/index.js';
import { loadFileDirectory } from '../../directory/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import { decodeKeytab, type KeytabEntry } from '../../files/index.js';
import {
  defaultProbePolicy,
  formatMatrix,
  probeUsersFromDirectory,
  runSuite,
  USER_ROLES,
  type ProbeProgress,
  type ProbeUser,
  type ProbeUsers,
  type UserRole,
} from '../../harness/index.js';
import { parseKdcAddress } from '../../kdc/index.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';

const USAGE = `usage: tgtbridge probe --kdc host[:port] --realm REALM --rodc-keytab FILE (--users FILE | --config FILE)
                      [--krbtgt-keytab FILE] [--service-keytab FILE] [--spn cifs/HOST] [--spn-account NAME$]
                      [--only PATTERN] [--json]

Runs the KDC scenario suite (docs/probe.md) against a KDC: each scenario mints a partial TGT
variant with the krbtgt_N keys of --rodc-keytab, sends a TGS-REQ for krbtgt/REALM and for the
cifs SPN, and compares the answer with what a writable DC answers. Prints the matrix (scenario,
target, expected, got, pass); exit 0 when every scenario that ran passed, 1 otherwise.

  --users FILE          JSON or YAML: role → { name, sid, groupSids? } for the roles
                        ${USER_ROLES.join(', ')};
                        scenarios whose role is missing are skipped ("unknown" is made up)
  --config FILE         instead of --users: take the roles from the tgtbridge config's directory,
                        classified by AD's default RODC policy and account state (--realm
                        defaults to the config's)
  --krbtgt-keytab FILE  the realm's krbtgt keys: open the full TGTs and check their PACs
  --service-keytab FILE the cifs service's keys: open the service tickets and check their PACs
  --spn cifs/HOST       default cifs/<kdc host> when that is a name
  --spn-account NAME$   the sAMAccountName of the account holding the SPN (DC1$), for the scenario
                        that names it so; with --config, taken from the directory
  --only PATTERN        substring of "scenario · target", or /regex/
`;

interface Flags {
  readonly kdc: string;
  readonly realm?: string;
  readonly 'rodc-keytab': string;
  readonly users?: string;
  readonly config?: string;
  readonly 'krbtgt-keytab'?: string;
  readonly 'service-keytab'?: string;
  readonly spn?: string;
  readonly 'spn-account'?: string;
  readonly only?: string;
  readonly json?: boolean;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('probe', USAGE, argv, {
    options: {
      kdc: { type: 'string' }, realm: { type: 'string' }, 'rodc-keytab': { type: 'string' }, 'krbtgt-keytab': { type: 'string' },
      'service-keytab': { type: 'string' }, users: { type: 'string' }, spn: { type: 'string' }, 'spn-account': { type: 'string' }, only: { type: 'string' },
      config: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  }, io);
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const missing = (['kdc', 'rodc-keytab', ...(values.config === undefined ? (['realm', 'users'] as const) : [])] as const).filter((k) => values[k] === undefined);
  if (missing.length > 0) {
    io.stderr(`tgtbridge probe: ${missing.map((m) => `--${m}`).join(', ')} required\n${USAGE}`);
    return 2;
  }
  if (values.users !== undefined && values.config !== undefined) {
    io.stderr(`tgtbridge probe: --users and --config exclude each other\n${USAGE}`);
    return 2;
  }
  try {
    return await probe(values as Flags, io);
  } catch (e) {
    if (e instanceof TgtbridgeError) {
      io.stderr(`tgtbridge probe: ${e.code}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function readKeytab(io: CliIo, path: string): KeytabEntry[] {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(resolve(io.cwd, path)));
  } catch (e) {
    throw new TgtbridgeError('ERR_USAGE', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return [...decodeKeytab(bytes).entries];
}

/** The users file: a map of role → { name, sid, groupSids? }; anything else is refused with the field named. */
export function parseUsersFile(text: string, file: string): ProbeUsers {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    throw new TgtbridgeError('ERR_USAGE', `${file} is neither JSON nor YAML`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new TgtbridgeError('ERR_USAGE', `${file}: expected a map of role → user`);
  const out: Partial<Record<UserRole, ProbeUser>> = {};
  for (const [role, value] of Object.entries(doc)) {
    if (!(USER_ROLES as readonly string[]).includes(role)) throw new TgtbridgeError('ERR_USAGE', `${file}: unknown role ${role} (roles: ${USER_ROLES.join(', ')})`);
    const v = value as { name?: unknown; sid?: unknown; groupSids?: unknown } | null;
    if (v === null || typeof v !== 'object' || typeof v.name !== 'string' || typeof v.sid !== 'string' || !/^S-1-5-21-\d+-\d+-\d+-\d+$/.test(v.sid)) {
      throw new TgtbridgeError('ERR_USAGE', `${file}: ${role} needs name and an account SID (S-1-5-21-a-b-c-RID)`);
    }
    const groups = v.groupSids;
    if (groups !== undefined && (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string'))) {
      throw new TgtbridgeError('ERR_USAGE', `${file}: ${role}.groupSids must be a list of SIDs`);
    }
    out[role as UserRole] = { name: v.name, sid: v.sid, ...(groups !== undefined ? { groupSids: groups as string[] } : {}) };
  }
  return out;
}

/** Roles from --users, or classified from the directory of --config (realm from the config unless --realm). */
async function usersAndRealm(flags: Flags, spn: string, io: CliIo): Promise<{ users: ProbeUsers; realm: string; spnAccount: string | undefined }> {
  if (flags.config !== undefined) {
    const config = loadConfig(resolve(io.cwd, flags.config));
    const directory = loadFileDirectory(config.directory.path, { realm: config.realm, dnsDomain: config.dnsDomain, netbiosName: config.netbiosDomain });
    const users = await probeUsersFromDirectory(directory, defaultProbePolicy(directory.domain.sid), new Date());
    const spnAccount = flags['spn-account'] ?? (await directory.findUserBySpn(spn))?.sAMAccountName;
    return { users, realm: flags.realm ?? config.realm, spnAccount };
  }
  const file = flags.users as string;
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    throw new TgtbridgeError('ERR_USAGE', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return { users: parseUsersFile(text, file), realm: flags.realm as string, spnAccount: flags['spn-account'] };
}

async function probe(flags: Flags, io: CliIo): Promise<number> {
  const kdc = parseKdcAddress(flags.kdc);
  const spn = flags.spn ?? (isIP(kdc.host) === 0 ? `cifs/${kdc.host}` : undefined);
  if (spn === undefined) throw new TgtbridgeError('ERR_USAGE', `--kdc ${kdc.host} is an address: name the cifs SPN with --spn cifs/HOST`);
  const { users, realm, spnAccount } = await usersAndRealm(flags, spn, io);
  const tty = process.stderr.isTTY === true;
  const progress = (p: ProbeProgress): void => {
    if (p.result === undefined) {
      if (tty) io.stderr(`\r\x1b[K[${p.done + 1}/${p.total}] ${p.scenario} · ${p.target}`);
      return;
    }
    if (!tty) io.stderr(`probe [${p.done}/${p.total}] ${p.scenario} · ${p.target}: ${p.result.status}\n`);
    else if (p.done === p.total) io.stderr('\r\x1b[K');
  };
  const t0 = performance.now();
  const results = await runSuite({
    kdc,
    realm,
    rodcKeys: readKeytab(io, flags['rodc-keytab']),
    ...(flags['krbtgt-keytab'] !== undefined ? { krbtgtKeys: readKeytab(io, flags['krbtgt-keytab']) } : {}),
    ...(flags['service-keytab'] !== undefined ? { serviceKeys: readKeytab(io, flags['service-keytab']) } : {}),
    users,
    cifsSpn: spn,
    ...(spnAccount !== undefined ? { cifsAccount: spnAccount } : {}),
    ...(flags.only !== undefined ? { only: flags.only } : {}),
    onProgress: progress,
  });
  const ms = performance.now() - t0;
  if (flags.json === true) {
    io.stdout(`${JSON.stringify({ kdc: `${kdc.host}:${kdc.port}`, realm: realm.toUpperCase(), spn, ms: Math.round(ms), results }, null, 2)}\n`);
  } else {
    io.stdout(formatMatrix(results));
  }
  if (results.length === 0) {
    io.stderr(`tgtbridge probe: no scenario matches ${JSON.stringify(flags.only ?? '')}\n`);
    return 2;
  }
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}
