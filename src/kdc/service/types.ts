import type { Key } from '../../crypto/index.js';
import type { Directory } from '../../directory/index.js';
import type { KeySet } from '../../ticket/index.js';
import type { Clock, RandomSource } from '../../util/index.js';

/** One version of a long-term key: the kvno the ticket's enc-part names, and the key. */
export interface VersionedKey {
  readonly kvno: number;
  readonly key: Key;
}

/**
 * Service keys by principal name without realm, as the directory lists SPNs
 * (`cifs/fs1.demo.test`). Lookup is case-insensitive (AD matches SPNs case-insensitively).
 * Each list holds every etype/version the keytabs hold; the first entry of the preferred etype
 * encrypts new tickets.
 */
export type ServiceKeyTable = ReadonlyMap<string, readonly VersionedKey[]>;

/**
 * The replay cache behind KRB_AP_ERR_REPEAT (RFC 4120 §3.2.3, §10): `seen` records an
 * authenticator until `until` and answers whether it was already there. `authenticator` is the
 * authenticator's ciphertext, already decrypted and verified; its last 12 octets (the integrity
 * tag) identify it. In memory by default (replay-cache.ts); src/store can back it (one table
 * shared by several nodes) by implementing this interface.
 */
export interface ReplayCache {
  seen(authenticator: Uint8Array, until: Date): boolean | Promise<boolean>;
}

/** Domain policy a writable DC applies to tickets it issues (MS-KILE §3.3.5.7, AD Default Domain Policy). */
export interface ExchangePolicy {
  /** Max ticket lifetime, seconds (AD "Maximum lifetime for user ticket", 10 h). */
  readonly maxLifetimeSec: number;
  /** Max renew lifetime from authtime, seconds (AD "Maximum lifetime for user ticket renewal", 7 d). */
  readonly maxRenewSec: number;
  /** Allowed clock skew, seconds (RFC 4120 §1.5.2; AD and MIT default 300). */
  readonly clockSkewSec: number;
  /**
   * The RODC's msDS-RevealOnDemandGroup: a user must be in one of these (nested) for a partial
   * TGT to be exchanged. Default: the domain's Allowed RODC Password Replication Group (-571).
   */
  readonly allowedGroupSids: readonly string[];
  /**
   * The RODC's msDS-NeverRevealGroup: members (nested) are refused even when allowed. Default:
   * Denied RODC Password Replication Group (-572), Domain/Schema/Enterprise Admins and the BUILTIN
   * Administrators, Server, Backup and Account Operators.
   */
  readonly deniedGroupSids: readonly string[];
  /** LOGON_INFO.LogonServer of rebuilt PACs: the writable DC's NetBIOS name. */
  readonly logonServer: string;
}

export interface ExchangeKdcOptions {
  /** The realm, upper case. */
  readonly realm: string;
  readonly directory: Directory;
  /** krbtgt_N key sets, one per RODC object this KDC honours. */
  readonly rodcKeys: KeySet | readonly KeySet[];
  /** The realm's own krbtgt keys (every version still valid); the highest AES256 kvno signs new TGTs. */
  readonly krbtgtKeys: readonly VersionedKey[];
  readonly serviceKeys: ServiceKeyTable;
  readonly policy: ExchangePolicy;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly replayCache: ReplayCache;
  /** Largest reply sent over UDP; bigger ones become KRB_ERR_RESPONSE_TOO_BIG (RFC 4120 §7.2.1). MIT's default 4096. */
  readonly maxUdpReplyBytes?: number;
  /** TGTs kept decrypted and PAC-verified (tgt-cache.ts); 0 turns the cache off. Default 2048. */
  readonly verifiedTgtCacheSize?: number;
}

/** Where a request came from: the transport and the peer address (rate limits, replay ids, logs). */
export interface RequestSource {
  readonly transport: 'udp' | 'tcp' | 'direct';
  readonly address: string;
}
