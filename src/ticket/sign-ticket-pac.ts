import {
  encTicketPartCodec,
  extractPac,
  replacePac,
  type EncTicketPart,
  type PrincipalName,
} from '../asn1/index.js';
import type { Key } from '../crypto/index.js';
import { TgtbridgeError } from '../errors/index.js';
import { decodePac, PAC_BUFFER_TYPE, signPac, type Pac } from '../pac/index.js';

/**
 * Does a ticket for `sname` get the ticket (16) and full-PAC (19) signatures? MS-PAC §2.8.3/§2.8.4:
 * they "SHOULD be included in tickets that are not encrypted to the krbtgt account (including the
 * change password service) or to a trust account". MIT's k5_pac_should_have_ticket_signature says
 * no for every krbtgt/… name (TGTs, cross-realm) and for kadmin/changepw, yes otherwise.
 */
export function shouldHaveTicketSignature(sname: PrincipalName): boolean {
  const [first, second] = sname.nameString;
  if (first === 'krbtgt') return false;
  return !(first === 'kadmin' && second === 'changepw' && sname.nameString.length === 2);
}

/**
 * The octets the ticket signature (16) covers, MS-PAC §2.8.3: the DER EncTicketPart with the PAC's
 * ad-data replaced by a single zero byte, every other element where it is. MIT's signer builds the
 * ticket with the PAC container first in authorization-data and its verifier re-encodes the ticket
 * in place, so the position must be the one the final ticket has.
 */
export function ticketChecksumInput(encTicketPart: EncTicketPart): Uint8Array {
  const ad = encTicketPart.authorizationData;
  if (ad === undefined) throw new TgtbridgeError('ERR_PAC_FORMAT', 'EncTicketPart has no authorization-data (no PAC)');
  return encTicketPartCodec.encode({ ...withoutRaw(encTicketPart), authorizationData: replacePac(ad, Uint8Array.of(0)) });
}

function withoutRaw(p: EncTicketPart): EncTicketPart {
  const { raw: _raw, ...rest } = p;
  return rest;
}

export interface SignTicketPacInput {
  /** The complete EncTicketPart; its authorization-data holds the unsigned PAC in AD-IF-RELEVANT[AD-WIN2K-PAC]. */
  readonly encTicketPart: EncTicketPart;
  /** Whom the ticket is for: decides the ticket and full signatures. */
  readonly sname: PrincipalName;
  /** The service key (server signature, 6); for a TGT, the krbtgt (or krbtgt_N) key. */
  readonly serverKey: Key;
  /** The krbtgt key of the signing KDC (KDC 7, ticket 16, full 19). */
  readonly kdcKey: Key;
  /** The RODC number when an RODC (or tgtbridge as one) signs. */
  readonly rodcId?: number;
}

/**
 * Sign the PAC inside an EncTicketPart in MIT/MS-PAC order (protocol-reference §3.5): ticket
 * signature over the ticket with the PAC replaced by one zero byte, then full, server, KDC
 * (src/pac signPac). Returns the EncTicketPart with the signed PAC in place of the unsigned one.
 */
export function signTicketPac(input: SignTicketPacInput): EncTicketPart {
  const ad = input.encTicketPart.authorizationData;
  const unsigned = extractPac(ad);
  if (ad === undefined || unsigned === undefined) throw new TgtbridgeError('ERR_PAC_FORMAT', 'EncTicketPart holds no PAC to sign');
  const withTicket = shouldHaveTicketSignature(input.sname);
  const decoded = decodePac(unsigned);
  // A TGT must not carry 16 or 19 (samba-lab.md: Samba copies a stray 19 into the new TGT, broken).
  const pac: Pac = withTicket
    ? decoded
    : { Version: decoded.Version, Buffers: decoded.Buffers.filter((b) => b.ulType !== PAC_BUFFER_TYPE.TICKET_CHECKSUM && b.ulType !== PAC_BUFFER_TYPE.FULL_CHECKSUM) };
  const signed = signPac({
    pac,
    serverKey: input.serverKey,
    kdcKey: input.kdcKey,
    ...(input.rodcId !== undefined ? { rodcId: input.rodcId } : {}),
    ...(withTicket ? { ticketChecksumInput: ticketChecksumInput(input.encTicketPart), includeFullChecksum: true } : { includeFullChecksum: false }),
  });
  return { ...withoutRaw(input.encTicketPart), authorizationData: replacePac(ad, signed) };
}
