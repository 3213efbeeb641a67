/**
 * Prepares a Samba AD DC lab (scripts/lab/samba-dc.sh) for the probe suite: the RODC object and
 * krbtgt_N made by the directory module's createRodc over LDAPS, three more users put into the
 * account states samba-lab.md lists (must change password, expired, locked out), the keys of
 * krbtgt_N, krbtgt and the DC's cifs service exported with samba-tool, and setup hooks that break the
 * RODC object for the two scenarios that need it. Shared by probe-samba and probe-differential.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectLdap, createRodc, readDomainContext } from '../../src/directory/index.js';
import { decodeKeytab, type KeytabEntry } from '../../src/files/index.js';
import type { ProbeSetup, ProbeUsers, SetupName } from '../../src/harness/index.js';
import { run, type SambaDc } from '../support/lab.js';

const ADMIN_DN = 'CN=Administrator,CN=Users,DC=samba,DC=test';
const DOMAIN_DN = 'DC=samba,DC=test';
export const RODC_NAME = 'TGTBRIDGE';
export const CIFS_SPN = 'cifs/dc1.samba.test';

/** Users the lab gets on top of scripts/lab/samba-users.py's, each allowed, each in one refused state. */
const STATE_USERS = { 'must-change-password': 'frank', expired: 'grace', 'locked-out': 'heidi' } as const;

/**
 * Runs as /usr/bin/python3 against sam.ldb (system session; the DC keeps running). Creates the
 * state users, sets their state with the attributes AD keeps it in, and prints every lab user's
 * objectSid plus Engineering's and Staff's SIDs as JSON.
 *   pwdLastSet = 0          → must change password (MS-ADTS 3.1.1.4.4 / samba-lab.md: 23)
 *   accountExpires in the past → expired (1)
 *   lockoutTime = now, badPwdCount ≥ threshold, with a lockout threshold on the domain → locked out (18)
 */
const STATE_SCRIPT = String.raw`
import json, sys, time
import ldb
from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB
from samba.dcerpc import security
from samba.ndr import ndr_unpack
smbconf, password, users = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
lp = LoadParm(); lp.load(smbconf)
db = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
domain_dn = str(db.domain_dn())
def filetime(unix): return str(int((unix + 11644473600) * 10000000))
def modify(dn, attrs):
    m = ldb.Message(); m.dn = ldb.Dn(db, dn)
    for k, v in attrs.items(): m[k] = ldb.MessageElement(v, ldb.FLAG_MOD_REPLACE, k)
    db.modify(m)
m = ldb.Message(); m.dn = ldb.Dn(db, domain_dn)
m["lockoutThreshold"] = ldb.MessageElement("3", ldb.FLAG_MOD_REPLACE, "lockoutThreshold")
db.modify(m)
for state, name in users.items():
    db.newuser(name, password, useusernameascn=True)
    # DONT_EXPIRE_PASSWD (what setexpiry(no_expiry_req) sets) would make pwdLastSet = 0 moot.
    if state != "must-change-password": db.setexpiry("(sAMAccountName=%s)" % name, 0, no_expiry_req=True)
    db.add_remove_group_members("Allowed RODC Password Replication Group", [name], add_members_operation=True)
    dn = "CN=%s,CN=Users,%s" % (name, domain_dn)
    if state == "must-change-password": modify(dn, {"pwdLastSet": "0"})
    if state == "expired": modify(dn, {"accountExpires": filetime(time.time() - 86400)})
    if state == "locked-out": modify(dn, {"lockoutTime": filetime(time.time()), "badPwdCount": "5"})
out = {}
for r in db.search(domain_dn, scope=ldb.SCOPE_SUBTREE, expression="(|(objectClass=user)(objectClass=group))", attrs=["sAMAccountName", "objectSid"]):
    out[str(r["sAMAccountName"][0])] = str(ndr_unpack(security.dom_sid, r["objectSid"][0]))
print(json.dumps(out))
`;

export interface ProbeLab {
  readonly realm: string;
  readonly domainSid: string;
  readonly rodcNumber: number;
  readonly rodcKeys: readonly KeytabEntry[];
  readonly krbtgtKeys: readonly KeytabEntry[];
  readonly serviceKeys: readonly KeytabEntry[];
  readonly users: ProbeUsers;
  /** sAMAccountName → objectSid for every user and group in the domain. */
  readonly sids: Readonly<Record<string, string>>;
  readonly setups: Readonly<Record<SetupName, ProbeSetup>>;
  /** Milliseconds of each preparation step. */
  readonly timings: Readonly<Record<string, number>>;
}

async function timed<T>(timings: Record<string, number>, step: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    timings[step] = Math.round(performance.now() - t0);
  }
}

export async function prepareProbeLab(lab: SambaDc): Promise<ProbeLab> {
  const timings: Record<string, number> = {};
  const rodcNumber = await timed(timings, 'create-rodc', async () => {
    const fwd = await lab.forward(636);
    const conn = await connectLdap({ url: `ldaps://${fwd.host}:${fwd.port}`, bindDn: ADMIN_DN, password: lab.adminPassword, insecureTls: true });
    try {
      const made = await createRodc(conn, await readDomainContext(conn), { name: RODC_NAME });
      const n = made.object.krbtgt?.secondaryKrbTgtNumber;
      if (n === undefined) throw new Error('createRodc left no krbtgt_N');
      return n;
    } finally {
      await conn.close();
    }
  });

  const sids = await timed(timings, 'users', async () => {
    const r = await lab.exec(['/usr/bin/python3', '-c', STATE_SCRIPT, lab.smbConf, lab.password, JSON.stringify(STATE_USERS)]);
    if (r.code !== 0) throw new Error(`state script failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, string>;
  });

  const keytab = async (principal: string): Promise<KeytabEntry[]> => {
    const path = join(lab.dir, `${principal.replace(/\//g, '_')}.keytab`);
    await lab.exportKeytab(principal, path);
    return [...decodeKeytab(new Uint8Array(readFileSync(path))).entries];
  };
  const [rodcKeys, krbtgtKeys, serviceKeys] = await timed(timings, 'export-keys', () => Promise.all([keytab(`krbtgt_${rodcNumber}`), keytab('krbtgt'), keytab(CIFS_SPN)]));

  const sid = (name: string): string => {
    const v = sids[name];
    if (v === undefined) throw new Error(`no SID for ${name}`);
    return v;
  };
  const domainSid = lab.domainSid;
  const users: ProbeUsers = {
    allowed: { name: 'alice', sid: sid('alice'), groupSids: [`${domainSid}-513`, sid('Engineering'), sid('Staff')] },
    other: { name: 'bob', sid: sid('bob') },
    disabled: { name: 'carol', sid: sid('carol') },
    'never-reveal': { name: 'dave', sid: sid('dave') },
    'not-allowed': { name: 'erin', sid: sid('erin') },
    'must-change-password': { name: STATE_USERS['must-change-password'], sid: sid(STATE_USERS['must-change-password']) },
    expired: { name: STATE_USERS.expired, sid: sid(STATE_USERS.expired) },
    'locked-out': { name: STATE_USERS['locked-out'], sid: sid(STATE_USERS['locked-out']) },
  };

  const rodcDn = `CN=${RODC_NAME},OU=Domain Controllers,${DOMAIN_DN}`;
  const krbtgtDn = `CN=krbtgt_${rodcNumber},CN=Users,${DOMAIN_DN}`;
  const ldbmodify = async (name: string, lines: readonly string[]): Promise<void> => {
    const file = join(lab.dir, `${name}.ldif`);
    writeFileSync(file, [`dn: ${rodcDn}`, 'changetype: modify', ...lines, ''].join('\n'));
    const r = await run('ldbmodify', ['-H', join(lab.dir, 'sam', 'private', 'sam.ldb'), file]);
    if (r.code !== 0) throw new Error(`ldbmodify ${name}: ${r.stderr}`);
  };
  const uac = (value: number) => ['replace: userAccountControl', `userAccountControl: ${value}`];
  const setups: Record<SetupName, ProbeSetup> = {
    // 0x05001000 without PARTIAL_SECRETS_ACCOUNT (0x04000000).
    'rodc-without-partial-secrets': { apply: () => ldbmodify('no-partial-secrets', uac(0x01001000)), revert: () => ldbmodify('partial-secrets', uac(0x05001000)) },
    'rodc-without-krbtgt-link': {
      apply: () => ldbmodify('no-krbtgt-link', ['delete: msDS-KrbTgtLink']),
      revert: () => ldbmodify('krbtgt-link', ['add: msDS-KrbTgtLink', `msDS-KrbTgtLink: ${krbtgtDn}`]),
    },
  };
  return { realm: lab.realm, domainSid, rodcNumber, rodcKeys, krbtgtKeys, serviceKeys, users, sids, setups, timings };
}
