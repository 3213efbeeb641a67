import { NAME_TYPES, pacAuthorizationData, rodcKvno, splitKvno, TICKET_FLAGS, type EncTicketPart } from '../asn1/index.js';
import { ETYPE, Key, randomKey } from '../crypto/index.js';
import { TgtbridgeError } from '../errors/index.js';
import { signPac } from '../pac/index.js';
import { PARTIAL_TGT_FLAGS, sealTicket, type KeytabEntryLike } from '../ticket/index.js';
import type { Clock, RandomSource } from '../util/index.js';
import { partialPacVariant, type ProbeUser } from './pac-variants.js';
import { TIMES, type MintedProbeTgt, type MintSpec, type TimesSpec } from './scenario.js';

/** The RODC keys a probe mints with, read from krbtgt_N's keytab. */
export interface RodcKeyring {
  readonly rodcNumber: number;
  /** The highest key version of the AES256 key. */
  readonly keyVersion: number;
  readonly aes256: Key;
  /** krbtgt_N's AES128 key of that version, when the keytab holds one. */
  readonly aes128?: Key;
}

/**
 * The keyring from keytab entries of krbtgt_N: the AES256 entry of the highest version whose kvno
 * carries an RODC number (samba-tool exports (N << 16) | v), and the AES128 entry of the same kvno.
 */
export function rodcKeyring(entries: readonly KeytabEntryLike[]): RodcKeyring {
  const rodc = entries
    .filter((e) => e.key.keytype === ETYPE.AES256_CTS_HMAC_SHA1_96 || e.key.keytype === ETYPE.AES128_CTS_HMAC_SHA1_96)
    .map((e) => ({ ...splitKvno(e.kvno >>> 0), kvno: e.kvno >>> 0, etype: e.key.keytype, key: Key.fromBytes(e.key.keytype, e.key.keyvalue) }))
    .filter((e) => e.rodcNumber !== 0);
  const best = rodc.filter((e) => e.etype === ETYPE.AES256_CTS_HMAC_SHA1_96).sort((a, b) => b.keyVersion - a.keyVersion)[0];
  if (best === undefined) throw new TgtbridgeError('ERR_KEY_SET', 'the RODC keytab has no AES256 key with an RODC number in its kvno');
  const aes128 = rodc.find((e) => e.etype === ETYPE.AES128_CTS_HMAC_SHA1_96 && e.kvno === best.kvno);
  return { rodcNumber: best.rodcNumber, keyVersion: best.keyVersion, aes256: best.key, ...(aes128 !== undefined ? { aes128: aes128.key } : {}) };
}

export interface MintContext {
  readonly realm: string;
  readonly keys: RodcKeyring;
  readonly user: ProbeUser;
  readonly other: ProbeUser;
  readonly clock: Clock;
  readonly random: RandomSource;
}

export interface MintedForProbe extends MintedProbeTgt {
  readonly sessionKey: Key;
  readonly encTicketPart: EncTicketPart;
  /** Notes for the matrix's detail column (e.g. a substituted key). */
  readonly notes: readonly string[];
}

const RENEW_SEC = 7 * 86400;

/** The bridge's partial-TGT flags (less renewable when not renewable), with spec.flags set and spec.clearFlags cleared. */
function probeTicketFlags(spec: MintSpec, renewable: boolean): number {
  let flags = renewable ? PARTIAL_TGT_FLAGS : PARTIAL_TGT_FLAGS & ~TICKET_FLAGS.renewable;
  for (const name of spec.flags ?? []) flags |= TICKET_FLAGS[name];
  for (const name of spec.clearFlags ?? []) flags &= ~TICKET_FLAGS[name];
  return flags >>> 0;
}
/** A realm no DC serves (RFC 6761 reserves .invalid). */
const OTHER_REALM = 'OTHER.INVALID';
/** A key version no DC has issued for krbtgt_N (versions count up from 1 on each rotation). */
const UNKNOWN_VERSION_STEP = 100;

/** An RODC number next to ours, i.e. one no RODC object in a one-RODC realm has. */
export function unknownRodcNumber(own: number): number {
  return own >= 0xffff ? own - 1 : own + 1;
}

function pickKey(spec: MintSpec, keys: RodcKeyring, random: RandomSource, notes: string[]): Key {
  switch (spec.key ?? 'rodc-aes256') {
    case 'rodc-aes256':
      return keys.aes256;
    case 'rodc-aes128':
      if (keys.aes128 !== undefined) return keys.aes128;
      notes.push('no AES128 key in the RODC keytab: a random AES128 key stands in');
      return randomKey(ETYPE.AES128_CTS_HMAC_SHA1_96, random);
    case 'wrong':
      return randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96, random);
  }
}

/**
 * A partial TGT as a scenario describes it. Without options it is exactly ticket's
 * mintPartialTgt's ticket with the minimal PAC; each MintSpec field departs from that in one way.
 * Built here rather than with mintPartialTgt because that function refuses, by design, the keys,
 * numbers and times these scenarios need to send.
 */
export function mintForProbe(spec: MintSpec, ctx: MintContext): MintedForProbe {
  const notes: string[] = [];
  const times: TimesSpec = spec.times ?? TIMES.valid;
  const now = Math.floor(ctx.clock.now().getTime() / 1000) * 1000;
  const at = (s: number): Date => new Date(now + s * 1000);
  const authtime = at(times.authtime);
  const renewable = spec.renewable ?? true;

  const rodcNumber = spec.rodcNumber === 'unknown' ? unknownRodcNumber(ctx.keys.rodcNumber) : ctx.keys.rodcNumber;
  const keyVersion = spec.keyVersion === 'unknown' ? (ctx.keys.keyVersion + UNKNOWN_VERSION_STEP) & 0xffff : ctx.keys.keyVersion;
  const key = pickKey(spec, ctx.keys, ctx.random, notes);
  const kvno = rodcKvno(rodcNumber, keyVersion);

  const variant = spec.pac ?? 'minimal';
  const pac = partialPacVariant(variant, ctx.user, ctx.other, ctx.realm, authtime);
  const signed =
    pac === undefined
      ? undefined
      : signPac({
          pac,
          // MS-PAC §2.8.4: the server signature of a TGT is made with the krbtgt(_N) key; here any other.
          serverKey: variant === 'bad-server-checksum' ? randomKey(key.etype, ctx.random) : key,
          kdcKey: key,
          rodcId: rodcNumber,
          includeFullChecksum: variant === 'full-checksum-inside',
        });
  const sessionKey = randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96, ctx.random);
  const endtime = at(times.endtime);
  const renewTill = new Date(Math.max(authtime.getTime() + RENEW_SEC * 1000, endtime.getTime()));
  const encTicketPart: EncTicketPart = {
    flags: probeTicketFlags(spec, renewable),
    key: { keytype: sessionKey.etype, keyvalue: sessionKey.exportBytes() },
    crealm: spec.clientRealm === 'other' ? OTHER_REALM : ctx.realm,
    cname: { nameType: NAME_TYPES['NT-PRINCIPAL'], nameString: [ctx.user.name] },
    // RFC 4120 §3.3.3.2: DOMAIN-X500-COMPRESS with no realm transited.
    transited: { trType: 1, contents: new Uint8Array(0) },
    authtime,
    starttime: at(times.starttime ?? times.authtime),
    endtime,
    ...(renewable ? { renewTill } : {}),
    ...(signed !== undefined ? { authorizationData: [pacAuthorizationData(signed)] } : {}),
  };
  const sname = { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['krbtgt', ctx.realm] };
  const ticket = sealTicket({ realm: ctx.realm, sname, encTicketPart, key, kvno, random: ctx.random });
  return { ticket, sessionKey, encTicketPart, rodcNumber, keyVersion, notes };
}

