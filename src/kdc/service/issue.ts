import {
  encKdcRepPartCodec,
  NAME_TYPES,
  pacAuthorizationData,
  tgsRepCodec,
  type EncTicketPart,
} from '../../asn1/index.js';
import { encrypt, KEY_USAGE, randomKey } from '../../crypto/index.js';
import { encodePac, PAC_BUFFER_TYPE, signPac } from '../../pac/index.js';
import { sealTicket, signTicketPac } from '../../ticket/index.js';
import { directoryPac } from './directory-pac.js';
import { issuedTimes } from './ticket-times.js';
import { resolveTarget, sessionEtype } from './target.js';
import { must, type TgsState } from './tgs-state.js';

/** TransitedEncoding DOMAIN-X500-COMPRESS with no realm crossed (RFC 4120 §3.3.3.2). */
const NO_TRANSIT = { trType: 1, contents: new Uint8Array(0) } as const;

function attributesOf(s: TgsState): number | undefined {
  const b = s.pac?.pac.Buffers.find((x) => x.ulType === PAC_BUFFER_TYPE.ATTRIBUTES_INFO);
  return b?.value?.type === 'ATTRIBUTES_INFO' ? b.value.value.Flags[0] : undefined;
}

/**
 * Issue the ticket the guards admitted and wrap it in a TGS-REP (RFC 4120 §3.3.3, §5.4.2): a
 * fresh session key of the negotiated etype; the PAC rebuilt from the directory and signed for
 * the target — a TGT gets server and KDC signatures under the realm krbtgt key only, a service
 * ticket also the ticket (16) and full (19) signatures (MS-PAC §2.8, protocol-reference §3.5);
 * the ticket sealed with the target's key and kvno; EncTGSRepPart ([APPLICATION 26]) under the
 * authenticator subkey (usage 9) or else the TGT session key (usage 8).
 */
export async function issueTgsRep(s: TgsState): Promise<Uint8Array> {
  const target = await resolveTarget(s);
  const times = issuedTimes(s);
  const etype = sessionEtype(s, target);
  const tgt = must(s.enc, 'EncTicketPart');
  const user = must(s.user, 'user');
  const { kdc } = s;
  const random = kdc.options.random;
  const sessionKey = randomKey(etype, random);

  const pac = directoryPac({
    user,
    domain: kdc.options.directory.domain,
    groupSids: must(s.memberOf, 'groups'),
    authtime: tgt.authtime,
    logonServer: kdc.options.policy.logonServer,
    forTgt: target.isTgt,
    ...(attributesOf(s) !== undefined ? { attributes: attributesOf(s)! } : {}),
  });
  const krbtgtKey = kdc.krbtgtCurrent.key;
  const unsigned: EncTicketPart = {
    flags: times.flags,
    key: { keytype: sessionKey.etype, keyvalue: sessionKey.exportBytes() },
    crealm: tgt.crealm,
    cname: tgt.cname,
    transited: NO_TRANSIT,
    authtime: tgt.authtime,
    starttime: times.starttime,
    endtime: times.endtime,
    ...(times.renewTill !== undefined ? { renewTill: times.renewTill } : {}),
    ...(tgt.caddr !== undefined ? { caddr: tgt.caddr } : {}),
    authorizationData: [pacAuthorizationData(encodePac(pac))],
  };
  // A TGT has no ticket signature, so its PAC is signed directly (no EncTicketPart round trip).
  const encTicketPart = target.isTgt
    ? { ...unsigned, authorizationData: [pacAuthorizationData(signPac({ pac, serverKey: krbtgtKey, kdcKey: krbtgtKey, includeFullChecksum: false }))] }
    : signTicketPac({ encTicketPart: unsigned, sname: target.sname, serverKey: target.ticketKey.key, kdcKey: krbtgtKey });
  const ticket = sealTicket({ realm: kdc.realm, sname: target.sname, encTicketPart, key: target.ticketKey.key, kvno: target.ticketKey.kvno, random });

  const replyKey = s.subkey ?? must(s.sessionKey, 'session key');
  const usage = s.subkey !== undefined ? KEY_USAGE.TGS_REP_ENC_PART_SUBKEY : KEY_USAGE.TGS_REP_ENC_PART_SESSION_KEY;
  const encPart = encKdcRepPartCodec.encode({
    applicationTag: 26,
    key: encTicketPart.key,
    // LR-TYPE 0: no last-request information is kept (RFC 4120 §5.4.2).
    lastReq: [{ lrType: 0, lrValue: tgt.authtime }],
    nonce: s.req.reqBody.nonce,
    flags: times.flags,
    authtime: tgt.authtime,
    starttime: times.starttime,
    endtime: times.endtime,
    ...(times.renewTill !== undefined ? { renewTill: times.renewTill } : {}),
    srealm: kdc.realm,
    sname: target.sname,
    ...(tgt.caddr !== undefined ? { caddr: tgt.caddr } : {}),
  });
  return tgsRepCodec.encode({
    crealm: tgt.crealm,
    cname: { nameType: tgt.cname.nameType || NAME_TYPES['NT-PRINCIPAL'], nameString: tgt.cname.nameString },
    ticket,
    encPart: { etype: replyKey.etype, cipher: encrypt(replyKey, usage, encPart, random) },
  });
}
