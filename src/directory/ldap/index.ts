/**
 * LDAP access to Active Directory / Samba AD for the RODC-style object (DESIGN.md "Key material"):
 * create it with its krbtgt_N account, read it back, and say what would make exchanges fail.
 */
export {
  USER_ACCOUNT_CONTROL,
  RODC_COMPUTER_UAC,
  RODC_KRBTGT_UAC,
  SUPPORTED_ENCRYPTION_TYPES,
  RODC_SUPPORTED_ENCRYPTION_TYPES,
  LDAP_SERVER_RODC_DCPROMO_OID,
  PRP_RIDS,
  NEVER_REVEAL_BUILTIN_SIDS,
  BUILTIN_SID_NAMES,
  type UserAccountControlFlag,
} from './constants.js';
export { sidFromBytes } from './sid-binary.js';
export { escapeRdnValue, escapeFilterValue, sidDn, dnsNameOfDomainDn, splitDn, firstRdnValue, sameDn } from './dn.js';
export {
  LdapError,
  LDAP_RESULT_CODES,
  type LdapConnection,
  type LdapAddRequest,
  type LdapModifyRequest,
  type LdapChange,
  type LdapControlSpec,
  type LdapEntry,
  type LdapSearchRequest,
} from './ldap-connection.js';
export { connectLdap, type LdapConnectOptions } from './ldapts-connection.js';
export { readDomainContext, type DomainContext } from './domain-context.js';
export {
  computerAdd,
  krbtgtAdd,
  linkKrbtgt,
  enableComputer,
  computerDn,
  provisionalKrbtgtDn,
  finalKrbtgtRdn,
  revealOnDemandGroups,
  neverRevealGroups,
  checkComputerName,
  type RodcNames,
} from './rodc-requests.js';
export { readRodcObject, readKrbtgtAccount, type RodcObject, type RodcKrbtgtAccount, type PrpGroup } from './rodc-object.js';
export { checkRodcObject, rodcKvnoOf, RODC_WARNING_CODES, type RodcWarning, type RodcWarningCode } from './rodc-check.js';
export { createRodc, RodcCreateError, type CreateRodcOptions, type CreateRodcResult, type RollbackOutcome } from './rodc-create.js';
