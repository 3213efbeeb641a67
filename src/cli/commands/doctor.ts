import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolvePaths } from '../../bridge/index.js';
import { connectLdap } from '../../directory/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import { FILE_INCLUDES, parseKdcAddress, readKrb5Conf, type KdcAddress } from '../../kdc/index.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';
import { checkAd } from '../doctor/ad-check.js';
import { checkConfig, checkDirectory, checkExchange, checkKdc, checkKeys, type Finding, type Loaded } from '../doctor/checks.js';
import { readPassword } from './ad.js';

const HELP = `usage: tgtbridge doctor [--config FILE] [--data DIR] [--kdc host[:port]] [--user NAME] [--json]
                       [--ldap ldaps://HOST --bind-dn DN [--bind-password-file FILE] [--ca-file PEM | --insecure-tls] [--name NAME]]

Checks what the bridge needs and says what is wrong, in words:
  config     the config file, its minting: and kdc: sections, the directory file
  directory  every account's SID under the domain SID; every group the config names exists;
             the RODC password-replication groups; who may get tickets
  keys       the krbtgt_N key set (AES256, RODC number, versions, mode 0600), and for the
             embedded default the realm's krbtgt key and the service keytabs
  kdc        a harmless probe AS-REQ over UDP and TCP to the KDC: --kdc, else <data>/krb5.conf,
             else the config's kdc.listen:kdc.port; any KRB-ERROR answer means it listens
  exchange   with --user: a partial TGT minted for that user and exchanged at the KDC
  ad         with --ldap: the RODC object (tgtbridge ad show's checks) against the key set
Exit 0 when nothing failed (warnings allowed), 1 when something did, 2 on bad usage.
  --name NAME  the RODC computer name without $ (default TGTBRIDGE)
`;

const OPTIONS = {
  config: { type: 'string' },
  data: { type: 'string' },
  kdc: { type: 'string' },
  user: { type: 'string' },
  json: { type: 'boolean' },
  ldap: { type: 'string' },
  'bind-dn': { type: 'string' },
  'bind-password-file': { type: 'string' },
  'ca-file': { type: 'string' },
  'insecure-tls': { type: 'boolean' },
  name: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Where the KDC is, as the person's tools would find it, and in words where that came from. */
function kdcAddresses(l: Loaded, dataDir: string, flag: string | undefined): { kdcs: KdcAddress[]; where: string } {
  if (flag !== undefined) return { kdcs: [parseKdcAddress(flag)], where: '--kdc' };
  const conf = join(dataDir, 'krb5.conf');
  const realm = l.config.realm.toUpperCase();
  if (existsSync(conf)) {
    const kdcs = readKrb5Conf(readFileSync(conf, 'utf8'), conf, FILE_INCLUDES).kdcsFor(realm);
    if (kdcs.length > 0) return { kdcs, where: conf };
  }
  return { kdcs: [{ host: l.kdc.listen, port: l.kdc.port }], where: 'kdc.listen/kdc.port of the config' };
}

const LABEL: Readonly<Record<Finding['status'], string>> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('doctor', HELP, argv, { options: OPTIONS }, io);
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  if ((values.ldap === undefined) !== (values['bind-dn'] === undefined)) {
    io.stderr('tgtbridge doctor: --ldap and --bind-dn go together\n');
    return 2;
  }
  if (values['ca-file'] !== undefined && values['insecure-tls'] === true) {
    io.stderr('tgtbridge doctor: --ca-file and --insecure-tls exclude each other\n');
    return 2;
  }
  const { configPath, dataDir } = resolvePaths(values, io.env, io.cwd);
  const out: Finding[] = [];
  try {
    const loaded = checkConfig(configPath, out);
    if (loaded !== undefined) {
      await checkDirectory(loaded, out);
      await checkKeys(loaded, dataDir, out);
      const { kdcs, where } = kdcAddresses(loaded, dataDir, values.kdc);
      await checkKdc(loaded, kdcs, where, out);
      if (values.user !== undefined) await checkExchange(loaded, dataDir, kdcs, values.user, out);
      else out.push({ check: 'exchange', status: 'skip', text: 'give --user NAME to mint a partial TGT and exchange it at the KDC' });
      if (values.ldap !== undefined && values['bind-dn'] !== undefined) {
        const options = {
          url: values.ldap,
          bindDn: values['bind-dn'],
          password: readPassword(values['bind-password-file'], io),
          ...(values['ca-file'] !== undefined ? { caFile: resolve(io.cwd, values['ca-file']) } : {}),
          ...(values['insecure-tls'] === true ? { insecureTls: true } : {}),
        };
        await checkAd(loaded, dataDir, { url: options.url, bindDn: options.bindDn, connect: () => connectLdap(options) }, values.name ?? 'TGTBRIDGE', out);
      } else {
        out.push({ check: 'ad', status: 'skip', text: 'no --ldap: the RODC object in AD was not checked (not needed for the embedded default)' });
      }
    }
  } catch (e) {
    if (!(e instanceof TgtbridgeError)) throw e;
    if (e.code === 'ERR_USAGE') {
      io.stderr(`tgtbridge doctor: ${e.message}\n`);
      return 2;
    }
    out.push({ check: 'config', status: 'fail', text: `${e.code}: ${e.message}` });
  }
  const failed = out.filter((f) => f.status === 'fail').length;
  if (values.json === true) {
    io.stdout(`${JSON.stringify({ config: configPath, data: dataDir, ok: failed === 0, findings: out }, null, 2)}\n`);
  } else {
    io.stdout(`tgtbridge doctor: ${configPath}, data ${dataDir}\n`);
    for (const f of out) io.stdout(`  ${LABEL[f.status]}  ${f.check.padEnd(9)}  ${f.text}\n`);
    io.stdout(failed === 0 ? 'No problems found.\n' : `${failed} problem${failed === 1 ? '' : 's'} found.\n`);
  }
  return failed === 0 ? 0 : 1;
}
