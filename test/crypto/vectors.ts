import { loadFixture } from './fixtures.js';

/** Typed views of the MIT-derived fixtures (krb-fixtures/crypto/mit-*.json). */
export interface DecryptVector {
  etype: number;
  plaintext: string;
  usage: number;
  key: string;
  ciphertext: string;
}
export interface DeriveVector {
  etype: number;
  key: string;
  constant: string;
  alg: 'DERIVE_RFC3961' | 'DERIVE_SP800_108_HMAC';
  derived: string;
}
export interface CksumVector {
  data: string;
  cksumtype: number;
  etype: number;
  usage: number;
  key: string;
  checksum: string;
}
export interface PrfVector {
  etype: number;
  key: string;
  input: string;
  output: string;
}

export const mitDecrypt = loadFixture<{ vectors: DecryptVector[] }>('mit-t-decrypt.json').vectors;
export const mitDerive = loadFixture<{ vectors: DeriveVector[] }>('mit-t-derive.json').vectors;
export const mitCksums = loadFixture<{ vectors: CksumVector[] }>('mit-t-cksums.json').vectors;
export const mitPrf = loadFixture<{ vectors: PrfVector[] }>('mit-t-prf.json').vectors;
