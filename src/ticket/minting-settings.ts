import { isAbsolute, resolve } from 'node:path';
import { TgtbridgeError } from '../errors/index.js';
import { DEFAULT_RENEW_LIFETIME_SEC, DEFAULT_TGT_LIFETIME_SEC } from './partial-tgt.js';

/**
 * The `minting:` section of config/tgtbridge.yaml (src/config passes it through unvalidated; the
 * minting module owns its shape):
 *
 *   minting:
 *     lifetime: 10h              # partial TGT lifetime
 *     renewLifetime: 7d          # renew-till − authtime; 0 → not renewable
 *     deniedGroups: [...]        # names or SIDs, ADDED to the built-in never-reveal set
 *     allowedGroups: [...]       # optional: only members are minted for (the reveal-on-demand set)
 *     keys: keys/                # directory of krbtgt-rodc.keytab, relative to the config file
 *     logonServer: TGTBRIDGE     # LOGON_INFO.LogonServer (the RODC computer's name)
 *     pac: { upnDnsInfo: true, attributesInfo: true }
 */
export interface MintingSettings {
  readonly lifetimeSec: number;
  readonly renewLifetimeSec: number;
  readonly deniedGroups: readonly string[];
  readonly allowedGroups: readonly string[] | undefined;
  /** Absolute directory holding krbtgt-rodc.keytab, or undefined for `<data>/keys`. */
  readonly keysDir: string | undefined;
  readonly logonServer: string;
  readonly upnDnsInfo: boolean;
  readonly attributesInfo: boolean;
}

export const DEFAULT_MINTING_SETTINGS: MintingSettings = {
  lifetimeSec: DEFAULT_TGT_LIFETIME_SEC,
  renewLifetimeSec: DEFAULT_RENEW_LIFETIME_SEC,
  deniedGroups: [],
  allowedGroups: undefined,
  keysDir: undefined,
  logonServer: 'TGTBRIDGE',
  upnDnsInfo: true,
  attributesInfo: true,
};

const KEYS = ['lifetime', 'renewLifetime', 'deniedGroups', 'allowedGroups', 'keys', 'logonServer', 'pac'] as const;
const UNIT: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

function fail(path: string, why: string): never {
  throw new TgtbridgeError('ERR_CONFIG', `minting.${path}: ${why}`);
}

/** `90`, `30s`, `10h`, `7d` → seconds (the same grammar as the rest of the config). */
export function parseDurationSeconds(v: unknown, path: string, allowZero = false): number {
  if (typeof v === 'number' && Number.isInteger(v) && (v > 0 || (allowZero && v === 0))) return v;
  const m = typeof v === 'string' ? /^(\d{1,9})([smhd])$/.exec(v.trim()) : null;
  if (m !== null) {
    const s = Number(m[1]) * UNIT[m[2]!]!;
    if (s > 0 || allowZero) return s;
  }
  return fail(path, `expected a duration like 10h or 7d, got ${JSON.stringify(v)}`);
}

function stringList(v: unknown, path: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === '')) fail(path, 'expected a list of group names or SIDs');
  return (v as string[]).map((s) => s.trim());
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'expected true or false');
  return v as boolean;
}

/** Validate the raw `minting:` mapping; `configDir` anchors the relative `keys` path. */
export function parseMintingSettings(raw: Readonly<Record<string, unknown>>, configDir: string): MintingSettings {
  for (const k of Object.keys(raw)) if (!(KEYS as readonly string[]).includes(k)) fail(k, `unknown key (expected one of ${KEYS.join(', ')})`);
  const d = DEFAULT_MINTING_SETTINGS;
  const lifetimeSec = raw['lifetime'] === undefined ? d.lifetimeSec : parseDurationSeconds(raw['lifetime'], 'lifetime');
  const renewLifetimeSec = raw['renewLifetime'] === undefined ? d.renewLifetimeSec : parseDurationSeconds(raw['renewLifetime'], 'renewLifetime', true);
  if (renewLifetimeSec !== 0 && renewLifetimeSec < lifetimeSec) fail('renewLifetime', 'shorter than lifetime');
  const pac = raw['pac'];
  if (pac !== undefined && (typeof pac !== 'object' || pac === null || Array.isArray(pac))) fail('pac', 'expected a mapping');
  const pacMap = (pac ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(pacMap)) if (k !== 'upnDnsInfo' && k !== 'attributesInfo') fail(`pac.${k}`, 'unknown key (expected upnDnsInfo, attributesInfo)');
  const keys = raw['keys'];
  if (keys !== undefined && (typeof keys !== 'string' || keys === '')) fail('keys', 'expected a directory path');
  const logonServer = raw['logonServer'];
  if (logonServer !== undefined && (typeof logonServer !== 'string' || !/^[A-Za-z0-9-]{1,15}$/.test(logonServer))) {
    fail('logonServer', 'expected a NetBIOS computer name (1–15 letters, digits, -)');
  }
  return {
    lifetimeSec,
    renewLifetimeSec,
    deniedGroups: raw['deniedGroups'] === undefined ? [] : stringList(raw['deniedGroups'], 'deniedGroups'),
    allowedGroups: raw['allowedGroups'] === undefined ? undefined : stringList(raw['allowedGroups'], 'allowedGroups'),
    keysDir: typeof keys === 'string' ? (isAbsolute(keys) ? keys : resolve(configDir, keys)) : undefined,
    logonServer: typeof logonServer === 'string' ? logonServer.toUpperCase() : d.logonServer,
    upnDnsInfo: pacMap['upnDnsInfo'] === undefined ? d.upnDnsInfo : bool(pacMap['upnDnsInfo'], 'pac.upnDnsInfo'),
    attributesInfo: pacMap['attributesInfo'] === undefined ? d.attributesInfo : bool(pacMap['attributesInfo'], 'pac.attributesInfo'),
  };
}

/**
 * Turn configured group names/SIDs into SIDs with a lookup (the directory's findGroup). An entry
 * that names no group is a configuration error: silently ignoring a denied group would admit its members.
 */
export async function resolveGroupSids(
  names: readonly string[],
  findGroup: (nameOrSid: string) => Promise<{ readonly objectSid: string } | undefined>,
  path: string,
): Promise<string[]> {
  const out: string[] = [];
  for (const n of names) {
    const g = await findGroup(n);
    if (g === undefined) {
      if (/^S-1-\d+(-\d+)+$/.test(n)) out.push(n);
      else fail(path, `no group named ${JSON.stringify(n)} in the directory`);
    } else out.push(g.objectSid);
  }
  return out;
}
