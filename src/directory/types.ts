/** Directory records: the subset of AD user/group attributes the bridge and the KDC need. */

export interface DomainInfo {
  /** Kerberos realm, upper case (DEMO.TEST). */
  readonly realm: string;
  readonly dnsDomain: string;
  readonly netbiosName: string;
  /** Domain SID, S-1-5-21-a-b-c. */
  readonly sid: string;
}

export const ACCOUNT_KINDS = ['user', 'computer', 'service'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export interface DirectoryUser {
  readonly kind: AccountKind;
  readonly sAMAccountName: string;
  readonly userPrincipalName: string;
  readonly objectSid: string;
  readonly displayName: string;
  readonly enabled: boolean;
  readonly lockedOut: boolean;
  readonly accountExpires: Date | undefined;
  readonly mustChangePassword: boolean;
  readonly passwordLastSet: Date | undefined;
  /** primaryGroupID: a RID under the domain SID (513 Domain Users, 515 Domain Computers). */
  readonly primaryGroupId: number;
  /** SIDs of the groups that list this account directly (not transitive; see groupSidsOf). */
  readonly memberOf: readonly string[];
  readonly servicePrincipalNames: readonly string[];
}

export const GROUP_SCOPES = ['global', 'domainLocal', 'universal', 'builtin'] as const;
export type GroupScope = (typeof GROUP_SCOPES)[number];

export interface DirectoryGroup {
  readonly name: string;
  readonly objectSid: string;
  readonly scope: GroupScope;
  readonly description: string;
  /** SIDs of direct members, accounts and groups. */
  readonly members: readonly string[];
}

/**
 * Where users and groups come from: a config file now, AD/Samba over LDAP later. Async so a
 * network source fits behind the same interface.
 */
export interface Directory {
  readonly domain: DomainInfo;
  /** By sAMAccountName (case-insensitive), userPrincipalName, or objectSid. */
  findUser(name: string): Promise<DirectoryUser | undefined>;
  findUserBySpn(spn: string): Promise<DirectoryUser | undefined>;
  listUsers(): Promise<readonly DirectoryUser[]>;
  /** By name (case-insensitive) or SID. */
  findGroup(nameOrSid: string): Promise<DirectoryGroup | undefined>;
  listGroups(): Promise<readonly DirectoryGroup[]>;
  /**
   * Every group SID the account is in, transitively, including its primary group; sorted, no
   * duplicates, safe against membership cycles. BUILTIN aliases are included (scope 'builtin'):
   * callers that build a PAC's global-group list filter them out.
   */
  groupSidsOf(user: DirectoryUser): Promise<readonly string[]>;
}
