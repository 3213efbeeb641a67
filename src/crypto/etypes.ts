import { TgtbridgeError } from '../errors/index.js';
import { etypeName, cksumtypeName } from './constants.js';
import type { ChecksumProfile, EnctypeProfile } from './profile.js';
import {
  AES128_CTS_HMAC_SHA1_96,
  AES256_CTS_HMAC_SHA1_96,
  HMAC_SHA1_96_AES128,
  HMAC_SHA1_96_AES256,
} from './profile-rfc3962.js';
import {
  AES128_CTS_HMAC_SHA256_128,
  AES256_CTS_HMAC_SHA384_192,
  HMAC_SHA256_128_AES128,
  HMAC_SHA384_192_AES256,
} from './profile-rfc8009.js';
import { HMAC_MD5, RC4_HMAC } from './rc4-hmac.js';

/** The enctype table (MIT etypes.c in spirit): one row per supported encryption type. */
const ENCTYPES: ReadonlyMap<number, EnctypeProfile> = new Map(
  [
    AES128_CTS_HMAC_SHA1_96,
    AES256_CTS_HMAC_SHA1_96,
    AES128_CTS_HMAC_SHA256_128,
    AES256_CTS_HMAC_SHA384_192,
    RC4_HMAC, // decrypt-only: encrypt() refuses (rc4-hmac.ts)
  ].map((p) => [p.etype, p]),
);

const CHECKSUMS: ReadonlyMap<number, ChecksumProfile> = new Map(
  [HMAC_SHA1_96_AES128, HMAC_SHA1_96_AES256, HMAC_SHA256_128_AES128, HMAC_SHA384_192_AES256, HMAC_MD5].map((c) => [
    c.cksumtype,
    c,
  ]),
);

/** The profile row for `etype`, or ERR_CRYPTO_ETYPE. */
export function enctypeProfile(etype: number): EnctypeProfile {
  const p = ENCTYPES.get(etype);
  if (p === undefined) throw new TgtbridgeError('ERR_CRYPTO_ETYPE', `unsupported encryption type ${etypeName(etype)}`);
  return p;
}

/** The checksum row for `cksumtype`, or ERR_CRYPTO_ETYPE. */
export function checksumProfile(cksumtype: number): ChecksumProfile {
  const c = CHECKSUMS.get(cksumtype);
  if (c === undefined) throw new TgtbridgeError('ERR_CRYPTO_ETYPE', `unsupported checksum type ${cksumtypeName(cksumtype)}`);
  return c;
}
