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
} from './operations.js';
export { MAX_PBKDF2_ITERATIONS } from './s2k-params.js';
