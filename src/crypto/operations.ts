import { TgtbridgeError } from '../errors/index.js';
import { systemRandom, type RandomSource } from '../util/index.js';
import { ETYPE, etypeName } from './constants.js';
import { checksumProfile, enctypeProfile } from './etypes.js';
import { Key } from './key.js';
import { macEqual } from './mac.js';

/**
 * The public operations of RFC 3961 §3–4 over the enctype table. Bad input from the wire is a
 * domain error (IntegrityError, ERR_CRYPTO_*); a usage that is not a 32-bit unsigned integer is a
 * programmer mistake (RangeError).
 */

function checkUsage(usage: number): void {
  if (!Number.isInteger(usage) || usage < 0 || usage > 0xffffffff) throw new RangeError('key usage must be a uint32');
}

/**
 * RFC 3961 §3 encrypt: fresh confounder from `random` (default: node:crypto's CSPRNG through a
 * small pool, util's systemRandom), then the etype's profile.
 */
export function encrypt(key: Key, usage: number, plaintext: Uint8Array, random: RandomSource = systemRandom): Uint8Array {
  checkUsage(usage);
  const profile = enctypeProfile(key.etype);
  const confounder = random.bytes(profile.confounderLength);
  if (confounder.length !== profile.confounderLength) throw new RangeError('RandomSource returned the wrong length');
  return profile.encrypt(key, usage, confounder, plaintext);
}

/** RFC 3961 §3 decrypt. Every failure (short input, wrong key, flipped bit) is the same IntegrityError. */
export function decrypt(key: Key, usage: number, ciphertext: Uint8Array): Uint8Array {
  checkUsage(usage);
  return enctypeProfile(key.etype).decrypt(key, usage, ciphertext);
}

function checksumFor(cksumtype: number, key: Key) {
  const c = checksumProfile(cksumtype);
  if (c.keyEtype !== key.etype) {
    throw new TgtbridgeError('ERR_CRYPTO_KEY', `checksum type ${cksumtype} needs a ${etypeName(c.keyEtype)} key, got ${etypeName(key.etype)}`);
  }
  return c;
}

/**
 * RFC 3961 §4 get_mic. The key must be of the etype the checksum type is defined for
 * (ERR_CRYPTO_KEY otherwise); an unsupported checksum type is ERR_CRYPTO_ETYPE.
 */
export function checksum(cksumtype: number, key: Key, usage: number, data: Uint8Array): Uint8Array {
  checkUsage(usage);
  return checksumFor(cksumtype, key).compute(key, usage, data);
}

/** RFC 3961 §4 verify_mic, constant time. Errors as for checksum(). */
export function verifyChecksum(cksumtype: number, key: Key, usage: number, data: Uint8Array, mac: Uint8Array): boolean {
  checkUsage(usage);
  return macEqual(checksumFor(cksumtype, key).compute(key, usage, data), mac);
}

/** RFC 3961 §4 "required checksum mechanism" of an etype. */
export function mandatoryChecksumType(etype: number): number {
  return enctypeProfile(etype).mandatoryCksumtype;
}

function bytesOf(text: string | Uint8Array): Uint8Array {
  return typeof text === 'string' ? new TextEncoder().encode(text) : text;
}

/**
 * RFC 3961 §3 string-to-key. Password and string salt are taken as UTF-8 (RFC 4120 §3.1.3 leaves
 * it open; MIT, Heimdal and Windows use UTF-8). `params` are the s2kparams from ETYPE-INFO2, e.g.
 * a 4-byte big-endian iteration count for AES (see s2k-params.ts for what counts are accepted).
 */
export function stringToKey(etype: number, password: string | Uint8Array, salt: string | Uint8Array, params?: Uint8Array): Key {
  const profile = enctypeProfile(etype);
  return Key.fromBytes(etype, profile.stringToKey(bytesOf(password), bytesOf(salt), params));
}

/**
 * The s2kparams an etype uses when the KDC sends none (what a KDC would put in ETYPE-INFO2):
 * 4096 iterations for 17/18, 32768 for 19/20, none for 23.
 */
export function defaultS2kParams(etype: number): Uint8Array | undefined {
  const p = enctypeProfile(etype).defaultS2kParams;
  return p === undefined ? undefined : Uint8Array.from(p);
}

/** RFC 3961 §3 random-to-key: identity for AES and RC4 (RFC 3962 §6, RFC 8009 §5, RFC 4757 §4). */
export function randomToKey(etype: number, bytes: Uint8Array): Key {
  const profile = enctypeProfile(etype);
  if (bytes.length !== profile.seedLength) {
    throw new TgtbridgeError('ERR_CRYPTO_KEY', `random-to-key for ${profile.name} takes ${profile.seedLength} bytes`);
  }
  return Key.fromBytes(etype, bytes);
}

/** A fresh random key (session keys, new krbtgt keys). */
export function randomKey(etype: number, random: RandomSource = systemRandom): Key {
  return randomToKey(etype, random.bytes(enctypeProfile(etype).seedLength));
}

/** RFC 3961 §3 pseudo-random function (RFC 3962 §6, RFC 8009 §5). */
export function prf(key: Key, data: Uint8Array): Uint8Array {
  return enctypeProfile(key.etype).prf(key, data);
}

/** The rc4-hmac (23) key of an account: its NT hash, MD4(UTF-16LE(password)) (RFC 4757 §4). */
export function ntHashKey(ntHash: Uint8Array): Key {
  return Key.fromBytes(ETYPE.RC4_HMAC, ntHash);
}
