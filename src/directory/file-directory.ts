import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'yaml';
import { ConfigNode } from '../config/index.js';
import { TgtbridgeError } from '../errors/index.js';
import { BUILTIN_SIDS, WELL_KNOWN_RIDS, isSidString } from './sid.js';
import { ACCOUNT_KINDS, GROUP_SCOPES, type Directory, type DirectoryGroup, type DirectoryUser, type DomainInfo, type GroupScope } from './types.js';

interface GroupSeed {
  readonly name: string;
  readonly sid: (domainSid: string) => string;
  readonly scope: GroupScope;
  /** Default members, by group name, as a fresh AD domain has them (MS-ADTS §6.1.1.6). */
  readonly members: readonly string[];
}

const d = (rid: number) => (domainSid: string) => `${domainSid}-${rid}`;
const b = (sid: string) => () => sid;

/** Groups every AD domain has; the file may add members or override descriptions, not SIDs. */
const BUILT_IN_GROUPS: readonly GroupSeed[] = [
  { name: 'Domain Admins', sid: d(WELL_KNOWN_RIDS.domainAdmins), scope: 'global', members: [] },
  { name: 'Domain Users', sid: d(WELL_KNOWN_RIDS.domainUsers), scope: 'global', members: [] },
  { name: 'Domain Computers', sid: d(WELL_KNOWN_RIDS.domainComputers), scope: 'global', members: [] },
  { name: 'Domain Controllers', sid: d(WELL_KNOWN_RIDS.domainControllers), scope: 'global', members: [] },
  { name: 'Cert Publishers', sid: d(WELL_KNOWN_RIDS.certPublishers), scope: 'domainLocal', members: [] },
  { name: 'Schema Admins', sid: d(WELL_KNOWN_RIDS.schemaAdmins), scope: 'universal', members: [] },
  { name: 'Enterprise Admins', sid: d(WELL_KNOWN_RIDS.enterpriseAdmins), scope: 'universal', members: [] },
  { name: 'Group Policy Creator Owners', sid: d(WELL_KNOWN_RIDS.groupPolicyCreatorOwners), scope: 'global', members: [] },
  { name: 'Read-only Domain Controllers', sid: d(WELL_KNOWN_RIDS.readOnlyDomainControllers), scope: 'global', members: [] },
  { name: 'Allowed RODC Password Replication Group', sid: d(WELL_KNOWN_RIDS.allowedRodcPasswordReplicationGroup), scope: 'domainLocal', members: [] },
  {
    // MS-ADTS §6.1.1.6.13: the privileged groups a new domain puts in the never-reveal group.
    name: 'Denied RODC Password Replication Group',
    sid: d(WELL_KNOWN_RIDS.deniedRodcPasswordReplicationGroup),
    scope: 'domainLocal',
    members: ['Cert Publishers', 'Domain Admins', 'Domain Controllers', 'Enterprise Admins',
      'Group Policy Creator Owners', 'Read-only Domain Controllers', 'Schema Admins'],
  },
  { name: 'Administrators', sid: b(BUILTIN_SIDS.administrators), scope: 'builtin', members: ['Domain Admins', 'Enterprise Admins'] },
  { name: 'Users', sid: b(BUILTIN_SIDS.users), scope: 'builtin', members: ['Domain Users'] },
  { name: 'Account Operators', sid: b(BUILTIN_SIDS.accountOperators), scope: 'builtin', members: [] },
  { name: 'Server Operators', sid: b(BUILTIN_SIDS.serverOperators), scope: 'builtin', members: [] },
  { name: 'Print Operators', sid: b(BUILTIN_SIDS.printOperators), scope: 'builtin', members: [] },
  { name: 'Backup Operators', sid: b(BUILTIN_SIDS.backupOperators), scope: 'builtin', members: [] },
];

export interface FileDirectoryDomain {
  readonly realm: string;
  readonly dnsDomain: string;
  readonly netbiosName: string;
}

/** Load config/directory.yaml. Realm and domain names come from the main config. */
export function loadFileDirectory(path: string, domain: FileDirectoryDomain): Directory {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new TgtbridgeError('ERR_DIRECTORY', `${path}: cannot read or parse: ${(e as Error).message.split('\n')[0]}`);
  }
  return parseFileDirectory(doc, basename(path), domain);
}

/**
 * Directory file format:
 * `domain: {sid}`; `groups: [{name, rid|sid, scope?, description?, members?: [names]}]`;
 * `users: [{sAMAccountName, rid|sid, kind?, upn?, displayName?, enabled?, lockedOut?, accountExpires?,
 * mustChangePassword?, passwordLastSet?, primaryGroup?, groups?: [names], spns?: [...]}]`.
 * Memberships may be written on either side; a name refers to a user or a group.
 */
export function parseFileDirectory(doc: unknown, file: string, names: FileDirectoryDomain): Directory {
  const root = new ConfigNode(file, '', doc).onlyKeys(['domain', 'users', 'groups']);
  const domNode = root.child('domain').onlyKeys(['sid']);
  const domainSid = sidOf(domNode.child('sid'));
  const domain: DomainInfo = { realm: names.realm, dnsDomain: names.dnsDomain, netbiosName: names.netbiosName, sid: domainSid };

  const groups = new Map<string, { name: string; objectSid: string; scope: GroupScope; description: string; memberNames: string[] }>();
  for (const g of BUILT_IN_GROUPS) {
    groups.set(g.name.toLowerCase(), { name: g.name, objectSid: g.sid(domainSid), scope: g.scope, description: '', memberNames: [...g.members] });
  }
  for (const n of root.child('groups').list()) {
    n.onlyKeys(['name', 'rid', 'sid', 'scope', 'description', 'members']);
    const name = n.child('name').string();
    const known = groups.get(name.toLowerCase());
    const objectSid = known?.objectSid ?? ridOrSid(n, domainSid);
    const g = known ?? { name, objectSid, scope: n.child('scope').oneOf(GROUP_SCOPES, 'global'), description: '', memberNames: [] };
    if (n.child('description').present) g.description = n.child('description').string();
    g.memberNames.push(...n.child('members').stringList());
    groups.set(name.toLowerCase(), g);
  }

  const users: DirectoryUser[] = [];
  const userGroupNames = new Map<string, string[]>();
  for (const n of root.child('users').list()) {
    n.onlyKeys(['sAMAccountName', 'rid', 'sid', 'kind', 'upn', 'displayName', 'enabled', 'lockedOut', 'accountExpires',
      'mustChangePassword', 'passwordLastSet', 'primaryGroup', 'groups', 'spns']);
    const sam = n.child('sAMAccountName').string();
    if (!/^[^"/\\[\]:;|=,+*?<>@]{1,20}$/.test(sam)) n.child('sAMAccountName').fail('not a valid sAMAccountName (MS-ADTS §3.1.1.5.2.5)');
    const kind = n.child('kind').oneOf(ACCOUNT_KINDS, sam.endsWith('$') ? 'computer' : 'user');
    users.push({
      kind,
      sAMAccountName: sam,
      userPrincipalName: n.child('upn').string(`${sam.replace(/\$$/, '')}@${names.dnsDomain}`),
      objectSid: ridOrSid(n, domainSid),
      displayName: n.child('displayName').string(sam),
      enabled: n.child('enabled').bool(true),
      lockedOut: n.child('lockedOut').bool(false),
      accountExpires: optionalDate(n.child('accountExpires')),
      mustChangePassword: n.child('mustChangePassword').bool(false),
      passwordLastSet: optionalDate(n.child('passwordLastSet')),
      primaryGroupId: n.child('primaryGroup').int(1, 0xffff_ffff, kind === 'computer' ? WELL_KNOWN_RIDS.domainComputers : WELL_KNOWN_RIDS.domainUsers),
      memberOf: [],
      servicePrincipalNames: n.child('spns').stringList(),
    });
    userGroupNames.set(sam.toLowerCase(), n.child('groups').stringList().map((g, i) => {
      if (!groups.has(g.toLowerCase())) n.child('groups').list()[i]!.fail(`no group named ${g}`);
      return g;
    }));
  }
  return buildIndex(root, domain, users, groups, userGroupNames);
}

function buildIndex(
  root: ConfigNode,
  domain: DomainInfo,
  rawUsers: DirectoryUser[],
  rawGroups: Map<string, { name: string; objectSid: string; scope: GroupScope; description: string; memberNames: string[] }>,
  userGroupNames: Map<string, string[]>,
): Directory {
  const sidByName = new Map<string, string>();
  const seenSids = new Set<string>();
  for (const x of [...rawUsers.map((u) => ({ n: u.sAMAccountName, s: u.objectSid })), ...[...rawGroups.values()].map((g) => ({ n: g.name, s: g.objectSid }))]) {
    if (sidByName.has(x.n.toLowerCase())) root.fail(`the name ${x.n} is used twice`);
    if (seenSids.has(x.s)) root.fail(`the SID ${x.s} is used twice (${x.n})`);
    sidByName.set(x.n.toLowerCase(), x.s);
    seenSids.add(x.s);
  }
  const members = new Map<string, Set<string>>();
  for (const g of rawGroups.values()) {
    const set = new Set<string>();
    for (const m of g.memberNames) {
      const sid = sidByName.get(m.toLowerCase()) ?? root.fail(`group ${g.name}: no user or group named ${m}`);
      set.add(sid);
    }
    members.set(g.objectSid, set);
  }
  for (const u of rawUsers) {
    for (const g of userGroupNames.get(u.sAMAccountName.toLowerCase()) ?? []) members.get(sidByName.get(g.toLowerCase())!)!.add(u.objectSid);
  }
  const parents = new Map<string, string[]>();
  for (const [groupSid, set] of members) for (const m of set) parents.set(m, [...(parents.get(m) ?? []), groupSid]);
  const users = rawUsers.map((u) => ({ ...u, memberOf: [...(parents.get(u.objectSid) ?? [])].sort() }));
  const groups: DirectoryGroup[] = [...rawGroups.values()].map((g) => ({
    name: g.name, objectSid: g.objectSid, scope: g.scope, description: g.description, members: [...members.get(g.objectSid)!].sort(),
  }));
  return new InMemoryDirectory(domain, users, groups, parents);
}

/** The resolved, immutable directory the file source builds. */
class InMemoryDirectory implements Directory {
  private readonly usersByKey = new Map<string, DirectoryUser>();
  private readonly usersBySpn = new Map<string, DirectoryUser>();
  private readonly groupsByKey = new Map<string, DirectoryGroup>();

  constructor(
    readonly domain: DomainInfo,
    private readonly users: readonly DirectoryUser[],
    private readonly groups: readonly DirectoryGroup[],
    private readonly parents: ReadonlyMap<string, readonly string[]>,
  ) {
    for (const u of users) {
      for (const k of [u.sAMAccountName.toLowerCase(), u.userPrincipalName.toLowerCase(), u.objectSid]) this.usersByKey.set(k, u);
      for (const spn of u.servicePrincipalNames) this.usersBySpn.set(spn.toLowerCase(), u);
    }
    for (const g of groups) for (const k of [g.name.toLowerCase(), g.objectSid]) this.groupsByKey.set(k, g);
  }

  async findUser(name: string): Promise<DirectoryUser | undefined> {
    return this.usersByKey.get(isSidString(name) ? name : name.toLowerCase());
  }
  async findUserBySpn(spn: string): Promise<DirectoryUser | undefined> {
    return this.usersBySpn.get(spn.toLowerCase());
  }
  async listUsers(): Promise<readonly DirectoryUser[]> {
    return this.users;
  }
  async findGroup(nameOrSid: string): Promise<DirectoryGroup | undefined> {
    return this.groupsByKey.get(isSidString(nameOrSid) ? nameOrSid : nameOrSid.toLowerCase());
  }
  async listGroups(): Promise<readonly DirectoryGroup[]> {
    return this.groups;
  }
  async groupSidsOf(user: DirectoryUser): Promise<readonly string[]> {
    const out = new Set<string>();
    const queue = [`${this.domain.sid}-${user.primaryGroupId}`, ...(this.parents.get(user.objectSid) ?? [])];
    // Breadth-first over "member of" edges; the visited set makes membership cycles harmless.
    while (queue.length > 0) {
      const sid = queue.shift()!;
      if (out.has(sid)) continue;
      out.add(sid);
      queue.push(...(this.parents.get(sid) ?? []));
    }
    return [...out].sort();
  }
}

function sidOf(n: ConfigNode): string {
  const s = n.string();
  if (!isSidString(s)) n.fail('expected a SID like S-1-5-21-1-2-3');
  return s;
}

function ridOrSid(n: ConfigNode, domainSid: string): string {
  if (n.child('sid').present) return sidOf(n.child('sid'));
  return `${domainSid}-${n.child('rid').int(500, 0x3fff_ffff)}`;
}

function optionalDate(n: ConfigNode): Date | undefined {
  if (!n.present) return undefined;
  const v = n.value instanceof Date ? n.value : new Date(n.string());
  if (Number.isNaN(v.getTime())) n.fail('expected an ISO 8601 date');
  return v;
}
