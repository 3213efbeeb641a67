import { stat } from 'node:fs/promises';
import type { Config } from '../../config/index.js';
import type { Directory, DirectoryUser } from '../../directory/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import { loadKeySet } from '../../kdc/index.js';
import {
  checkMintPolicy,
  defaultDeniedGroupSids,
  mintPartialTgt,
  resolveGroupSids,
  type KeySet,
  type MintedTgt,
  type MintingSettings,
  type MintPolicy,
} from '../../ticket/index.js';
import type { Clock, RandomSource } from '../../util/index.js';

/**
 * The key set as `tgtbridge keys import|rotate` leaves it on disk. Re-read when the file changes
 * (size or mtime), so a rotation takes effect without restarting the bridge; the previous
 * versions stay in the file until pruned, so codes minted just before a rotation still redeem.
 */
export class KeySetFile {
  private cached: { readonly sig: string; readonly set: KeySet } | undefined;

  constructor(readonly path: string) {}

  async get(): Promise<KeySet> {
    let sig = 'missing';
    try {
      const s = await stat(this.path);
      sig = `${s.size}:${s.mtimeMs}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (this.cached?.sig !== sig) this.cached = { sig, set: await loadKeySet(this.path) };
    return this.cached.set;
  }
}

export interface DeviceMinterOptions {
  readonly config: Config;
  readonly directory: Directory;
  readonly settings: MintingSettings;
  readonly keys: KeySetFile;
  readonly clock: Clock;
  readonly random: RandomSource;
}

/**
 * Policy and minting for a signed-in person: the RODC password-replication policy applied early
 * (checkMintPolicy), then a partial TGT under the current krbtgt_N key.
 */
export class DeviceMinter {
  private constructor(
    private readonly o: DeviceMinterOptions,
    readonly policy: MintPolicy,
  ) {}

  /**
   * Resolve the configured group names once, at start: a denied group that names nothing is a
   * configuration error (silently skipping it would admit its members). The key set is read
   * too, so a key the DC would refuse stops the bridge at start with ERR_KEY_SET.
   */
  static async create(o: DeviceMinterOptions): Promise<DeviceMinter> {
    const find = (n: string) => o.directory.findGroup(n);
    const denied = [...defaultDeniedGroupSids(o.directory.domain.sid), ...(await resolveGroupSids(o.settings.deniedGroups, find, 'deniedGroups'))];
    const allowed = o.settings.allowedGroups === undefined ? undefined : await resolveGroupSids(o.settings.allowedGroups, find, 'allowedGroups');
    await o.keys.get();
    return new DeviceMinter(o, { deniedGroupSids: denied, ...(allowed !== undefined ? { allowedGroupSids: allowed } : {}) });
  }

  /** Throws MintRefusedError (with the KRB-ERROR the DC would give) when the user gets no ticket. */
  async checkPolicy(user: DirectoryUser): Promise<void> {
    checkMintPolicy(user, await this.o.directory.groupSidsOf(user), this.policy, this.o.clock.now());
  }

  /** ERR_KEY_SET when no usable key (or one of another realm) is configured. */
  async mint(user: DirectoryUser): Promise<MintedTgt> {
    const current = (await this.o.keys.get()).current();
    const realm = this.o.config.realm.toUpperCase();
    if (current.realm.toUpperCase() !== realm) {
      throw new TgtbridgeError('ERR_KEY_SET', `the key set holds krbtgt_${current.rodcNumber}@${current.realm}, but the bridge serves ${realm}`);
    }
    const s = this.o.settings;
    return mintPartialTgt({
      user: {
        samAccountName: user.sAMAccountName,
        sid: user.objectSid,
        ...(user.userPrincipalName ? { upn: user.userPrincipalName } : {}),
        dnsDomain: this.o.config.dnsDomain,
        netbiosDomain: this.o.config.netbiosDomain,
        ...(user.displayName ? { fullName: user.displayName } : {}),
      },
      realm,
      rodcKey: current,
      lifetimeSec: s.lifetimeSec,
      renewLifetimeSec: s.renewLifetimeSec,
      pac: { upnDnsInfo: s.upnDnsInfo, attributesInfo: s.attributesInfo, logonServer: s.logonServer },
      clock: this.o.clock,
      random: this.o.random,
    });
  }

  /** The key a minted ticket's kvno names (for re-opening it at redemption). */
  async keyFor(kvno: number) {
    return (await this.o.keys.get()).byKvno(kvno);
  }
}
