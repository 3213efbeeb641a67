import { allocFromSlab } from '../util/index.js';
import { pbkdf2Sync } from 'node:crypto';
import { IntegrityError } from '../errors/index.js';
import { AesCbc, aesCtsDecrypt, aesCtsEncrypt } from './aes-cts.js';
import { CKSUMTYPE, ETYPE } from './constants.js';
import { DERIVE_PURPOSE, usageConstant } from './dk-rfc3961.js';
import { type Rfc8009Hash, kdfHmacSha2 } from './kdf-rfc8009.js';
import { type Key, cachedDerivation, readKeyBytes } from './key.js';
import { hmac, macEqual, macKey, type HmacKey } from './mac.js';
import type { ChecksumProfile, EnctypeProfile } from './profile.js';
import { iterationParams, pbkdf2Iterations } from './s2k-params.js';

/**
 * aes128-cts-hmac-sha256-128 (19) and aes256-cts-hmac-sha384-192 (20), RFC 8009.
 *
 * Differences from RFC 3962 that matter here (§5): keys come from KDF-HMAC-SHA2 instead of DK;
 * the MAC is encrypt-then-MAC over (IV ‖ C1), not over the plaintext; string-to-key salts PBKDF2
 * with the enctype name and a zero byte; the default iteration count is 32768.
 */
const CONFOUNDER = 16;
const ZERO_IV = new Uint8Array(16);
const EMPTY = new Uint8Array(0);
const KERBEROS = new TextEncoder().encode('kerberos');
const PRF_LABEL = new TextEncoder().encode('prf');
const DEFAULT_ITERATIONS = 32768; // RFC 8009 §4: 00 00 80 00

interface Params {
  readonly etype: number;
  readonly name: string;
  readonly hash: Rfc8009Hash;
  readonly keyLength: number; // bytes; also Ke length
  readonly macLength: number; // bytes; also Kc and Ki length (RFC 8009 §5)
  readonly cksumtype: number;
}

/** Ke as a ready AES context and Ki as an imported HMAC key, derived once per (key, usage). */
interface EncryptionKeys {
  readonly ke: AesCbc;
  readonly ki: HmacKey;
}

function aesSha2Profile(p: Params): EnctypeProfile {
  const keys = (key: Key, usage: number): EncryptionKeys =>
    cachedDerivation(key, usage * 256 + DERIVE_PURPOSE.ENCRYPTION, (base) => ({
      ke: new AesCbc(kdfHmacSha2(p.hash, base, usageConstant(usage, DERIVE_PURPOSE.ENCRYPTION), EMPTY, p.keyLength * 8)),
      ki: macKey(p.hash, kdfHmacSha2(p.hash, base, usageConstant(usage, DERIVE_PURPOSE.INTEGRITY), EMPTY, p.macLength * 8)),
    }));
  const saltPrefix = new TextEncoder().encode(`${p.name}\0`);

  return {
    etype: p.etype,
    name: p.name,
    keyLength: p.keyLength,
    seedLength: p.keyLength,
    confounderLength: CONFOUNDER,
    macLength: p.macLength,
    mandatoryCksumtype: p.cksumtype,
    defaultS2kParams: iterationParams(DEFAULT_ITERATIONS),

    // RFC 8009 §5: C = E(Ke, N ‖ plaintext, IV = 0); H = HMAC(Ki, IV ‖ C) truncated; output C ‖ H.
    encrypt(key, usage, confounder, plaintext) {
      const { ke, ki } = keys(key, usage);
      const body = allocFromSlab(CONFOUNDER + plaintext.length); // util/slab.ts: scratch and a usually short-lived output
      body.set(confounder);
      body.set(plaintext, CONFOUNDER);
      const c = aesCtsEncrypt(ke, body);
      const out = allocFromSlab(c.length + p.macLength);
      out.set(c);
      out.set(hmac(p.hash, ki, ZERO_IV, c).subarray(0, p.macLength), c.length);
      return out;
    },

    // Verify the MAC over the ciphertext before decrypting anything.
    decrypt(key, usage, ciphertext) {
      if (ciphertext.length < CONFOUNDER + p.macLength) throw new IntegrityError();
      const { ke, ki } = keys(key, usage);
      const c = ciphertext.subarray(0, ciphertext.length - p.macLength);
      const expected = hmac(p.hash, ki, ZERO_IV, c).subarray(0, p.macLength);
      if (!macEqual(expected, ciphertext.subarray(c.length))) throw new IntegrityError();
      return aesCtsDecrypt(ke, c).subarray(CONFOUNDER);
    },

    // RFC 8009 §4: saltp = enctype-name ‖ 0x00 ‖ salt; tkey = PBKDF2-HMAC-SHA2(password, saltp,
    // count, keylength); key = KDF-HMAC-SHA2(tkey, "kerberos", keylength).
    stringToKey(password, salt, params) {
      const count = pbkdf2Iterations(params ?? iterationParams(DEFAULT_ITERATIONS));
      const saltp = new Uint8Array(saltPrefix.length + salt.length);
      saltp.set(saltPrefix);
      saltp.set(salt, saltPrefix.length);
      const tkey = new Uint8Array(pbkdf2Sync(password, saltp, count, p.keyLength, p.hash));
      return kdfHmacSha2(p.hash, tkey, KERBEROS, EMPTY, p.keyLength * 8);
    },

    // RFC 8009 §5: PRF = KDF-HMAC-SHA2(base-key, "prf", octet-string, 256 | 384).
    prf(key, data) {
      return kdfHmacSha2(p.hash, readKeyBytes(key), PRF_LABEL, data, p.hash === 'sha256' ? 256 : 384);
    },
  };
}

export const AES128_CTS_HMAC_SHA256_128 = aesSha2Profile({
  etype: ETYPE.AES128_CTS_HMAC_SHA256_128,
  name: 'aes128-cts-hmac-sha256-128',
  hash: 'sha256',
  keyLength: 16,
  macLength: 16,
  cksumtype: CKSUMTYPE.HMAC_SHA256_128_AES128,
});

export const AES256_CTS_HMAC_SHA384_192 = aesSha2Profile({
  etype: ETYPE.AES256_CTS_HMAC_SHA384_192,
  name: 'aes256-cts-hmac-sha384-192',
  hash: 'sha384',
  keyLength: 32,
  macLength: 24,
  cksumtype: CKSUMTYPE.HMAC_SHA384_192_AES256,
});

/** RFC 8009 §5: checksum = HMAC(Kc, data) truncated, Kc = KDF-HMAC-SHA2(key, usage ‖ 0x99, h). */
function hmacSha2Checksum(cksumtype: number, keyEtype: number, hash: Rfc8009Hash, macLength: number): ChecksumProfile {
  return {
    cksumtype,
    keyEtype,
    macLength,
    compute(key, usage, data) {
      const kc = cachedDerivation(key, usage * 256 + DERIVE_PURPOSE.CHECKSUM, (base) =>
        macKey(hash, kdfHmacSha2(hash, base, usageConstant(usage, DERIVE_PURPOSE.CHECKSUM), EMPTY, macLength * 8)),
      );
      return new Uint8Array(hmac(hash, kc, data).subarray(0, macLength));
    },
  };
}

export const HMAC_SHA256_128_AES128 = hmacSha2Checksum(
  CKSUMTYPE.HMAC_SHA256_128_AES128,
  ETYPE.AES128_CTS_HMAC_SHA256_128,
  'sha256',
  16,
);
export const HMAC_SHA384_192_AES256 = hmacSha2Checksum(
  CKSUMTYPE.HMAC_SHA384_192_AES256,
  ETYPE.AES256_CTS_HMAC_SHA384_192,
  'sha384',
  24,
);
