import {
  apReqCodec,
  authenticatorCodec,
  encKdcRepPartCodec,
  kdcReqBodyCodec,
  KDC_OPTIONS,
  krbErrorCodec,
  NAME_TYPES,
  PA_DATA_TYPES,
  pacAuthorizationData,
  rodcKvno,
  tgsRepCodec,
  tgsReqCodec,
  TICKET_FLAGS,
  type EncKdcRepPart,
  type EncTicketPart,
  type KdcReqBody,
  type PrincipalName,
  type Ticket,
} from '../../../src/asn1/index.js';
import { checksum, decrypt, encrypt, ETYPE, Key, KEY_USAGE, mandatoryChecksumType, randomKey } from '../../../src/crypto/index.js';
import { parseFileDirectory, type Directory } from '../../../src/directory/index.js';
import { createExchangeKdc, defaultExchangePolicy, MemoryReplayCache, type ExchangeKdc, type ExchangePolicy, type VersionedKey } from '../../../src/kdc/index.js';
import { pacBuffer, PAC_BUFFER_TYPE, signPac, type Pac, type PacBufferValue } from '../../../src/pac/index.js';
import { KeySet, partialTgtPac, sealTicket } from '../../../src/ticket/index.js';
import { systemRandom, type Clock } from '../../../src/util/index.js';

export const REALM = 'DEMO.TEST';
export const DOMAIN_SID = 'S-1-5-21-3623811015-3361044348-30300820';
export const RODC_NUMBER = 0xd3ff; // ≥ 0x8000: the kvno goes out as a negative INTEGER, as Samba's krbtgt_54271 did.
export const T0 = new Date('2026-11-27T12:00:00Z');
export const KRBTGT: PrincipalName = { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['krbtgt', REALM] };
export const CIFS: PrincipalName = { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['cifs', 'fs1.demo.test'] };
export const TARGETS = [
  ['krbtgt', KRBTGT],
  ['cifs', CIFS],
] as const;

/** Users for every refusal case (samba-lab.md): Staff ⊂ Allowed RODC Password Replication Group. */
const DIRECTORY_DOC = {
  domain: { sid: DOMAIN_SID },
  groups: [
    { name: 'Staff', rid: 1200, members: ['Engineering'] },
    { name: 'Engineering', rid: 1201 },
    { name: 'Allowed RODC Password Replication Group', members: ['Staff'] },
  ],
  users: [
    { sAMAccountName: 'alice', rid: 1104, displayName: 'Alice Adams', groups: ['Engineering'] },
    { sAMAccountName: 'bob', rid: 1105, groups: ['Staff'] },
    { sAMAccountName: 'carol', rid: 1106, enabled: false, groups: ['Staff'] },
    { sAMAccountName: 'dave', rid: 1107, groups: ['Domain Admins', 'Staff'] },
    { sAMAccountName: 'lena', rid: 1110, lockedOut: true, groups: ['Staff'] },
    { sAMAccountName: 'ed', rid: 1111, accountExpires: '2026-01-01T00:00:00Z', groups: ['Staff'] },
    { sAMAccountName: 'mona', rid: 1112, mustChangePassword: true, groups: ['Staff'] },
    { sAMAccountName: 'olga', rid: 1113 },
    { sAMAccountName: 'FS1$', rid: 1109, kind: 'computer', spns: ['cifs/fs1.demo.test', 'host/fs1.demo.test'] },
  ],
};

export function testDirectory(): Directory {
  return parseFileDirectory(DIRECTORY_DOC, 'test-directory', { realm: REALM, dnsDomain: 'demo.test', netbiosName: 'DEMO' });
}

export function sidOf(rid: number): string {
  return `${DOMAIN_SID}-${rid}`;
}

/** Deterministic keys (fixed bytes) so failures reproduce. */
export function fixedKey(etype: number, seed: number): Key {
  const len = etype === ETYPE.AES128_CTS_HMAC_SHA1_96 || etype === ETYPE.AES128_CTS_HMAC_SHA256_128 || etype === ETYPE.RC4_HMAC ? 16 : 32;
  return Key.fromBytes(etype, Uint8Array.from({ length: len }, (_, i) => (seed * 31 + i * 7) & 0xff));
}

export class TestClock implements Clock {
  at = T0.getTime();
  now(): Date {
    return new Date(this.at);
  }
  advance(sec: number): void {
    this.at += sec * 1000;
  }
}

export interface Lab {
  readonly kdc: ExchangeKdc;
  readonly clock: TestClock;
  readonly rodcKey: Key;
  readonly krbtgtKey: VersionedKey;
  readonly cifsKey: VersionedKey;
  readonly directory: Directory;
}

export function makeLab(
  policy: Partial<ExchangePolicy> = {},
  { directory = testDirectory(), ...extra }: { readonly maxUdpReplyBytes?: number; readonly verifiedTgtCacheSize?: number; readonly directory?: Directory } = {},
): Lab {
  const clock = new TestClock();
  const rodcKey = fixedKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 1);
  const rodcKeys = KeySet.of([{ realm: REALM, rodcNumber: RODC_NUMBER, keyVersion: 1, kvno: rodcKvno(RODC_NUMBER, 1), key: rodcKey, created: T0 }]);
  const krbtgtKey = { kvno: 3, key: fixedKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 2) };
  const krbtgt128 = { kvno: 3, key: fixedKey(ETYPE.AES128_CTS_HMAC_SHA1_96, 3) };
  const cifsKey = { kvno: 5, key: fixedKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 4) };
  const cifs128 = { kvno: 5, key: fixedKey(ETYPE.AES128_CTS_HMAC_SHA1_96, 5) };
  const kdc = createExchangeKdc({
    realm: REALM,
    directory,
    rodcKeys,
    krbtgtKeys: [krbtgtKey, krbtgt128],
    serviceKeys: new Map([['cifs/fs1.demo.test', [cifsKey, cifs128]]]),
    policy: defaultExchangePolicy(DOMAIN_SID, policy),
    clock,
    random: systemRandom,
    replayCache: new MemoryReplayCache({ clock }),
    ...extra,
  });
  return { kdc, clock, rodcKey, krbtgtKey, cifsKey, directory };
}

/** A TGT as a client holds it. */
export interface Tgt {
  readonly ticket: Ticket;
  readonly sessionKey: Key;
  readonly crealm: string;
  readonly cname: PrincipalName;
  readonly enc: EncTicketPart;
}

export interface MintOptions {
  readonly user?: string;
  readonly rid?: number;
  /** Change the unsigned PAC; return undefined for a ticket without PAC. */
  readonly pac?: (pac: Pac) => Pac | undefined;
  readonly signKey?: Key;
  readonly sealKey?: Key;
  readonly kvno?: number;
  readonly authOffsetSec?: number;
  readonly lifetimeSec?: number;
  readonly renewable?: boolean;
  /** Change the finished EncTicketPart (after signing). */
  readonly enc?: (enc: EncTicketPart) => EncTicketPart;
  /** Claim another etype in the ticket's enc-part (e.g. 23, which crypto can only decrypt). */
  readonly encPartEtype?: number;
}

const RIDS: Readonly<Record<string, number>> = { alice: 1104, bob: 1105, carol: 1106, dave: 1107, lena: 1110, ed: 1111, mona: 1112, olga: 1113, ghost: 4242 };

/**
 * A partial TGT as the bridge mints it (src/ticket partialTgtPac + signPac with the krbtgt_N key),
 * with hooks to break exactly one thing.
 */
export function mint(lab: Lab, o: MintOptions = {}): Tgt {
  const user = o.user ?? 'alice';
  const rid = o.rid ?? RIDS[user] ?? 4242;
  const authtime = new Date(lab.clock.at + (o.authOffsetSec ?? 0) * 1000);
  const base = partialTgtPac({ samAccountName: user, sid: sidOf(rid), upn: `${user}@demo.test` }, REALM, authtime);
  const pac = o.pac === undefined ? base : o.pac(base);
  const signKey = o.signKey ?? lab.rodcKey;
  const sessionKey = randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96);
  const renewable = o.renewable ?? true;
  const lifetime = o.lifetimeSec ?? 10 * 3600;
  let enc: EncTicketPart = {
    flags: (TICKET_FLAGS.forwardable | TICKET_FLAGS.initial | TICKET_FLAGS['pre-authent'] | (renewable ? TICKET_FLAGS.renewable : 0)) >>> 0,
    key: { keytype: sessionKey.etype, keyvalue: sessionKey.exportBytes() },
    crealm: REALM,
    cname: { nameType: NAME_TYPES['NT-PRINCIPAL'], nameString: [user] },
    transited: { trType: 1, contents: new Uint8Array(0) },
    authtime,
    starttime: authtime,
    endtime: new Date(authtime.getTime() + lifetime * 1000),
    ...(renewable ? { renewTill: new Date(authtime.getTime() + 7 * 86400 * 1000) } : {}),
    ...(pac === undefined ? {} : { authorizationData: [pacAuthorizationData(signPac({ pac, serverKey: signKey, kdcKey: signKey, rodcId: RODC_NUMBER, includeFullChecksum: false }))] }),
  };
  if (o.enc !== undefined) enc = o.enc(enc);
  const sealKey = o.sealKey ?? lab.rodcKey;
  const sealed = sealTicket({ realm: REALM, sname: KRBTGT, encTicketPart: enc, key: sealKey, kvno: o.kvno ?? rodcKvno(RODC_NUMBER, 1) });
  const ticket = o.encPartEtype === undefined ? sealed : { ...sealed, encPart: { ...sealed.encPart, etype: o.encPartEtype } };
  return { ticket, sessionKey, crealm: REALM, cname: enc.cname, enc };
}

/** Drop PAC buffers of the given types. */
export function without(...types: number[]): (pac: Pac) => Pac {
  return (pac) => ({ Version: pac.Version, Buffers: pac.Buffers.filter((b) => !types.includes(b.ulType)) });
}

/** Replace a buffer by a new value of its type. */
export function replaceValue(v: PacBufferValue): (pac: Pac) => Pac {
  const nb = pacBuffer(v);
  return (pac) => ({ Version: pac.Version, Buffers: pac.Buffers.map((b) => (b.ulType === nb.ulType ? nb : b)) });
}

export { PAC_BUFFER_TYPE };

export interface RequestOptions {
  readonly kdcOptions?: number;
  readonly till?: Date;
  readonly rtime?: Date;
  readonly etypes?: readonly number[];
  readonly subkey?: Key;
  readonly cksum?: 'none' | 'wrong-type' | 'wrong-value';
  readonly ctimeOffsetSec?: number;
  readonly cname?: PrincipalName;
  readonly nonce?: number;
}

/** A TGS-REQ made by hand (RFC 4120 §3.3.1), so each part can be broken on its own. */
export function tgsRequest(lab: Lab, tgt: Tgt, sname: PrincipalName, o: RequestOptions = {}): Uint8Array {
  const now = lab.clock.at + (o.ctimeOffsetSec ?? 0) * 1000;
  const body: KdcReqBody = {
    kdcOptions: (o.kdcOptions ?? KDC_OPTIONS.forwardable | KDC_OPTIONS.renewable | KDC_OPTIONS.canonicalize | KDC_OPTIONS['renewable-ok']) >>> 0,
    realm: REALM,
    sname,
    till: o.till ?? new Date(lab.clock.at + 24 * 3600 * 1000),
    ...(o.rtime !== undefined ? { rtime: o.rtime } : {}),
    nonce: o.nonce ?? 12345,
    etype: o.etypes ?? [ETYPE.AES256_CTS_HMAC_SHA1_96, ETYPE.AES128_CTS_HMAC_SHA1_96],
  };
  const raw = kdcReqBodyCodec.encode(body);
  const key = tgt.sessionKey;
  const type = mandatoryChecksumType(key.etype);
  let cksum: { cksumtype: number; checksum: Uint8Array } | undefined = { cksumtype: type, checksum: checksum(type, key, KEY_USAGE.TGS_REQ_AUTH_CKSUM, raw) };
  if (o.cksum === 'none') cksum = undefined;
  if (o.cksum === 'wrong-type') cksum = { cksumtype: 7, checksum: new Uint8Array(16) };
  if (o.cksum === 'wrong-value') cksum = { cksumtype: type, checksum: checksum(type, key, KEY_USAGE.TGS_REQ_AUTH_CKSUM, Uint8Array.of(1, 2, 3)) };
  const authenticator = authenticatorCodec.encode({
    crealm: tgt.crealm,
    cname: o.cname ?? tgt.cname,
    ...(cksum !== undefined ? { cksum } : {}),
    cusec: 0,
    ctime: new Date(Math.floor(now / 1000) * 1000),
    ...(o.subkey !== undefined ? { subkey: { keytype: o.subkey.etype, keyvalue: o.subkey.exportBytes() } } : {}),
  });
  const apReq = apReqCodec.encode({ apOptions: 0, ticket: tgt.ticket, authenticator: { etype: key.etype, cipher: encrypt(key, KEY_USAGE.TGS_REQ_AUTH, authenticator) } });
  return tgsReqCodec.encode({ padata: [{ padataType: PA_DATA_TYPES['PA-TGS-REQ'], padataValue: apReq }], reqBody: { ...body, raw } });
}


export type Outcome =
  | { readonly kind: 'error'; readonly code: number; readonly eText: string | undefined }
  | { readonly kind: 'rep'; readonly ticket: Ticket; readonly encPart: EncKdcRepPart; readonly tgt: Tgt };

/** Send through handle() and open the answer: the KRB-ERROR code, or the TGS-REP decrypted with the TGT session key (or subkey). */
export async function exchange(lab: Lab, tgt: Tgt, sname: PrincipalName, o: RequestOptions = {}): Promise<Outcome> {
  const reply = await lab.kdc.handle(tgsRequest(lab, tgt, sname, o), { transport: 'direct', address: 'test' });
  if (reply === undefined) throw new Error('no reply');
  return openReply(reply, o.subkey ?? tgt.sessionKey, o.subkey !== undefined);
}

export function openReply(reply: Uint8Array, key: Key, subkey = false): Outcome {
  if (reply[0] === 0x7e) {
    const e = krbErrorCodec.decode(reply);
    return { kind: 'error', code: e.errorCode, eText: e.eText };
  }
  const rep = tgsRepCodec.decode(reply);
  const encPart = encKdcRepPartCodec.decode(decrypt(key, subkey ? KEY_USAGE.TGS_REP_ENC_PART_SUBKEY : KEY_USAGE.TGS_REP_ENC_PART_SESSION_KEY, rep.encPart.cipher));
  const sessionKey = Key.fromBytes(encPart.key.keytype, encPart.key.keyvalue);
  return { kind: 'rep', ticket: rep.ticket, encPart, tgt: { ticket: rep.ticket, sessionKey, crealm: rep.crealm, cname: rep.cname, enc: undefined as never } };
}

/** The error code of an outcome, or 0 for a TGS-REP: tests read `expect(code(...)).toBe(20)`. */
export function code(o: Outcome): number {
  return o.kind === 'error' ? o.code : 0;
}
