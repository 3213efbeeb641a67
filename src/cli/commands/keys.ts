import { resolve } from 'node:path';
import { etypeName } from '../../crypto/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import { saveKeySet } from '../../kdc/index.js';
import { keySetPrincipal, type KeySet } from '../../ticket/index.js';
import { systemClock, systemRandom } from '../../util/index.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';
import { ioRefusal } from '../io-refusal.js';
import { keySetFromExportedKeytab, loadKeySet, openMintingEnvironment } from '../tickets/minting-env.js';

const USAGE = `usage: tgtbridge keys import <keytab> --principal krbtgt_N
       tgtbridge keys list [--json]
       tgtbridge keys rotate [--rodc-number N --realm REALM]   (first version of an embedded domain)
  common: [--config FILE] [--data DIR]

The key set is <data>/keys/krbtgt-rodc.keytab (mode 0600), or minting.keys of the config.
import copies only the AES256 entries of krbtgt_N (the DC accepts no other) and says why others
are skipped. rotate makes a new random AES256 version current for the embedded domain; the old
one stays usable until tickets under it expire. With a real AD/Samba DC, rotate on the DC
(e.g. samba-tool, or a password reset of krbtgt_N), export the key and import it.
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('keys', USAGE, argv, {
    allowPositionals: true,
    options: {
      principal: { type: 'string' }, 'rodc-number': { type: 'string' }, realm: { type: 'string' },
      json: { type: 'boolean' }, config: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  }, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [sub, file, ...extra] = positionals;
  const ok = (sub === 'import' && file !== undefined && values.principal !== undefined && extra.length === 0) || ((sub === 'list' || sub === 'rotate') && file === undefined);
  if (!ok) {
    io.stderr(USAGE);
    return 2;
  }
  try {
    const env = openMintingEnvironment(values, io.env, io.cwd);
    const set = await loadKeySet(env.keySetFile, { openMode: 'allow' });
    if (sub === 'list') return list(set, values.json === true, io);
    if (sub === 'import') {
      const principal = values.principal!.replace(/^krbtgt_(\d+)(@.*)?$/i, (_m, n: string, r: string | undefined) => `krbtgt_${n}${r ?? ''}`);
      const got = await keySetFromExportedKeytab(resolve(io.cwd, file!), principal);
      for (const s of got.skipped) io.stderr(`skipped ${s.what}: ${s.reason}\n`);
      const now = systemClock.now();
      let next = set;
      // Each version enters the set now: "superseded" times count from when the bridge switched.
      for (const e of got.set.entries) next = next.add({ ...e, created: new Date(Math.floor(now.getTime() / 1000) * 1000) });
      await save(env.keySetFile, next);
      for (const e of got.set.entries) io.stdout(`imported ${keySetPrincipal(e.rodcNumber, e.realm)} version ${e.keyVersion} (kvno ${e.kvno}, ${etypeName(e.key.etype)})\n`);
      io.stdout(`key set: ${env.keySetFile}; current version ${next.current().keyVersion}\n`);
      return 0;
    }
    const now = systemClock.now();
    let first: { rodcNumber: number; realm: string } | undefined;
    if (set.size === 0) {
      const n = Number(values['rodc-number']);
      const realm = values.realm ?? env.config?.realm;
      if (!Number.isInteger(n) || n < 1 || n > 0xffff || realm === undefined) {
        throw new TgtbridgeError('ERR_USAGE', 'the key set is empty: give --rodc-number N (1..65535) and --realm (or a config with realm)');
      }
      first = { rodcNumber: n, realm: realm.toUpperCase() };
    }
    const rotated = set.rotate(now, systemRandom, first).prune(now, env.settings.lifetimeSec, env.settings.renewLifetimeSec);
    await save(env.keySetFile, rotated);
    const c = rotated.current();
    io.stdout(`rotated ${keySetPrincipal(c.rodcNumber, c.realm)}: version ${c.keyVersion} (kvno ${c.kvno}) is current; ${rotated.size - 1} older version(s) kept\n`);
    return 0;
  } catch (e) {
    if (e instanceof TgtbridgeError) {
      io.stderr(`tgtbridge keys: ${e.code}: ${e.message}\n`);
      return e.code === 'ERR_KEY_SET' ? 1 : 2;
    }
    throw e;
  }
}

/** saveKeySet, with a file-system refusal (read-only, no space, no permission) as ERR_IO naming the file (ioRefusal). */
async function save(file: string, set: KeySet): Promise<void> {
  try {
    await saveKeySet(file, set);
  } catch (e) {
    throw ioRefusal(e, `the key set ${file}`);
  }
}

function list(set: KeySet, json: boolean, io: CliIo): number {
  const current = set.size > 0 ? set.current() : undefined;
  const rows = set.entries.map((e) => ({
    principal: keySetPrincipal(e.rodcNumber, e.realm),
    rodcNumber: e.rodcNumber,
    version: e.keyVersion,
    kvno: e.kvno,
    etype: etypeName(e.key.etype),
    created: e.created.toISOString(),
    superseded: set.supersededAt(e)?.toISOString() ?? null,
    current: e === current,
  }));
  if (json) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout('no keys (tgtbridge keys import <keytab> --principal krbtgt_N)\n');
    return 0;
  }
  io.stdout(`${'PRINCIPAL'.padEnd(28)} ${'N'.padStart(5)} ${'VER'.padStart(5)} ${'KVNO'.padStart(11)} ${'ETYPE'.padEnd(24)} ${'CREATED'.padEnd(24)} SUPERSEDED\n`);
  for (const r of rows) {
    io.stdout(`${r.principal.padEnd(28)} ${String(r.rodcNumber).padStart(5)} ${String(r.version).padStart(5)} ${String(r.kvno).padStart(11)} ${r.etype.padEnd(24)} ${r.created.padEnd(24)} ${r.current ? '(current)' : r.superseded}\n`);
  }
  return 0;
}
