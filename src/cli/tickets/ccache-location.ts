import { TgtbridgeError } from '../../errors/index.js';

/**
 * The ccache file to use, as MIT resolves it for FILE caches: an explicit `--ccache`, else
 * KRB5CCNAME, else the default `/tmp/krb5cc_<uid>` (MIT's DEFCCNAME). A `FILE:` prefix is
 * stripped; other cache types (KEYRING:, KCM:, DIR:, MEMORY:, API:) are refused because
 * smbclient and mount.cifs are pointed at a file here.
 */
export function ccachePath(flag: string | undefined, env: NodeJS.ProcessEnv, uid: number = process.getuid?.() ?? 0): string {
  const spec = flag ?? env['KRB5CCNAME'];
  if (spec === undefined || spec === '') return `/tmp/krb5cc_${uid}`;
  const m = /^([A-Za-z]+):(.*)$/.exec(spec);
  if (m === null) return spec;
  if (m[1]!.toUpperCase() === 'FILE') return m[2]!;
  throw new TgtbridgeError('ERR_USAGE', `credential cache type ${m[1]}: is not supported; use a FILE: cache (e.g. KRB5CCNAME=FILE:/tmp/krb5cc_${uid})`);
}
