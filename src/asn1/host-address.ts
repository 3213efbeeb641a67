import type { DerReader } from './der-reader.js';
import { explicit, sequence, sequenceOf, type Der } from './der-writer.js';
import { decodeSequence, decodeSequenceOf, field, makeCodec } from './der-fields.js';
import { decodeInt32, decodeOctetString, encodeInt32, encodeOctetString } from './basic-types.js';
import type { HostAddress } from './types.js';

/** Address types — RFC 4120 §7.5.3. */
export const ADDRESS_TYPES = {
  IPv4: 2,
  Directional: 3,
  ChaosNet: 5,
  XNS: 6,
  ISO: 7,
  DECNET_Phase_IV: 12,
  AppleTalk_DDP: 16,
  NetBios: 20,
  IPv6: 24,
} as const;

/**
 * HostAddress ::= SEQUENCE  {
 *         addr-type       [0] Int32,
 *         address         [1] OCTET STRING
 * }
 * RFC 4120 §5.2.5.
 */
export function readHostAddress(r: DerReader): HostAddress {
  return decodeSequence(r, 'HostAddress', (f) => ({
    addrType: field(f, 0, 'addr-type', decodeInt32),
    address: field(f, 1, 'address', decodeOctetString),
  }));
}

export function encodeHostAddress(a: HostAddress): Der {
  return sequence(explicit(0, encodeInt32(a.addrType)), explicit(1, encodeOctetString(a.address)));
}

/** HostAddresses ::= SEQUENCE OF HostAddress */
export function readHostAddresses(r: DerReader): HostAddress[] {
  return decodeSequenceOf(r, 'HostAddress', readHostAddress);
}

export function encodeHostAddresses(list: readonly HostAddress[]): Der {
  return sequenceOf(list, encodeHostAddress);
}

export const hostAddressCodec = makeCodec('HostAddress', readHostAddress, encodeHostAddress);
export const hostAddressesCodec = makeCodec('HostAddresses', readHostAddresses, encodeHostAddresses);
