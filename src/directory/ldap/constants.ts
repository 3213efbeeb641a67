/**
 * Values the RODC-style object is made of. Sources: userAccountControl bits MS-ADTS §2.2.16,
 * msDS-SupportedEncryptionTypes bits MS-KILE §2.2.7, the RODC promotion control MS-ADTS
 * §3.1.1.3.4.1.23 (LDAP_SERVER_RODC_DCPROMO_OID), well-known RIDs and SIDs MS-DTYP §2.4.2.4.
 */

/** userAccountControl bits (MS-ADTS §2.2.16). */
export const USER_ACCOUNT_CONTROL = {
  ACCOUNTDISABLE: 0x0000_0002,
  NORMAL_ACCOUNT: 0x0000_0200,
  WORKSTATION_TRUST_ACCOUNT: 0x0000_1000,
  SERVER_TRUST_ACCOUNT: 0x0000_2000,
  TRUSTED_TO_AUTH_FOR_DELEGATION: 0x0100_0000,
  PARTIAL_SECRETS_ACCOUNT: 0x0400_0000,
} as const;
export type UserAccountControlFlag = keyof typeof USER_ACCOUNT_CONTROL;

/**
 * What an RODC computer account carries: WORKSTATION_TRUST_ACCOUNT | TRUSTED_TO_AUTH_FOR_DELEGATION
 * | PARTIAL_SECRETS_ACCOUNT = 0x05001000 (Samba's join_RODC uses the same three bits).
 */
export const RODC_COMPUTER_UAC =
  USER_ACCOUNT_CONTROL.WORKSTATION_TRUST_ACCOUNT |
  USER_ACCOUNT_CONTROL.TRUSTED_TO_AUTH_FOR_DELEGATION |
  USER_ACCOUNT_CONTROL.PARTIAL_SECRETS_ACCOUNT;

/** The RODC krbtgt account is a disabled normal user: 0x202 = 514. */
export const RODC_KRBTGT_UAC = USER_ACCOUNT_CONTROL.NORMAL_ACCOUNT | USER_ACCOUNT_CONTROL.ACCOUNTDISABLE;

/** msDS-SupportedEncryptionTypes bits (MS-KILE §2.2.7). */
export const SUPPORTED_ENCRYPTION_TYPES = {
  DES_CBC_CRC: 0x01,
  DES_CBC_MD5: 0x02,
  RC4_HMAC: 0x04,
  AES128_CTS_HMAC_SHA1_96: 0x08,
  AES256_CTS_HMAC_SHA1_96: 0x10,
} as const;

/** AES128 | AES256 = 24: partial TGTs are AES256 only; AES128 is kept for other clients of the account. */
export const RODC_SUPPORTED_ENCRYPTION_TYPES =
  SUPPORTED_ENCRYPTION_TYPES.AES128_CTS_HMAC_SHA1_96 | SUPPORTED_ENCRYPTION_TYPES.AES256_CTS_HMAC_SHA1_96;

/**
 * LDAP_SERVER_RODC_DCPROMO_OID (MS-ADTS §3.1.1.3.4.1.23): on an add of a user object, the DC picks
 * a free msDS-SecondaryKrbTgtNumber N in 1..65535, names the account after it and sets a random
 * password. Requires the DS-Install-Replica right on the domain root. Samba's ldb calls it `rodc_join`.
 */
export const LDAP_SERVER_RODC_DCPROMO_OID = '1.2.840.113556.1.4.1341';

/** Domain RIDs of the password-replication policy groups (MS-DTYP §2.4.2.4). */
export const PRP_RIDS = {
  allowedRodcPasswordReplicationGroup: 571,
  deniedRodcPasswordReplicationGroup: 572,
} as const;

/**
 * BUILTIN aliases an RODC's msDS-NeverRevealGroup holds by default (the list Samba's join_RODC
 * writes, next to the Denied RODC Password Replication Group): Administrators, Server Operators,
 * Backup Operators, Account Operators (MS-DTYP §2.4.2.4).
 */
export const NEVER_REVEAL_BUILTIN_SIDS = ['S-1-5-32-544', 'S-1-5-32-549', 'S-1-5-32-551', 'S-1-5-32-548'] as const;

/**
 * Domain RIDs of groups that must never sit in the reveal-on-demand set: their members are the
 * accounts whose TGTs a compromised bridge must not be able to mint (RIDs: MS-DTYP §2.4.2.4).
 */
export const PRIVILEGED_DOMAIN_RIDS = {
  512: 'Domain Admins',
  516: 'Domain Controllers',
  518: 'Schema Admins',
  519: 'Enterprise Admins',
  520: 'Group Policy Creator Owners',
  521: 'Read-only Domain Controllers',
  502: 'krbtgt',
  500: 'Administrator',
} as const;

/** Names for the SIDs `ad show` prints when the directory did not resolve them. */
export const BUILTIN_SID_NAMES: Readonly<Record<string, string>> = {
  'S-1-5-32-544': 'BUILTIN\\Administrators',
  'S-1-5-32-548': 'BUILTIN\\Account Operators',
  'S-1-5-32-549': 'BUILTIN\\Server Operators',
  'S-1-5-32-550': 'BUILTIN\\Print Operators',
  'S-1-5-32-551': 'BUILTIN\\Backup Operators',
};
