/**
 * SID strings (MS-DTYP §2.4.2.1): `S-1-<IdentifierAuthority>-<SubAuthority>…`, revision 1, at most
 * 15 sub-authorities, each an unsigned 32-bit number. The directory keeps its own small validator so
 * it does not depend on the PAC codec for reading its config file.
 */
const SID_RE = /^S-1-(\d{1,15})((?:-\d{1,10}){1,15})$/;

export function isSidString(s: string): boolean {
  const m = SID_RE.exec(s);
  if (!m) return false;
  if (Number(m[1]) > 0xffff_ffff_ffff) return false;
  return m[2]!
    .slice(1)
    .split('-')
    .every((x) => Number(x) <= 0xffff_ffff && String(Number(x)) === x);
}

/** The domain SID's account RIDs (MS-ADTS §6.1.1.6 / well-known SIDs of MS-DTYP §2.4.2.4). */
export const WELL_KNOWN_RIDS = {
  administrator: 500,
  krbtgt: 502,
  domainAdmins: 512,
  domainUsers: 513,
  domainComputers: 515,
  domainControllers: 516,
  certPublishers: 517,
  schemaAdmins: 518,
  enterpriseAdmins: 519,
  groupPolicyCreatorOwners: 520,
  readOnlyDomainControllers: 521,
  allowedRodcPasswordReplicationGroup: 571,
  deniedRodcPasswordReplicationGroup: 572,
} as const;

/** BUILTIN domain (S-1-5-32) aliases that appear in the RODC never-reveal list (MS-ADTS §3.1.1.4.1). */
export const BUILTIN_SIDS = {
  administrators: 'S-1-5-32-544',
  users: 'S-1-5-32-545',
  accountOperators: 'S-1-5-32-548',
  serverOperators: 'S-1-5-32-549',
  printOperators: 'S-1-5-32-550',
  backupOperators: 'S-1-5-32-551',
} as const;

export function ridOf(sid: string): number {
  return Number(sid.slice(sid.lastIndexOf('-') + 1));
}

export function domainOf(sid: string): string {
  return sid.slice(0, sid.lastIndexOf('-'));
}
