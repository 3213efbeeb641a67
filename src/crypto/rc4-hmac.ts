import { IntegrityError, TgtbridgeError } from '../errors/index.js';
import { CKSUMTYPE, ETYPE } from './constants.js';
import { type Key, readKeyBytes } from './key.js';
import { digest, hmac, macEqual } from './mac.js';
import { md4 } from './md4.js';
import type { ChecksumProfile, EnctypeProfile } from './profile.js';

/**
 * rc4-hmac (23) and hmac-md5 (-138), RFC 4757 — Historic since RFC 8429. tgtbridge reads what
 * older DCs and keytabs still produce (decryption, checksums, the NT-hash key) but never encrypts
 * with it: every ticket we mint uses AES.
 */
const CONFOUNDER = 8;
const MAC = 16;
const SIGNATURE_KEY = new TextEncoder().encode('signaturekey\0');

/**
 * RFC 4757 §3: Windows uses its own numbers for two RFC 4120 key usages (AS-REP enc-part 3 → 8,
 * GSS wrap 23 → 13); everything else is unchanged.
 */
function msUsage(usage: number): Uint8Array {
  const ms = usage === 3 ? 8 : usage === 23 ? 13 : usage;
  const t = new Uint8Array(4);
  new DataView(t.buffer).setUint32(0, ms >>> 0, true);
  return t;
}

/** The RC4 stream cipher (KSA + PRGA); Node's OpenSSL 3 has no RC4 without the legacy provider. */
function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

export const RC4_HMAC: EnctypeProfile = {
  etype: ETYPE.RC4_HMAC,
  name: 'arcfour-hmac',
  keyLength: 16,
  seedLength: 16,
  confounderLength: CONFOUNDER,
  macLength: MAC,
  mandatoryCksumtype: CKSUMTYPE.HMAC_MD5,
  defaultS2kParams: undefined,

  encrypt() {
    throw new TgtbridgeError('ERR_CRYPTO_ETYPE', 'arcfour-hmac (etype 23) is decrypt-only here: RFC 8429 made it historic; use AES');
  },

  // RFC 4757 §5: K1 = HMAC-MD5(key, ms_usage_le32); ciphertext = checksum ‖ RC4(K3, conf ‖ data),
  // K3 = HMAC-MD5(K1, checksum), checksum = HMAC-MD5(K1, conf ‖ data).
  decrypt(key, usage, ciphertext) {
    if (ciphertext.length < MAC + CONFOUNDER) throw new IntegrityError();
    const k1 = hmac('md5', readKeyBytes(key), msUsage(usage));
    const mac = ciphertext.subarray(0, MAC);
    const k3 = hmac('md5', k1, mac);
    const plain = rc4(k3, ciphertext.subarray(MAC));
    if (!macEqual(hmac('md5', k1, plain), mac)) throw new IntegrityError();
    return plain.subarray(CONFOUNDER);
  },

  // RFC 4757 §4: key = MD4(UTF-16LE(password)); no salt, no parameters. The password arrives as
  // UTF-8 (operations.ts); bytes that are not UTF-8 have no UTF-16 form and are refused.
  stringToKey(password) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(password);
    } catch {
      throw new TgtbridgeError('ERR_CRYPTO_KEY', 'arcfour-hmac password is not valid UTF-8');
    }
    return md4(new Uint8Array(Buffer.from(text, 'utf16le')));
  },

  prf() {
    throw new TgtbridgeError('ERR_CRYPTO_ETYPE', 'arcfour-hmac (etype 23) has no PRF here');
  },
};

/**
 * hmac-md5 (-138), RFC 4757 §4: Ksign = HMAC-MD5(key, "signaturekey\0"),
 * checksum = HMAC-MD5(Ksign, MD5(ms_usage_le32 ‖ data)).
 */
export const HMAC_MD5: ChecksumProfile = {
  cksumtype: CKSUMTYPE.HMAC_MD5,
  keyEtype: ETYPE.RC4_HMAC,
  macLength: MAC,
  compute(key: Key, usage, data) {
    const ksign = hmac('md5', readKeyBytes(key), SIGNATURE_KEY);
    return new Uint8Array(hmac('md5', ksign, digest('md5', msUsage(usage), data)));
  },
};
