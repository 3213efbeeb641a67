import { sequenceOf } from './der-writer.js';
import { decodeSequenceOf, makeCodec } from './der-fields.js';
import { decodeInt32, encodeInt32 } from './basic-types.js';
import { encodeEncryptionKey, readEncryptionKey } from './encryption-key.js';
import type { EncryptionKey } from './types.js';

/** padata-types of the key-list exchange, MS-KILE §2.2.11 / §2.2.12. */
export const KERB_KEY_LIST_PA_TYPES = {
  'KERB-KEY-LIST-REQ': 161,
  'KERB-KEY-LIST-REP': 162,
} as const;

/**
 * KERB-KEY-LIST-REQ ::= SEQUENCE OF Int32 -- encryption type --
 * MS-KILE §2.2.11: the etypes of the long-term keys the client asks for (23 for the NT hash).
 */
export const kerbKeyListReqCodec = makeCodec<readonly number[]>(
  'KERB-KEY-LIST-REQ',
  (r) => decodeSequenceOf(r, 'Int32', decodeInt32),
  (v) => sequenceOf(v, encodeInt32),
);

/**
 * KERB-KEY-LIST-REP ::= SEQUENCE OF EncryptionKey
 * MS-KILE §2.2.12: carried in EncKDCRepPart.encrypted-pa-data of the TGS-REP.
 */
export const kerbKeyListRepCodec = makeCodec<readonly EncryptionKey[]>(
  'KERB-KEY-LIST-REP',
  (r) => decodeSequenceOf(r, 'EncryptionKey', readEncryptionKey),
  (v) => sequenceOf(v, encodeEncryptionKey),
);
