/**
 * Kerberos cryptosystem numbers.
 * Encryption types: RFC 3961 §8, RFC 3962 §7, RFC 8009 §8, RFC 4757 §4 (IANA "Kerberos Encryption
 * Type Numbers"). Checksum types: the same sections; -138 is the unregistered number Microsoft
 * uses for HMAC-MD5 (RFC 4757 §4). Key usages: RFC 4120 §7.5.1, MS-PAC §2.8 (17), RFC 6113 §5.4.
 */
export const ETYPE = {
  AES128_CTS_HMAC_SHA1_96: 17,
  AES256_CTS_HMAC_SHA1_96: 18,
  AES128_CTS_HMAC_SHA256_128: 19,
  AES256_CTS_HMAC_SHA384_192: 20,
  RC4_HMAC: 23,
} as const;
export type Etype = (typeof ETYPE)[keyof typeof ETYPE];

export const CKSUMTYPE = {
  HMAC_SHA1_96_AES128: 15,
  HMAC_SHA1_96_AES256: 16,
  HMAC_SHA256_128_AES128: 19,
  HMAC_SHA384_192_AES256: 20,
  HMAC_MD5: -138,
} as const;
export type Cksumtype = (typeof CKSUMTYPE)[keyof typeof CKSUMTYPE];

export const KEY_USAGE = {
  AS_REQ_PA_ENC_TIMESTAMP: 1,
  KDC_REP_TICKET: 2,
  AS_REP_ENC_PART: 3,
  TGS_REQ_AD_SESSION_KEY: 4,
  TGS_REQ_AD_SUBKEY: 5,
  TGS_REQ_AUTH_CKSUM: 6,
  TGS_REQ_AUTH: 7,
  TGS_REP_ENC_PART_SESSION_KEY: 8,
  TGS_REP_ENC_PART_SUBKEY: 9,
  AP_REQ_AUTH_CKSUM: 10,
  AP_REQ_AUTH: 11,
  AP_REP_ENC_PART: 12,
  KRB_PRIV_ENC_PART: 13,
  KRB_CRED_ENC_PART: 14,
  KRB_SAFE_CKSUM: 15,
  /** KERB_NON_KERB_CKSUM_SALT: the PAC server and KDC signatures (MS-PAC §2.8). */
  APP_DATA_CKSUM: 17,
  AD_KDC_ISSUED_CKSUM: 19,
  // RFC 6113 §5.4 (FAST)
  FAST_REQ_CHKSUM: 50,
  FAST_ENC: 51,
  FAST_REP: 52,
  FAST_FINISHED: 53,
  ENC_CHALLENGE_CLIENT: 54,
  ENC_CHALLENGE_KDC: 55,
  AS_REQ: 56,
} as const;
export type KeyUsage = (typeof KEY_USAGE)[keyof typeof KEY_USAGE];

/** MIT krb5 names (krb5.conf spelling), the ones klist -e prints. */
const ETYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'des-cbc-crc'],
  [3, 'des-cbc-md5'],
  [16, 'des3-cbc-sha1'],
  [ETYPE.AES128_CTS_HMAC_SHA1_96, 'aes128-cts-hmac-sha1-96'],
  [ETYPE.AES256_CTS_HMAC_SHA1_96, 'aes256-cts-hmac-sha1-96'],
  [ETYPE.AES128_CTS_HMAC_SHA256_128, 'aes128-cts-hmac-sha256-128'],
  [ETYPE.AES256_CTS_HMAC_SHA384_192, 'aes256-cts-hmac-sha384-192'],
  [ETYPE.RC4_HMAC, 'arcfour-hmac'],
  [24, 'arcfour-hmac-exp'],
  [25, 'camellia128-cts-cmac'],
  [26, 'camellia256-cts-cmac'],
]);

const CKSUMTYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'crc32'],
  [7, 'md5'],
  [8, 'md5-des'],
  [12, 'hmac-sha1-des3-kd'],
  [CKSUMTYPE.HMAC_SHA1_96_AES128, 'hmac-sha1-96-aes128'],
  [CKSUMTYPE.HMAC_SHA1_96_AES256, 'hmac-sha1-96-aes256'],
  [CKSUMTYPE.HMAC_SHA256_128_AES128, 'hmac-sha256-128-aes128'],
  [CKSUMTYPE.HMAC_SHA384_192_AES256, 'hmac-sha384-192-aes256'],
  [CKSUMTYPE.HMAC_MD5, 'hmac-md5-arcfour'],
]);

/** MIT name of an encryption type; numbers nobody named print as `etype-<n>`. */
export function etypeName(etype: number): string {
  return ETYPE_NAMES.get(etype) ?? `etype-${etype}`;
}

/** MIT name of a checksum type; unknown numbers print as `cksumtype-<n>`. */
export function cksumtypeName(t: number): string {
  return CKSUMTYPE_NAMES.get(t) ?? `cksumtype-${t}`;
}

/**
 * Protocol key length in bytes per encryption type (RFC 3962 §6, RFC 8009 §5, RFC 4757 §4). Kept
 * here, below both Key and the profile table, so neither has to import the other.
 */
export const KEY_LENGTH: ReadonlyMap<number, number> = new Map([
  [ETYPE.AES128_CTS_HMAC_SHA1_96, 16],
  [ETYPE.AES256_CTS_HMAC_SHA1_96, 32],
  [ETYPE.AES128_CTS_HMAC_SHA256_128, 16],
  [ETYPE.AES256_CTS_HMAC_SHA384_192, 32],
  [ETYPE.RC4_HMAC, 16],
]);

/** True for the encryption types this module implements (17, 18, 19, 20, and 23 for decryption). */
export function isSupportedEtype(etype: number): boolean {
  return KEY_LENGTH.has(etype);
}
