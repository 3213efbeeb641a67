import {
  encKdcRepPartCodec,
  encTicketPartVariants,
  NAME_TYPES,
  pacAuthorizationData,
  tgsRepCodec,
  type EncKdcRepPart,
  type EncTicketPart,
} from '../../asn1/index.js';
import { encrypt, KEY_USAGE, randomKey } from '../../crypto/index.js';
import { PAC_BUFFER_TYPE, type Pac } from '../../pac/index.js';
import { sealEncodedTicket } from '../../ticket/index.js';
import type { Writable } from '../../util/index.js';
import { issuedTimes } from './ticket-times.js';
import { resolveTarget, sessionEtype, type Target } from './target.js';
import { must, type TgsState } from './tgs-state.js';

/** TransitedEncoding DOMAIN-X500-COMPRESS with no realm crossed (RFC 4120 §3.3.3.2). */
const NO_TRANSIT = { trType: 1, contents: new Uint8Array(0) } as const;

/** Signature buffers are made anew for each ticket (MS-PAC §2.8); ATTRIBUTES_INFO and REQUESTOR belong in TGTs only. */
const RESIGNED: ReadonlySet<number> = new Set([PAC_BUFFER_TYPE.SERVER_CHECKSUM, PAC_BUFFER_TYPE.PRIVSVR_CHECKSUM, PAC_BUFFER_TYPE.TICKET_CHECKSUM, PAC_BUFFER_TYPE.FULL_CHECKSUM]);
const TGT_ONLY: ReadonlySet<number> = new Set([PAC_BUFFER_TYPE.ATTRIBUTES_INFO, PAC_BUFFER_TYPE.REQUESTOR]);

/**
 * The signed PAC of the new ticket. From a partial TGT: rebuilt from the directory (the RODC's
 * groups are not trusted, MS-KILE §3.3.5.7.1), from the account's template (pac-template.ts).
 * From our own full TGT: its buffers copied as they are, as a DC copies the TGT's PAC into a
 * service ticket (MS-KILE §3.3.5.7) — we built them at the exchange and the KDC signature proves it.
 * A TGT gets server and KDC signatures under the realm krbtgt key only, a service ticket also the
 * ticket (16) and full (19) signatures (MS-PAC §2.8, protocol-reference §3.5).
 */
function signedPac(s: TgsState, target: Target, ticketChecksumInput: () => Uint8Array): Uint8Array {
  const pac = must(s.pac, 'PAC');
  const forTgt = target.isTgt;
  const kdcKey = s.kdc.krbtgtCurrent.key;
  const keys = forTgt
    ? { serverKey: kdcKey, kdcKey, includeFullChecksum: false }
    : { serverKey: target.ticketKey.key, kdcKey, ticketChecksumInput: ticketChecksumInput(), includeFullChecksum: true };
  if (s.kind === 'full') {
    const copy = (): Pac => ({ Version: 0, Buffers: pac.buffers.filter((b) => !RESIGNED.has(b.ulType) && (forTgt || !TGT_ONLY.has(b.ulType))).map((b) => ({ ulType: b.ulType, data: b.data })) });
    return s.kdc.copiedPacs.sign(must(s.pacBytes, 'PAC bytes'), copy, keys);
  }
  return s.kdc.pacTemplates.sign({
    user: must(s.user, 'user'),
    domain: s.kdc.options.directory.domain,
    groupSids: must(s.memberOf, 'groups'),
    authtime: must(s.enc, 'EncTicketPart').authtime,
    clientName: must(s.enc, 'EncTicketPart').cname.nameString.join('/'),
    logonServer: s.kdc.options.policy.logonServer,
    forTgt,
    ...(pac.attributes !== undefined ? { attributes: pac.attributes } : {}),
    ...keys,
  });
}

/**
 * Issue the ticket the guards admitted and wrap it in a TGS-REP (RFC 4120 §3.3.3, §5.4.2): a
 * fresh session key of the negotiated etype; the PAC signed for the target (signedPac); the ticket
 * sealed with the target's key and kvno; EncTGSRepPart ([APPLICATION 26]) under the authenticator
 * subkey (usage 9) or else the TGT session key (usage 8).
 */
export async function issueTgsRep(s: TgsState): Promise<Uint8Array> {
  const target = await resolveTarget(s);
  const times = issuedTimes(s, target.isTgt);
  const etype = sessionEtype(s, target);
  const tgt = must(s.enc, 'EncTicketPart');
  const { kdc } = s;
  const random = kdc.options.random;
  const sessionKey = randomKey(etype, random);
  const key = { keytype: sessionKey.etype, keyvalue: sessionKey.exportBytes() };
  // Records built field by field, OPTIONAL ones set when present (util's Writable says why).
  const unsigned: Writable<Omit<EncTicketPart, 'authorizationData'>> = {
    flags: times.flags,
    key,
    crealm: tgt.crealm,
    cname: tgt.cname,
    transited: NO_TRANSIT,
    authtime: tgt.authtime,
    starttime: times.starttime,
    endtime: times.endtime,
  };
  if (times.renewTill !== undefined) unsigned.renewTill = times.renewTill;
  if (times.caddr !== undefined) unsigned.caddr = times.caddr;
  const encodeWith = encTicketPartVariants(unsigned);
  // The PAC first, then what the TGT and the request carry (authorization-data.ts). The ticket signature
  // covers the EncTicketPart with the PAC as one zero byte (MS-PAC §2.8.3) at its final place, the other
  // elements as they are (what src/ticket's ticketChecksumInput would rebuild).
  const more = must(s.carriedAuthorizationData, 'carried authorization data');
  const signed = signedPac(s, target, () => encodeWith([pacAuthorizationData(Uint8Array.of(0)), ...more]));
  const encoded = encodeWith([pacAuthorizationData(signed), ...more]);
  const ticket = sealEncodedTicket({ realm: kdc.realm, sname: target.sname, encoded, key: target.ticketKey.key, kvno: target.ticketKey.kvno, random });

  const replyKey = s.subkey ?? must(s.sessionKey, 'session key');
  const usage = s.subkey !== undefined ? KEY_USAGE.TGS_REP_ENC_PART_SUBKEY : KEY_USAGE.TGS_REP_ENC_PART_SESSION_KEY;
  const repPart: Writable<EncKdcRepPart> = {
    applicationTag: 26,
    key,
    // LR-TYPE 0: no last-request information is kept (RFC 4120 §5.4.2).
    lastReq: [{ lrType: 0, lrValue: tgt.authtime }],
    nonce: s.req.reqBody.nonce,
    flags: times.flags,
    authtime: tgt.authtime,
    starttime: times.starttime,
    endtime: times.endtime,
    srealm: kdc.realm,
    sname: target.sname,
  };
  if (times.renewTill !== undefined) repPart.renewTill = times.renewTill;
  if (times.caddr !== undefined) repPart.caddr = times.caddr;
  const encPart = encKdcRepPartCodec.encode(repPart);
  return tgsRepCodec.encode({
    crealm: tgt.crealm,
    cname: { nameType: tgt.cname.nameType || NAME_TYPES['NT-PRINCIPAL'], nameString: tgt.cname.nameString },
    ticket,
    encPart: { etype: replyKey.etype, cipher: encrypt(replyKey, usage, encPart, random) },
  });
}
