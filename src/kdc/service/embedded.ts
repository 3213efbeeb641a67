import { dirname } from 'node:path';
import type { Config } from '../../config/index.js';
import type { Directory } from '../../directory/index.js';
import { parseMintingSettings, resolveGroupSids } from '../../ticket/index.js';
import { systemClock, systemRandom, type Clock, type RandomSource } from '../../util/index.js';
import { keySetPath } from '../key-set-file.js';
import { ensureEmbeddedKeys, loadEmbeddedKeys } from './embedded-keys.js';
import { createExchangeKdc, type ExchangeKdc } from './exchange-kdc.js';
import type { Listening } from './listen.js';
import { defaultExchangePolicy } from './policy.js';
import { MemoryReplayCache } from './replay-cache.js';
import { parseKdcSettings, type KdcSettings } from './settings.js';
import type { ReplayCache } from './types.js';

export interface EmbeddedKdcInput {
  readonly config: Config;
  readonly dataDir: string;
  readonly directory: Directory;
  /** Overrides kdc.port (0: any free port). */
  readonly port?: number;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly replayCache?: ReplayCache;
}

export interface EmbeddedKdc {
  readonly kdc: ExchangeKdc;
  readonly listening: Listening;
  readonly settings: KdcSettings;
  /** Key files generated on this start (first run). */
  readonly created: readonly string[];
  readonly rodcNumber: number;
}

/**
 * Start the embedded exchange as `tgtbridge kdc` and `tgtbridge serve` run it: the `kdc:` settings,
 * keys from the data directory (generated when absent), the policy's group names resolved in the
 * directory (a name that resolves to nothing is a configuration error: ignoring a denied group
 * would admit its members), listeners on loopback unless configured otherwise.
 */
export async function startEmbeddedKdc(input: EmbeddedKdcInput): Promise<EmbeddedKdc> {
  const { config, directory, dataDir } = input;
  const configDir = dirname(config.file);
  const settings = parseKdcSettings(config.kdc, configDir);
  const minting = parseMintingSettings(config.minting, configDir);
  const clock = input.clock ?? systemClock;
  const random = input.random ?? systemRandom;
  const realm = config.realm.toUpperCase();
  const paths = { dataDir, keySetFile: keySetPath(dataDir, minting.keysDir) };
  const created = await ensureEmbeddedKeys(paths, realm, directory, clock, random);
  const keys = await loadEmbeddedKeys(paths, realm, settings.serviceKeytabs);
  const findGroup = (n: string) => directory.findGroup(n);
  const base = defaultExchangePolicy(directory.domain.sid);
  const policy = {
    ...base,
    maxLifetimeSec: settings.maxLifetimeSec,
    maxRenewSec: settings.maxRenewSec,
    clockSkewSec: settings.clockSkewSec,
    logonServer: settings.logonServer,
    ...(settings.allowedGroups !== undefined ? { allowedGroupSids: await resolveGroupSids(settings.allowedGroups, findGroup, 'kdc.allowedGroups') } : {}),
    deniedGroupSids: [...base.deniedGroupSids, ...(await resolveGroupSids(settings.deniedGroups, findGroup, 'kdc.deniedGroups'))],
  };
  const kdc = createExchangeKdc({
    realm,
    directory,
    rodcKeys: keys.rodcKeys,
    krbtgtKeys: keys.krbtgtKeys,
    serviceKeys: keys.serviceKeys,
    policy,
    clock,
    random,
    replayCache: input.replayCache ?? new MemoryReplayCache({ clock }),
  });
  const listening = await kdc.listen({
    host: settings.listen,
    port: input.port ?? settings.port,
    rateLimit: settings.rateLimit,
    maxConnections: settings.maxConnections,
    tcpReuse: settings.tcpReuse,
  });
  return { kdc, listening, settings, created, rodcNumber: keys.rodcKeys.current().rodcNumber };
}
