import {
  apReqCodec,
  APPLICATION_TAGS,
  authenticatorCodec,
  encKdcRepPartCodec,
  tgsRepCodec,
  tgsReqCodec,
  type Authenticator,
  type EncKdcRepPart,
  type KdcReq,
  type PaData,
} from '../../src/asn1/index.js';
import { decrypt, encrypt, Key, KEY_USAGE, verifyChecksum } from '../../src/crypto/index.js';
import { openTicket, sealTicket } from '../../src/ticket/index.js';
import { seededRandom } from '../ticket/support.js';

export interface SeenRequest {
  readonly req: KdcReq;
  readonly authenticator: Authenticator;
  readonly checksumOk: boolean;
}

/**
 * A minimal TGS for tests: opens the TGT with `krbtgtKey`, the authenticator with its session key,
 * checks the body checksum over the received octets, and answers a ticket for the requested sname
 * under `serviceKey`. `mutate` lets a test falsify the reply's encrypted part.
 */
export function fakeKdc(krbtgtKey: Key, serviceKey: Key, mutate: (p: EncKdcRepPart) => EncKdcRepPart = (p) => p) {
  const seen: SeenRequest[] = [];
  const random = seededRandom('kdc');
  const handle = async (der: Uint8Array): Promise<Uint8Array> => {
    const req = tgsReqCodec.decode(der);
    const pa = req.padata!.find((p: PaData) => p.padataType === 1)!;
    const ap = apReqCodec.decode(pa.padataValue);
    const tgt = openTicket(ap.ticket, krbtgtKey).encTicketPart;
    const session = Key.fromBytes(tgt.key.keytype, tgt.key.keyvalue);
    const authenticator = authenticatorCodec.decode(decrypt(session, KEY_USAGE.TGS_REQ_AUTH, ap.authenticator.cipher));
    const raw = req.reqBody.raw!;
    const checksumOk = verifyChecksum(authenticator.cksum!.cksumtype, session, KEY_USAGE.TGS_REQ_AUTH_CKSUM, raw, authenticator.cksum!.checksum);
    seen.push({ req, authenticator, checksumOk });
    const newKey = Key.fromBytes(18, random.bytes(32));
    const sname = req.reqBody.sname!;
    const ticket = sealTicket({
      realm: req.reqBody.realm,
      sname,
      key: serviceKey,
      kvno: 2,
      random,
      encTicketPart: { ...tgt, raw: undefined, key: { keytype: 18, keyvalue: newKey.exportBytes() }, endtime: req.reqBody.till } as never,
    });
    const part = mutate({
      applicationTag: APPLICATION_TAGS.EncTGSRepPart,
      key: { keytype: 18, keyvalue: newKey.exportBytes() },
      lastReq: [],
      nonce: req.reqBody.nonce,
      flags: tgt.flags,
      authtime: tgt.authtime,
      endtime: req.reqBody.till,
      srealm: req.reqBody.realm,
      sname,
    });
    const replyKey = authenticator.subkey ? Key.fromBytes(authenticator.subkey.keytype, authenticator.subkey.keyvalue) : session;
    const usage = authenticator.subkey ? KEY_USAGE.TGS_REP_ENC_PART_SUBKEY : KEY_USAGE.TGS_REP_ENC_PART_SESSION_KEY;
    return tgsRepCodec.encode({
      crealm: tgt.crealm,
      cname: tgt.cname,
      ticket,
      encPart: { etype: replyKey.etype, cipher: encrypt(replyKey, usage, encKdcRepPartCodec.encode(part), random) },
    });
  };
  return { handle, seen };
}
