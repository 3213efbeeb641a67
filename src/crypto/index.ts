/**
 * Kerberos cryptography (RFC 3961 framework; RFC 3962 etypes 17/18, RFC 8009 etypes 19/20,
 * RFC 4757 etype 23 for decryption and checksums only). Encryption types are rows in a table
 * (etypes.ts); callers name key usages with KEY_USAGE. Every decryption failure is the same
 * IntegrityError (KRB_AP_ERR_BAD_INTEGRITY); an unsupported etype or checksum type is
 * ERR_CRYPTO_ETYPE; a wrong key length, mismatched key or unusable s2kparams is ERR_CRYPTO_KEY.
 * This module never imports ASN.1: callers pass and receive bytes.
 */
export {
  ETYPE,
  CKSUMTYPE,
  KEY_USAGE,
  etypeName,
  cksumtypeName,
  isSupportedEtype,
  type Etype,
  type Cksumtype,
  type KeyUsage,
} from './constants.js';
export { Key } from './key.js';
export {
  encrypt,
  decrypt,
  checksum,
  verifyChecksum,
  mandatoryChecksumType,
  stringToKey,
  randomKey,
  randomToKey,
  prf,
  ntHashKey,
  defaultS2kParams,
} from './operations.js';
export { MAX_PBKDF2_ITERATIONS, iterationParams } from './s2k-params.js';
