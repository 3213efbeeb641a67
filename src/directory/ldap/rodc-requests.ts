import { TgtbridgeError } from '../../errors/index.js';
import {
  LDAP_SERVER_RODC_DCPROMO_OID,
  NEVER_REVEAL_BUILTIN_SIDS,
  PRP_RIDS,
  RODC_COMPUTER_UAC,
  RODC_KRBTGT_UAC,
  RODC_SUPPORTED_ENCRYPTION_TYPES,
  USER_ACCOUNT_CONTROL,
} from './constants.js';
import { escapeRdnValue, sidDn } from './dn.js';
import type { LdapAddRequest, LdapModifyRequest } from './ldap-connection.js';

/**
 * The LDAP requests that make the RODC-style object (DESIGN.md "Key material"). Pure: every value
 * is computed here so that tests can read them against MS-ADTS without a directory.
 */

export interface RodcNames {
  /** defaultNamingContext, e.g. `DC=samba,DC=test`. */
  readonly domainDn: string;
  /** The domain's objectSid, S-1-5-21-a-b-c. */
  readonly domainSid: string;
  /** Computer name without `$` (NetBIOS rules: ≤ 15 characters). */
  readonly name: string;
  readonly dnsHostName: string;
}

/**
 * A computer name: 1–15 characters (the NetBIOS limit; sAMAccountName is the name plus `$`), none of
 * the characters Windows refuses in computer names, no whitespace, no leading dot.
 */
const COMPUTER_NAME_RE = /^[^"/\\[\]:;|=,+*?<>\s.$][^"/\\[\]:;|=,+*?<>\s$]{0,14}$/;

export function checkComputerName(name: string): void {
  if (!COMPUTER_NAME_RE.test(name)) {
    throw new TgtbridgeError('ERR_USAGE', `--name must be 1–15 characters without spaces or "/\\[]:;|=,+*?<>$: ${JSON.stringify(name)}`);
  }
}

export function computerDn(n: Pick<RodcNames, 'domainDn' | 'name'>): string {
  return `CN=${escapeRdnValue(n.name)},OU=Domain Controllers,${n.domainDn}`;
}

/**
 * The krbtgt account is first added under a name we choose (Samba's join uses the same
 * `krbtgt_<computer name>`); the DC overrides sAMAccountName with krbtgt_N, and we rename the
 * object to match afterwards.
 */
export function provisionalKrbtgtDn(n: Pick<RodcNames, 'domainDn' | 'name'>): string {
  return `CN=${escapeRdnValue(`krbtgt_${n.name}`)},CN=Users,${n.domainDn}`;
}

export function finalKrbtgtRdn(secondaryKrbTgtNumber: number): string {
  return `CN=krbtgt_${secondaryKrbTgtNumber}`;
}

export function revealOnDemandGroups(domainSid: string): string[] {
  return [sidDn(`${domainSid}-${PRP_RIDS.allowedRodcPasswordReplicationGroup}`)];
}

export function neverRevealGroups(domainSid: string): string[] {
  return [sidDn(`${domainSid}-${PRP_RIDS.deniedRodcPasswordReplicationGroup}`), ...NEVER_REVEAL_BUILTIN_SIDS.map(sidDn)];
}

/**
 * The computer object, added disabled (ACCOUNTDISABLE | 0x05001000) so that nothing can use it
 * before its krbtgt link is in place; enabled by `enableComputer` at the end.
 */
export function computerAdd(n: RodcNames): LdapAddRequest {
  checkComputerName(n.name);
  return {
    dn: computerDn(n),
    attributes: {
      objectClass: ['computer'],
      sAMAccountName: [`${n.name}$`],
      userAccountControl: [String(RODC_COMPUTER_UAC | USER_ACCOUNT_CONTROL.ACCOUNTDISABLE)],
      dNSHostName: [n.dnsHostName],
      'msDS-SupportedEncryptionTypes': [String(RODC_SUPPORTED_ENCRYPTION_TYPES)],
      'msDS-RevealOnDemandGroup': revealOnDemandGroups(n.domainSid),
      'msDS-NeverRevealGroup': neverRevealGroups(n.domainSid),
      description: ['tgtbridge RODC-style object: its krbtgt_N key signs partial TGTs'],
    },
    controls: [],
  };
}

/** The RODC krbtgt account: a disabled user, added with the RODC-promotion control, critical. */
export function krbtgtAdd(n: RodcNames): LdapAddRequest {
  return {
    dn: provisionalKrbtgtDn(n),
    attributes: {
      objectClass: ['user'],
      userAccountControl: [String(RODC_KRBTGT_UAC)],
      showInAdvancedViewOnly: ['TRUE'],
      description: [`krbtgt for ${n.name}$ (tgtbridge)`],
    },
    controls: [{ oid: LDAP_SERVER_RODC_DCPROMO_OID, critical: true }],
  };
}

export function linkKrbtgt(computer: string, krbtgt: string): LdapModifyRequest {
  return { dn: computer, changes: [{ operation: 'replace', type: 'msDS-KrbTgtLink', values: [krbtgt] }] };
}

export function enableComputer(computer: string): LdapModifyRequest {
  return { dn: computer, changes: [{ operation: 'replace', type: 'userAccountControl', values: [String(RODC_COMPUTER_UAC)] }] };
}
