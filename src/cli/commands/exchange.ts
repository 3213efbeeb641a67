import { formatPrincipal, KDC_OPTIONS, splitKvno } from '../../asn1/index.js';
import { etypeName } from '../../crypto/index.js';
import { kdcOptionsFor, requestTgs } from '../../kdc/index.js';
import { systemClock, systemRandom, toHex } from '../../util/index.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';
import { ccachePath } from '../tickets/ccache-location.js';
import { ccacheCredential, findPartialTgt, findTgt } from '../tickets/credential.js';
import { failure, kdcsForRealm, readCcacheFile, sender, tgtFromCredential, writeCcacheFile } from '../tickets/kdc-session.js';

const USAGE = `usage: tgtbridge exchange [--ccache FILE] [--kdc host[:port]] [--with-nt-hash]

Exchanges the partial TGT in the credential cache (KRB5CCNAME, else /tmp/krb5cc_<uid>) for a full
TGT at the KDC that krb5.conf (KRB5_CONFIG) names for the realm, or at --kdc: a TGS-REQ for
krbtgt/REALM over UDP with TCP fallback. The full TGT replaces the partial one; other entries stay.
--with-nt-hash also asks the DC for the user's NT hash (KERB-KEY-LIST-REQ) and prints it.
`;

const WARNING = `warning: --with-nt-hash asks the domain controller for this account's NT hash (KERB-KEY-LIST-REQ,
MS-KILE §3.3.5.7.8). It is a password-equivalent secret: anyone who reads it can authenticate as
you over NTLM. Only use it where NTLM is unavoidable, and do not store the output.
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('exchange', USAGE, argv, {
    options: { ccache: { type: 'string' }, kdc: { type: 'string' }, 'with-nt-hash': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  }, io);
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const withNtHash = values['with-nt-hash'] === true;
  if (withNtHash) io.stderr(WARNING);
  try {
    const path = ccachePath(values.ccache, io.env);
    const cc = await readCcacheFile(path);
    const partial = findPartialTgt(cc);
    if (partial === undefined) {
      const full = findTgt(cc);
      io.stderr(`tgtbridge exchange: no partial TGT in ${path}${full !== undefined ? ' (it already holds a TGT of the domain)' : ''}\n`);
      return 1;
    }
    const tgt = tgtFromCredential(partial.credential, partial.ticket);
    const realm = partial.ticket.realm;
    const kdcs = await kdcsForRealm(realm, values.kdc, io.env);
    const c = partial.credential;
    const res = await requestTgs({
      tgt,
      sname: { nameType: partial.ticket.sname.nameType, nameString: ['krbtgt', realm] },
      srealm: realm,
      kdcOptions: kdcOptionsFor(c.ticketFlags, KDC_OPTIONS.forwardable | KDC_OPTIONS.renewable | KDC_OPTIONS.canonicalize),
      till: c.endtime,
      ...(c.renewTill.getTime() > 0 ? { rtime: c.renewTill } : {}),
      keyListRequest: withNtHash,
      clock: systemClock,
      random: systemRandom,
      send: sender(kdcs),
    });
    const credential = ccacheCredential(c.client, res.ticket, res.encPart);
    const credentials = cc.credentials.map((x, i) => (i === partial.index ? credential : x));
    await writeCcacheFile(path, { ...cc, credentials });
    const kvno = res.ticket.encPart.kvno;
    io.stdout(
      [
        `exchanged the partial TGT (RODC ${partial.rodcNumber}) for a TGT of ${realm} in ${path}`,
        `  client:  ${formatPrincipal(tgt.cname, tgt.crealm)}`,
        `  service: ${formatPrincipal(res.ticket.sname, res.ticket.realm)}  kvno ${kvno ?? '-'}${kvno !== undefined && splitKvno(kvno).rodcNumber !== 0 ? ' (still an RODC kvno!)' : ''}`,
        `  etype:   ${etypeName(res.ticket.encPart.etype)} (ticket), ${etypeName(res.sessionKey.etype)} (session key)`,
        `  valid:   ${(res.encPart.starttime ?? res.encPart.authtime).toISOString()} → ${res.encPart.endtime.toISOString()}${res.encPart.renewTill ? `, renew until ${res.encPart.renewTill.toISOString()}` : ''}`,
        '',
      ].join('\n'),
    );
    if (withNtHash) {
      const nt = res.keyList?.find((k) => k.keytype === 23);
      if (nt === undefined) io.stderr('the KDC sent no NT hash (KERB-KEY-LIST-REP absent: the account or the DC does not allow it)\n');
      else io.stdout(`nt-hash: ${toHex(nt.keyvalue)}\n`);
    }
    return 0;
  } catch (e) {
    return failure('exchange', e, io);
  }
}
