import { formatPrincipal, KDC_OPTIONS, parsePrincipal } from '../../asn1/index.js';
import { etypeName } from '../../crypto/index.js';
import { filePrincipalEquals } from '../../files/index.js';
import { kdcOptionsFor, requestTgs } from '../../kdc/index.js';
import { systemClock, systemRandom } from '../../util/index.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';
import { ccachePath } from '../tickets/ccache-location.js';
import { ccacheCredential, filePrincipal, findPartialTgt, findTgt } from '../tickets/credential.js';
import { failure, kdcsForRealm, readCcacheFile, sender, tgtFromCredential, writeCcacheFile } from '../tickets/kdc-session.js';

const USAGE = `usage: tgtbridge kvno <spn> [--ccache FILE] [--kdc host[:port]]

Gets a service ticket for <spn> (e.g. cifs/fs1.demo.test) with the TGT in the credential cache
(KRB5CCNAME, else /tmp/krb5cc_<uid>) and adds it to the cache, like MIT kvno.
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('kvno', USAGE, argv, { allowPositionals: true, options: { ccache: { type: 'string' }, kdc: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }, io);
  if (typeof parsed === 'number') return parsed;
  const [spn, ...extra] = parsed.positionals;
  if (spn === undefined || extra.length > 0) {
    io.stderr(USAGE);
    return 2;
  }
  try {
    const path = ccachePath(parsed.values.ccache, io.env);
    const cc = await readCcacheFile(path);
    // A domain TGT first; a partial TGT works too (the DC answers a service request to it directly).
    const found = findTgt(cc) ?? findPartialTgt(cc);
    if (found === undefined) {
      io.stderr(`tgtbridge kvno: no TGT for ${cc.defaultPrincipal.realm} in ${path}; run tgtbridge login or kinit first\n`);
      return 1;
    }
    const tgt = tgtFromCredential(found.credential, found.ticket);
    const target = parsePrincipal(spn, { defaultRealm: found.ticket.realm });
    const srealm = target.realm ?? found.ticket.realm;
    const c = found.credential;
    const res = await requestTgs({
      tgt,
      sname: target.name,
      srealm,
      kdcOptions: kdcOptionsFor(c.ticketFlags, KDC_OPTIONS.forwardable | KDC_OPTIONS.canonicalize),
      till: c.endtime,
      clock: systemClock,
      random: systemRandom,
      send: sender(await kdcsForRealm(found.ticket.realm, parsed.values.kdc, io.env)),
    });
    const credential = ccacheCredential(c.client, res.ticket, res.encPart);
    const server = filePrincipal(res.ticket.sname, res.ticket.realm);
    const others = cc.credentials.filter((x) => x.isConfigEntry || !filePrincipalEquals(x.server, server));
    await writeCcacheFile(path, { ...cc, credentials: [...others, credential] });
    io.stdout(`${formatPrincipal(res.ticket.sname, res.ticket.realm)}: kvno = ${res.ticket.encPart.kvno ?? '-'} (${etypeName(res.ticket.encPart.etype)})\n`);
    return 0;
  } catch (e) {
    return failure('kvno', e, io);
  }
}
