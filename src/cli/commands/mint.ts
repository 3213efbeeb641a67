import { resolve } from 'node:path';
import { splitKvno, formatPrincipal } from '../../asn1/index.js';
import { etypeName } from '../../crypto/index.js';
import { domainOf } from '../../directory/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import { ccacheToKirbi, encodeCcache, encodeKirbi, writeCredentialFile } from '../../files/index.js';
import {
  checkMintPolicy,
  defaultDeniedGroupSids,
  mintPartialTgt,
  MintRefusedError,
  parseDurationSeconds,
  resolveGroupSids,
  type KeySet,
  type PartialTgtUser,
} from '../../ticket/index.js';
import { systemClock, systemRandom } from '../../util/index.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';
import { ccachePath } from '../tickets/ccache-location.js';
import { ccacheCredential, filePrincipal, singleCredentialCcache } from '../tickets/credential.js';
import { keySetFromExportedKeytab, loadKeySet, openMintingEnvironment } from '../tickets/minting-env.js';

const USAGE = `usage: tgtbridge mint --user <sam> [--sid <objectSid>] [--realm <REALM>] [--keys <keytab>]
                     [--lifetime 10h] [--renew 7d] [--out <ccache> | --kirbi <file>]
                     [--skip-policy] [--config FILE] [--data DIR]

Mints a partial TGT for <sam> straight from the krbtgt_N key set, without a passkey, for KDC
integration testing. SID, UPN and realm come from the directory unless --sid/--realm are given.
The directory's policy (disabled accounts, denied groups) applies unless --skip-policy.
Keys: --keys <keytab> (e.g. from samba-tool domain exportkeytab), else the key set of the data
directory. Output: --out <ccache> (default: KRB5CCNAME, else /tmp/krb5cc_<uid>) or --kirbi <file>.
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('mint', USAGE, argv, {
    options: {
      user: { type: 'string' }, sid: { type: 'string' }, realm: { type: 'string' }, keys: { type: 'string' },
      lifetime: { type: 'string' }, renew: { type: 'string' }, out: { type: 'string' }, kirbi: { type: 'string' },
      'skip-policy': { type: 'boolean' }, config: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  }, io);
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  if (values.user === undefined || (values.out !== undefined && values.kirbi !== undefined)) {
    io.stderr(`tgtbridge mint: ${values.user === undefined ? '--user is required' : '--out and --kirbi exclude each other'}\n${USAGE}`);
    return 2;
  }
  try {
    return await mint(values as Flags, io);
  } catch (e) {
    if (e instanceof MintRefusedError) {
      io.stderr(`tgtbridge mint: refused (${e.code}, ${e.reason}): ${e.message}\n`);
      return 1;
    }
    if (e instanceof TgtbridgeError) {
      io.stderr(`tgtbridge mint: ${e.code}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

interface Flags {
  readonly user: string;
  readonly sid?: string;
  readonly realm?: string;
  readonly keys?: string;
  readonly lifetime?: string;
  readonly renew?: string;
  readonly out?: string;
  readonly kirbi?: string;
  readonly 'skip-policy'?: boolean;
  readonly config?: string;
  readonly data?: string;
}

async function mint(flags: Flags, io: CliIo): Promise<number> {
  const env = openMintingEnvironment(flags, io.env, io.cwd);
  const now = systemClock.now();
  const found = env.directory === undefined ? undefined : await env.directory.findUser(flags.user);
  if (found === undefined && (flags.sid === undefined || flags.realm === undefined)) {
    throw new TgtbridgeError('ERR_USAGE', env.directory === undefined ? 'no config/directory: give --sid and --realm' : `no user ${flags.user} in the directory (or give --sid and --realm)`);
  }
  if (found !== undefined && env.directory !== undefined && flags['skip-policy'] !== true) {
    const domainSid = env.directory.domain.sid;
    const finder = (n: string) => env.directory!.findGroup(n);
    const denied = [...defaultDeniedGroupSids(domainSid), ...(await resolveGroupSids(env.settings.deniedGroups, finder, 'deniedGroups'))];
    const allowed = env.settings.allowedGroups === undefined ? undefined : await resolveGroupSids(env.settings.allowedGroups, finder, 'allowedGroups');
    checkMintPolicy(found, await env.directory.groupSidsOf(found), { deniedGroupSids: denied, ...(allowed !== undefined ? { allowedGroupSids: allowed } : {}) }, now);
  }

  let keys: KeySet;
  if (flags.keys !== undefined) {
    const got = await keySetFromExportedKeytab(resolve(io.cwd, flags.keys));
    for (const s of got.skipped) io.stderr(`skipped ${s.what}: ${s.reason}\n`);
    keys = got.set;
  } else {
    keys = await loadKeySet(env.keySetFile);
  }
  const current = keys.current();
  const realm = (flags.realm ?? env.config?.realm ?? current.realm).toUpperCase();
  if (realm !== current.realm.toUpperCase()) throw new TgtbridgeError('ERR_USAGE', `the key is krbtgt_${current.rodcNumber}@${current.realm}, not of realm ${realm}`);

  const sid = flags.sid ?? found!.objectSid;
  const user: PartialTgtUser = {
    samAccountName: found?.sAMAccountName ?? flags.user,
    sid,
    ...(found?.userPrincipalName ? { upn: found.userPrincipalName } : {}),
    ...(env.config !== undefined ? { dnsDomain: env.config.dnsDomain, netbiosDomain: env.config.netbiosDomain } : {}),
    ...(found?.displayName ? { fullName: found.displayName } : {}),
  };
  if (found === undefined && !sid.startsWith('S-1-')) throw new TgtbridgeError('ERR_USAGE', `--sid ${sid} is not a SID`);
  const lifetimeSec = flags.lifetime === undefined ? env.settings.lifetimeSec : parseDurationSeconds(flags.lifetime, 'lifetime (--lifetime)');
  const renewLifetimeSec = flags.renew === undefined ? Math.max(env.settings.renewLifetimeSec, env.settings.renewLifetimeSec === 0 ? 0 : lifetimeSec) : parseDurationSeconds(flags.renew, 'renewLifetime (--renew)', true);

  const m = mintPartialTgt({
    user,
    realm,
    rodcKey: current,
    lifetimeSec,
    renewLifetimeSec,
    pac: { upnDnsInfo: env.settings.upnDnsInfo, attributesInfo: env.settings.attributesInfo, logonServer: env.settings.logonServer },
    clock: systemClock,
    random: systemRandom,
  });
  const e = m.encTicketPart;
  const cred = ccacheCredential(filePrincipal(e.cname, e.crealm), m.ticket, e);
  const cache = singleCredentialCcache(cred);
  let where: string;
  if (flags.kirbi !== undefined) {
    where = resolve(io.cwd, flags.kirbi);
    await writeCredentialFile(where, encodeKirbi(ccacheToKirbi({ version: 4, ...cache }).value));
  } else {
    where = resolve(io.cwd, ccachePath(flags.out, io.env));
    await writeCredentialFile(where, encodeCcache(cache));
  }
  const { rodcNumber, keyVersion } = splitKvno(m.kvno);
  io.stdout(
    [
      `minted a partial TGT into ${where}${flags.kirbi !== undefined ? ' (.kirbi)' : ''}`,
      `  client:   ${formatPrincipal(e.cname, e.crealm)}  (SID ${sid}${found === undefined ? ', from --sid' : ''})`,
      `  service:  ${formatPrincipal(m.ticket.sname, m.ticket.realm)}`,
      `  kvno:     ${m.kvno} (signed ${m.kvno | 0}) = krbtgt_${rodcNumber} (RODC ${rodcNumber}) key version ${keyVersion}`,
      `  etype:    ${etypeName(m.ticket.encPart.etype)} (ticket), ${etypeName(m.sessionKey.etype)} (session key)`,
      `  authtime: ${e.authtime.toISOString()}`,
      `  endtime:  ${e.endtime.toISOString()}`,
      `  renew:    ${e.renewTill?.toISOString() ?? '-'}`,
      `  domain:   ${domainOf(sid)}`,
      '',
    ].join('\n'),
  );
  return 0;
}
