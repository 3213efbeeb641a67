import { NAME_TYPES, rodcKvno, splitKvno } from '../asn1/index.js';
import { ETYPE, etypeName, Key, randomKey } from '../crypto/index.js';
import { TgtbridgeError } from '../errors/index.js';
import { bytesEqual, type RandomSource } from '../util/index.js';

/**
 * A keytab entry as src/files decodes and encodes it (structurally the same type: the ticket
 * module sits below files in DESIGN.md's table and does not import it).
 */
export interface KeytabEntryLike {
  readonly principal: { readonly nameType: number; readonly components: readonly string[]; readonly realm: string };
  readonly timestamp: Date;
  readonly kvno: number;
  readonly key: { readonly keytype: number; readonly keyvalue: Uint8Array };
}

/** One version of krbtgt_N's AES256 key. `created` is when it entered the set (the keytab timestamp). */
export interface KeySetEntry {
  readonly realm: string;
  readonly rodcNumber: number;
  readonly keyVersion: number;
  /** (N << 16) | v, unsigned. */
  readonly kvno: number;
  readonly key: Key;
  readonly created: Date;
}

/** `krbtgt_N@REALM`, the name AD gives the RODC's krbtgt account. */
export function keySetPrincipal(rodcNumber: number, realm: string): string {
  return `krbtgt_${rodcNumber}@${realm}`;
}

const KRBTGT_N = /^krbtgt_(\d{1,5})$/;

/**
 * Why a keytab entry cannot be used to mint, or undefined when it can. The DC accepts only the
 * AES256 key (AES128/RC4 → KRB_AP_ERR_BADKEYVER) and finds krbtgt_N by the RODC number in the kvno's
 * high 16 bits (without it → KRB_AP_ERR_BAD_INTEGRITY): samba-lab.md.
 */
export function keytabEntryProblem(e: KeytabEntryLike): string | undefined {
  const [name, ...more] = e.principal.components;
  const m = more.length === 0 && name !== undefined ? KRBTGT_N.exec(name) : null;
  if (m === null) return `principal ${e.principal.components.join('/')}@${e.principal.realm} is not krbtgt_N`;
  if (e.key.keytype !== ETYPE.AES256_CTS_HMAC_SHA1_96) {
    return `${etypeName(e.key.keytype)} key: only the AES256 key (aes256-cts-hmac-sha1-96) of krbtgt_N is accepted by the DC`;
  }
  const { rodcNumber, keyVersion } = splitKvno(e.kvno >>> 0);
  if (rodcNumber === 0) return `kvno ${e.kvno} has no RODC number in its high 16 bits (expected (N << 16) | version)`;
  if (rodcNumber !== Number(m[1])) return `kvno ${e.kvno} carries RODC number ${rodcNumber}, but the principal is ${name}`;
  if (keyVersion === 0) return `kvno ${e.kvno} has key version 0`;
  if (e.key.keyvalue.length !== 32) return `AES256 key of ${e.key.keyvalue.length} bytes`;
  return undefined;
}

/**
 * The bridge's krbtgt_N keys, indexed by kvno (DESIGN.md "Key material"). Immutable: every change
 * returns a new set. One RODC number and realm per set. The current version is the highest; a
 * version is superseded when the next one was created, and stays usable for tickets minted under
 * it until those can no longer be used (see prune).
 */
export class KeySet {
  readonly entries: readonly KeySetEntry[];

  private constructor(entries: readonly KeySetEntry[]) {
    this.entries = [...entries].sort((a, b) => a.keyVersion - b.keyVersion);
  }

  static empty(): KeySet {
    return new KeySet([]);
  }

  /** Build a set from entries; throws ERR_KEY_SET naming the first entry the DC would not accept. */
  static of(entries: readonly KeySetEntry[]): KeySet {
    let set = KeySet.empty();
    for (const e of entries) set = set.add(e);
    return set;
  }

  /**
   * A set from keytab entries. Entries for other principals are skipped when `principal`
   * (`krbtgt_N`, with or without @REALM) is given; every matching entry must be usable, or the
   * whole load is refused with the reason (the bridge must not start on a key it cannot use).
   */
  static fromKeytab(entries: readonly KeytabEntryLike[], principal?: string): { set: KeySet; skipped: readonly { entry: KeytabEntryLike; reason: string }[] } {
    const skipped: { entry: KeytabEntryLike; reason: string }[] = [];
    const usable: KeySetEntry[] = [];
    const [wantName, wantRealm] = (principal ?? '').split('@');
    for (const e of entries) {
      const name = e.principal.components.join('/');
      if (principal !== undefined && (name !== wantName || (wantRealm !== undefined && wantRealm !== e.principal.realm))) {
        skipped.push({ entry: e, reason: `not ${principal}` });
        continue;
      }
      const problem = keytabEntryProblem(e);
      if (problem !== undefined) {
        // An import names its principal: other etypes of it are expected and skipped with their reason.
        if (principal !== undefined && e.key.keytype !== ETYPE.AES256_CTS_HMAC_SHA1_96) {
          skipped.push({ entry: e, reason: problem });
          continue;
        }
        throw new TgtbridgeError('ERR_KEY_SET', `${name}@${e.principal.realm} kvno ${e.kvno}: ${problem}`);
      }
      const { rodcNumber, keyVersion } = splitKvno(e.kvno >>> 0);
      usable.push({
        realm: e.principal.realm,
        rodcNumber,
        keyVersion,
        kvno: e.kvno >>> 0,
        key: Key.fromBytes(e.key.keytype, e.key.keyvalue),
        created: e.timestamp,
      });
    }
    return { set: KeySet.of(usable), skipped };
  }

  /** Keytab entries for src/files encodeKeytab (NT-PRINCIPAL krbtgt_N@REALM, 32-bit kvno). */
  toKeytab(): KeytabEntryLike[] {
    return this.entries.map((e) => ({
      principal: { nameType: NAME_TYPES['NT-PRINCIPAL'], components: [`krbtgt_${e.rodcNumber}`], realm: e.realm },
      timestamp: e.created,
      kvno: e.kvno,
      key: { keytype: e.key.etype, keyvalue: e.key.exportBytes() },
    }));
  }

  get size(): number {
    return this.entries.length;
  }

  /** The version new tickets are minted with: the highest. ERR_KEY_SET when the set is empty. */
  current(): KeySetEntry {
    const last = this.entries[this.entries.length - 1];
    if (last === undefined) throw new TgtbridgeError('ERR_KEY_SET', 'no krbtgt_N key: import one with `tgtbridge keys import` (or `keys rotate` for the embedded domain)');
    return last;
  }

  /** The key a ticket's enc-part kvno names, if the set still holds it. */
  byKvno(kvno: number): KeySetEntry | undefined {
    const k = kvno >>> 0;
    return this.entries.find((e) => e.kvno === k);
  }

  /** When `entry` stopped being current: the creation of the next version; undefined for the current one. */
  supersededAt(entry: KeySetEntry): Date | undefined {
    return this.entries.find((e) => e.keyVersion > entry.keyVersion)?.created;
  }

  /** A set with `entry` added; the same version again with the same key is a no-op, with another key an error. */
  add(entry: KeySetEntry): KeySet {
    const problem = keytabEntryProblem({
      principal: { nameType: 1, components: [`krbtgt_${entry.rodcNumber}`], realm: entry.realm },
      timestamp: entry.created,
      kvno: entry.kvno,
      key: { keytype: entry.key.etype, keyvalue: entry.key.exportBytes() },
    });
    if (problem !== undefined) throw new TgtbridgeError('ERR_KEY_SET', `${keySetPrincipal(entry.rodcNumber, entry.realm)}: ${problem}`);
    if (entry.kvno !== rodcKvno(entry.rodcNumber, entry.keyVersion)) throw new TgtbridgeError('ERR_KEY_SET', `kvno ${entry.kvno} is not (N << 16) | version`);
    const first = this.entries[0];
    if (first !== undefined && (first.rodcNumber !== entry.rodcNumber || first.realm !== entry.realm)) {
      throw new TgtbridgeError(
        'ERR_KEY_SET',
        `the key set holds ${keySetPrincipal(first.rodcNumber, first.realm)}; ${keySetPrincipal(entry.rodcNumber, entry.realm)} belongs to another RODC object`,
      );
    }
    const same = this.entries.find((e) => e.keyVersion === entry.keyVersion);
    if (same !== undefined) {
      if (bytesEqual(same.key.exportBytes(), entry.key.exportBytes())) return this;
      throw new TgtbridgeError('ERR_KEY_SET', `version ${entry.keyVersion} of krbtgt_${entry.rodcNumber} is already in the set with another key`);
    }
    return new KeySet([...this.entries, entry]);
  }

  /**
   * A new random AES256 version, current from `now` — for the embedded domain, where tgtbridge
   * itself plays the DC. Against a real DC the DC picks the keys (DESIGN.md): rotate there and import.
   */
  rotate(now: Date, random: RandomSource, first?: { readonly rodcNumber: number; readonly realm: string }): KeySet {
    const current = this.entries[this.entries.length - 1];
    const base = current ?? (first === undefined ? undefined : { ...first, keyVersion: 0 });
    if (base === undefined) throw new TgtbridgeError('ERR_KEY_SET', 'the key set is empty: name the RODC number and realm of the first version');
    if (base.keyVersion >= 0xffff) throw new TgtbridgeError('ERR_KEY_SET', 'key version 65535 reached: the kvno has no room for another version');
    const keyVersion = base.keyVersion + 1;
    return this.add({
      realm: base.realm,
      rodcNumber: base.rodcNumber,
      keyVersion,
      kvno: rodcKvno(base.rodcNumber, keyVersion),
      key: randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96, random),
      created: new Date(Math.floor(now.getTime() / 1000) * 1000),
    });
  }

  /**
   * Drop versions no ticket can still need: superseded more than `maxTicketLifetimeSec +
   * renewLifetimeSec` ago (a ticket minted just before the rotation lives that long at most,
   * renewals included). The current version is always kept.
   */
  prune(now: Date, maxTicketLifetimeSec: number, renewLifetimeSec: number): KeySet {
    const keepFor = (maxTicketLifetimeSec + renewLifetimeSec) * 1000;
    return new KeySet(
      this.entries.filter((e) => {
        const superseded = this.supersededAt(e);
        return superseded === undefined || superseded.getTime() + keepFor > now.getTime();
      }),
    );
  }
}
