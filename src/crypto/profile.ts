import type { Key } from './key.js';

/**
 * One encryption type as a row of data (the shape of MIT's krb5_keytypes table): sizes, the
 * mandatory checksum, and the operations. Adding an etype means adding a row, not a switch case.
 */
export interface EnctypeProfile {
  readonly etype: number;
  readonly name: string;
  /** Protocol key length in bytes. */
  readonly keyLength: number;
  /** Random octets random-to-key consumes (RFC 3961 §3, "key-generation seed length"). */
  readonly seedLength: number;
  readonly confounderLength: number;
  /** Bytes of MAC at the end (or, for rc4-hmac, the start) of the ciphertext. */
  readonly macLength: number;
  readonly mandatoryCksumtype: number;
  /** s2kparams used when the KDC sends none (RFC 3962 §4, RFC 8009 §4). */
  readonly defaultS2kParams: Uint8Array | undefined;
  /** confounder is exactly confounderLength bytes. */
  encrypt(key: Key, usage: number, confounder: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Throws IntegrityError on any failure. */
  decrypt(key: Key, usage: number, ciphertext: Uint8Array): Uint8Array;
  /** Returns raw key bytes; params already validated to be present for etypes that need them. */
  stringToKey(password: Uint8Array, salt: Uint8Array, params: Uint8Array | undefined): Uint8Array;
  prf(key: Key, data: Uint8Array): Uint8Array;
}

/** A keyed checksum type (RFC 3961 §4 "checksum mechanism"). */
export interface ChecksumProfile {
  readonly cksumtype: number;
  /** The key's etype this checksum is defined for (MIT's "enc" column). */
  readonly keyEtype: number;
  readonly macLength: number;
  compute(key: Key, usage: number, data: Uint8Array): Uint8Array;
}
