import { pbkdf2Sync } from 'node:crypto';
import { IntegrityError } from '../errors/index.js';
import { allocFromSlab } from '../util/index.js';
import { AesCbc, aesCtsDecrypt, aesCtsEncryptInto } from './aes-cts.js';
import { CKSUMTYPE, ETYPE } from './constants.js';
import { DERIVE_PURPOSE, deriveKeyRfc3961, usageConstant } from './dk-rfc3961.js';
import { type Key, cachedDerivation } from './key.js';
import { digest, hmac, macEqual, macKey, type HmacKey } from './mac.js';
import type { ChecksumProfile, EnctypeProfile } from './profile.js';
import { iterationParams, pbkdf2Iterations } from './s2k-params.js';

/**
 * aes128-cts-hmac-sha1-96 (17) and aes256-cts-hmac-sha1-96 (18): RFC 3962, an instance of the
 * RFC 3961 §5.3 simplified profile with E = AES-CTS, H = HMAC-SHA1, c = 16, h = 12 octets.
 */
const CONFOUNDER = 16;
const MAC = 12;
const KERBEROS = new TextEncoder().encode('kerberos');
const PRF_CONSTANT = new TextEncoder().encode('prf');
const PRF_SLOT = -1; // derived-key cache slot of DK(key, "prf"); usage slots are >= 0
const BASE_SLOT = -2; // the base key's AES context

/** Ke as a ready AES context and Ki as an imported HMAC key, derived once per (key, usage). */
interface EncryptionKeys {
  readonly ke: AesCbc;
  readonly ki: HmacKey;
}

/** The base key's own AES context, shared by every derivation from it (a fresh session key derives five keys for one TGS-REQ). */
function baseCipher(key: Key): AesCbc {
  return cachedDerivation(key, BASE_SLOT, (base) => new AesCbc(base));
}

function encryptionKeys(key: Key, usage: number, length: number): EncryptionKeys {
  return cachedDerivation(key, usage * 256 + DERIVE_PURPOSE.ENCRYPTION, () => ({
    ke: new AesCbc(deriveKeyRfc3961(baseCipher(key), usageConstant(usage, DERIVE_PURPOSE.ENCRYPTION), length)),
    ki: macKey('sha1', deriveKeyRfc3961(baseCipher(key), usageConstant(usage, DERIVE_PURPOSE.INTEGRITY), length)),
  }));
}

function checksumKey(key: Key, usage: number, length: number): HmacKey {
  return cachedDerivation(key, usage * 256 + DERIVE_PURPOSE.CHECKSUM, () =>
    macKey('sha1', deriveKeyRfc3961(baseCipher(key), usageConstant(usage, DERIVE_PURPOSE.CHECKSUM), length)),
  );
}

function aesSha1Profile(etype: number, name: string, keyLength: number, cksumtype: number): EnctypeProfile {
  return {
    etype,
    name,
    keyLength,
    seedLength: keyLength,
    confounderLength: CONFOUNDER,
    macLength: MAC,
    mandatoryCksumtype: cksumtype,
    defaultS2kParams: iterationParams(4096), // RFC 3962 §4: 00 00 10 00

    // RFC 3961 §5.3: C1 = E(Ke, conf ‖ plaintext), H1 = HMAC(Ki, conf ‖ plaintext); output C1 ‖ H1[1..h].
    // CTS needs no padding (RFC 3962 §6: m = 1).
    encrypt(key, usage, confounder, plaintext) {
      const { ke, ki } = encryptionKeys(key, usage, keyLength);
      // conf ‖ plaintext laid out once, already zero-padded for CBC; MAC'd before the in-place encryption.
      const length = CONFOUNDER + plaintext.length;
      // Slab memory (util/slab.ts): `padded` is scratch, `out` is usually sent and dropped.
      const padded = allocFromSlab(Math.ceil(length / 16) * 16);
      padded.set(confounder);
      padded.set(plaintext, CONFOUNDER);
      const out = allocFromSlab(length + MAC);
      out.set(hmac('sha1', ki, padded.subarray(0, length)).subarray(0, MAC), length);
      aesCtsEncryptInto(ke, padded, length, out);
      return out;
    },

    decrypt(key, usage, ciphertext) {
      // At least the confounder block (CTS needs one full block) and the MAC.
      if (ciphertext.length < CONFOUNDER + MAC) throw new IntegrityError();
      const { ke, ki } = encryptionKeys(key, usage, keyLength);
      const body = ciphertext.subarray(0, ciphertext.length - MAC);
      const plain = aesCtsDecrypt(ke, body);
      const expected = hmac('sha1', ki, plain).subarray(0, MAC);
      if (!macEqual(expected, ciphertext.subarray(body.length))) throw new IntegrityError();
      return plain.subarray(CONFOUNDER);
    },

    // RFC 3962 §4: tkey = random-to-key(PBKDF2-HMAC-SHA1(password, salt, count, keylength));
    // key = DK(tkey, "kerberos").
    stringToKey(password, salt, params) {
      const count = pbkdf2Iterations(params ?? iterationParams(4096));
      const tkey = new Uint8Array(pbkdf2Sync(password, salt, count, keyLength, 'sha1'));
      return deriveKeyRfc3961(tkey, KERBEROS, keyLength);
    },

    // RFC 3962 §6: PRF = E(DK(key, "prf"), SHA-1(data) truncated to one block), zero IV.
    prf(key, data) {
      const prfKey = cachedDerivation(key, PRF_SLOT, () => new AesCbc(deriveKeyRfc3961(baseCipher(key), PRF_CONSTANT, keyLength)));
      return prfKey.encryptBlock(digest('sha1', data).subarray(0, 16));
    },
  };
}

export const AES128_CTS_HMAC_SHA1_96 = aesSha1Profile(
  ETYPE.AES128_CTS_HMAC_SHA1_96,
  'aes128-cts-hmac-sha1-96',
  16,
  CKSUMTYPE.HMAC_SHA1_96_AES128,
);

export const AES256_CTS_HMAC_SHA1_96 = aesSha1Profile(
  ETYPE.AES256_CTS_HMAC_SHA1_96,
  'aes256-cts-hmac-sha1-96',
  32,
  CKSUMTYPE.HMAC_SHA1_96_AES256,
);

/** RFC 3962 §7 / RFC 3961 §5.4: checksum = HMAC-SHA1(Kc, data)[1..12], Kc = DK(key, usage ‖ 0x99). */
function hmacSha1Checksum(cksumtype: number, keyEtype: number, keyLength: number): ChecksumProfile {
  return {
    cksumtype,
    keyEtype,
    macLength: MAC,
    compute(key, usage, data) {
      const kc = checksumKey(key, usage, keyLength);
      return hmac('sha1', kc, data).subarray(0, MAC); // a fresh 20-byte digest: its view is the caller's
    },
  };
}

export const HMAC_SHA1_96_AES128 = hmacSha1Checksum(CKSUMTYPE.HMAC_SHA1_96_AES128, ETYPE.AES128_CTS_HMAC_SHA1_96, 16);
export const HMAC_SHA1_96_AES256 = hmacSha1Checksum(CKSUMTYPE.HMAC_SHA1_96_AES256, ETYPE.AES256_CTS_HMAC_SHA1_96, 32);
