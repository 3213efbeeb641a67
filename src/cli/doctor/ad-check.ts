import { checkRodcObject, readDomainContext, readRodcObject, type LdapConnection } from '../../directory/index.js';
import { loadKeySet, keySetPath } from '../../kdc/index.js';
import type { Finding, Loaded } from './checks.js';

/**
 * For an AD / Samba AD setup (DESIGN.md "Key material"): the RODC-style computer object as
 * `tgtbridge ad show` reads it, checkRodcObject's warnings, and whether the bridge's key set is
 * for the same krbtgt_N (RODC number and key version) and the directory for the same domain.
 */
export interface AdTarget {
  /** ldaps://… and the bind DN, for the messages. */
  readonly url: string;
  readonly bindDn: string;
  /** Opens and binds the connection (connectLdap; a scripted directory in tests). */
  readonly connect: () => Promise<LdapConnection>;
}

export async function checkAd(l: Loaded, dataDir: string, ldap: AdTarget, name: string, out: Finding[]): Promise<void> {
  let conn: LdapConnection;
  try {
    conn = await ldap.connect();
  } catch (e) {
    out.push({ check: 'ad', status: 'fail', text: `cannot bind to ${ldap.url} as ${ldap.bindDn}: ${(e as Error).message}` });
    return;
  }
  try {
    const domain = await readDomainContext(conn);
    if (domain.domainSid !== l.directory.domain.sid) {
      out.push({ check: 'ad', status: 'fail', text: `the DC's domain SID is ${domain.domainSid}, the bridge's directory says ${l.directory.domain.sid}` });
    }
    const object = await readRodcObject(conn, domain, name);
    if (object === undefined) {
      out.push({ check: 'ad', status: 'fail', text: `no computer ${name}$ in ${domain.domainDn}: create it with tgtbridge ad create-rodc` });
      return;
    }
    const warnings = checkRodcObject(object);
    for (const w of warnings) out.push({ check: 'ad', status: 'fail', text: `${object.dn}: ${w.message} (${w.code})` });
    const n = object.krbtgt?.secondaryKrbTgtNumber;
    const v = object.krbtgt?.keyVersionNumber;
    const set = await loadKeySet(keySetPath(dataDir, l.minting.keysDir), { openMode: 'allow' });
    if (set.size === 0) return;
    const cur = set.current();
    if (n !== undefined && n !== cur.rodcNumber) {
      out.push({ check: 'ad', status: 'fail', text: `the DC's ${object.krbtgt?.sAMAccountName ?? 'krbtgt_N'} has RODC number ${n}, the bridge mints with krbtgt_${cur.rodcNumber}: export and import the DC's key (tgtbridge keys import)` });
    } else if (v !== undefined && v !== cur.keyVersion) {
      out.push({ check: 'ad', status: 'fail', text: `the DC's krbtgt_${n ?? cur.rodcNumber} is at key version ${v}, the bridge mints with version ${cur.keyVersion}: the DC refuses tickets of a version it no longer has (re-export the key after a reset)` });
    } else if (warnings.length === 0) {
      out.push({ check: 'ad', status: 'ok', text: `${object.dn}: RODC number ${n ?? '?'}, key version ${v ?? '?'}, matches the bridge's key set; password-replication groups in place` });
    }
  } catch (e) {
    out.push({ check: 'ad', status: 'fail', text: `reading the RODC object over ${ldap.url}: ${(e as Error).message}` });
  } finally {
    await conn.close();
  }
}
