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
/** The account that holds CIFS_SPN: the DC's computer account. */
export const CIFS_ACCOUNT = 'DC1$';

/**
 * Users the lab gets on top of scripts/lab/samba-users.py's, each allowed, each in one account
 * state: three refused, and ivan whose accountExpires is 2 h ahead (inside the suite's 10 h TGT).
 */
const STATE_USERS = { 'must-change-password': 'frank', expired: 'grace', 'locked-out': 'heidi', 'expires-soon': 'ivan' } as const;

/**
 * Runs as /usr/bin/python3 against sam.ldb (system session; the DC keeps running). Creates the
 * state users, sets their state with the attributes AD keeps it in, and prints every lab user's
 * objectSid plus Engineering's and Staff's SIDs as JSON.
 *   pwdLastSet = 0          → must change password (samba-lab.md: 23)
 *   accountExpires in the past → expired (1)
 *   accountExpires = now + 2 h → expires soon (issued, times not cut)
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
    if state == "expires-soon": modify(dn, {"accountExpires": filetime(int(time.time()) + 7200)})
    if state == "locked-out": modify(dn, {"lockoutTime": filetime(time.time()), "badPwdCount": "5"})
out = {}
for r in db.search(domain_dn, scope=ldb.SCOPE_SUBTREE, expression="(|(objectClass=user)(objectClass=group))", attrs=["sAMAccountName", "objectSid"]):
    out[str(r["sAMAccountName"][0])] = str(ndr_unpack(security.dom_sid, r["objectSid"][0]))
print(json.dumps(out))
`;

/**
 * Prints the lab's directory as a tgtbridge directory file (src/directory/file-directory.ts format,
 * as JSON): every group of the domain and BUILTIN with its nested groups, and the lab's accounts
 * (the test users, Administrator, the DC's computer account with its SPNs) with the states the KDC
 * reads — enabled (UAC ACCOUNTDISABLE), locked out and password expired (msDS-User-Account-Control-
 * Computed UF_LOCKOUT 0x10 / UF_PASSWORD_EXPIRED 0x800000), accountExpires, direct memberships,
 * and SPNs with the forest's sPNMappings aliases spelled out (the file directory has no such mapping).
 */
const DIRECTORY_SCRIPT = String.raw`
import json, sys
import ldb
from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB
from samba.dcerpc import security
from samba.ndr import ndr_unpack
smbconf, accounts = sys.argv[1], json.loads(sys.argv[2])
lp = LoadParm(); lp.load(smbconf)
db = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
base = str(db.domain_dn())
def sid(r): return str(ndr_unpack(security.dom_sid, r["objectSid"][0]))
def iso(ft):
    import datetime
    return (datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(microseconds=ft // 10)).isoformat()
groups = {}
for r in db.search(base, scope=ldb.SCOPE_SUBTREE, expression="(objectClass=group)", attrs=["sAMAccountName", "objectSid", "groupType", "memberOf"]):
    s, gt = sid(r), int(r["groupType"][0]) & 0xffffffff
    scope = "builtin" if s.startswith("S-1-5-32-") else "domainLocal" if gt & 4 else "universal" if gt & 8 else "global"
    groups[str(r.dn).lower()] = {"name": str(r["sAMAccountName"][0]), "sid": s, "scope": scope, "memberOf": [str(x).lower() for x in r.get("memberOf", [])]}
out_groups = [{"name": g["name"], "sid": g["sid"], "scope": g["scope"], "members": []} for g in groups.values()]
by_dn = {dn: og for dn, og in zip(groups.keys(), out_groups)}
for dn, g in groups.items():
    for parent in g["memberOf"]:
        if parent in by_dn: by_dn[parent]["members"].append(g["name"])
# AD answers for cifs/X with the account holding HOST/X: the forest's sPNMappings
# (CN=Directory Service,CN=Windows NT,CN=Services,<config>; "host=alerter,...,cifs,...") make host an
# alias of each listed service (the sPNMappings attribute in MS-ADTS). The directory copy lists the effective SPNs.
aliases = {}
ds = db.search("CN=Directory Service,CN=Windows NT,CN=Services," + str(db.get_config_basedn()), scope=ldb.SCOPE_BASE, attrs=["sPNMappings"])
for m in ds[0].get("sPNMappings", []):
    target, _, names = str(m).partition("=")
    aliases[target.lower()] = [n.strip() for n in names.split(",") if n.strip()]
def effective(spns):
    out = list(spns)
    for spn in spns:
        service, _, rest = spn.partition("/")
        out += ["%s/%s" % (a, rest) for a in aliases.get(service.lower(), [])]
    return out
users = []
attrs = ["sAMAccountName", "objectSid", "userAccountControl", "msDS-User-Account-Control-Computed", "accountExpires", "memberOf", "servicePrincipalName", "primaryGroupID"]
for name in accounts:
    r = db.search(base, scope=ldb.SCOPE_SUBTREE, expression="(sAMAccountName=%s)" % ldb.binary_encode(name), attrs=attrs)[0]
    uac, computed = int(r["userAccountControl"][0]), int(r["msDS-User-Account-Control-Computed"][0])
    exp = int(r["accountExpires"][0]) if "accountExpires" in r else 0
    u = {"sAMAccountName": name, "sid": sid(r), "enabled": not (uac & 2), "lockedOut": bool(computed & 0x10),
         "mustChangePassword": bool(computed & 0x800000), "primaryGroup": int(r["primaryGroupID"][0]),
         "groups": [groups[str(x).lower()]["name"] for x in r.get("memberOf", []) if str(x).lower() in groups],
         "spns": effective([str(x) for x in r.get("servicePrincipalName", [])])}
    if name.endswith("$"): u["kind"] = "computer"
    if 0 < exp < 0x7fffffffffffffff: u["accountExpires"] = iso(exp)
    users.append(u)
domain_sid = str(db.get_domain_sid())
print(json.dumps({"domain": {"sid": domain_sid}, "groups": out_groups, "users": users}))
`;

/** The lab's accounts the directory copy holds (test users, Administrator, the DC with its cifs SPN). */
const DIRECTORY_ACCOUNTS = ['Administrator', 'DC1$', 'alice', 'bob', 'carol', 'dave', 'erin', ...Object.values(STATE_USERS)];

/** The lab's users, groups and account states as a tgtbridge directory document (parseFileDirectory's input). */
export async function exportDirectory(lab: SambaDc): Promise<unknown> {
  const r = await lab.exec(['/usr/bin/python3', '-c', DIRECTORY_SCRIPT, lab.smbConf, JSON.stringify(DIRECTORY_ACCOUNTS)]);
  if (r.code !== 0) throw new Error(`directory export failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

export interface ProbeLab {
  readonly realm: string;
  readonly domainSid: string;
  readonly rodcNumber: number;
  readonly rodcKeys: readonly KeytabEntry[];
  readonly krbtgtKeys: readonly KeytabEntry[];
  readonly serviceKeys: readonly KeytabEntry[];
  /** The exported keytab files (for `tgtbridge probe`). */
  readonly keytabFiles: { readonly rodc: string; readonly krbtgt: string; readonly service: string };
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

  const keytabPath = (principal: string): string => join(lab.dir, `${principal.replace(/\//g, '_')}.keytab`);
  const keytab = async (principal: string): Promise<KeytabEntry[]> => {
    const path = keytabPath(principal);
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
    'expires-soon': { name: STATE_USERS['expires-soon'], sid: sid(STATE_USERS['expires-soon']) },
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
  const keytabFiles = { rodc: keytabPath(`krbtgt_${rodcNumber}`), krbtgt: keytabPath('krbtgt'), service: keytabPath(CIFS_SPN) };
  return { realm: lab.realm, domainSid, rodcNumber, rodcKeys, krbtgtKeys, serviceKeys, keytabFiles, users, sids, setups, timings };
}
