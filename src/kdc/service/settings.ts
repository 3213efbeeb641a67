import { isAbsolute, resolve } from 'node:path';
import { TgtbridgeError } from '../../errors/index.js';
import { parseDurationSeconds } from '../../ticket/index.js';
import { DEFAULT_CLOCK_SKEW_SEC, DEFAULT_MAX_LIFETIME_SEC, DEFAULT_MAX_RENEW_SEC } from './policy.js';

/**
 * The `kdc:` section of config/tgtbridge.yaml (src/config passes it through; this module owns it):
 *
 *   kdc:
 *     embedded: true             # false: a real DC does the exchange; serve starts no KDC
 *     listen: 127.0.0.1          # loopback by default
 *     port: 8888                 # UDP and TCP
 *     maxLifetime: 10h           # AD "Maximum lifetime for user ticket"
 *     maxRenew: 7d               # AD "Maximum lifetime for user ticket renewal"
 *     clockSkew: 5m
 *     allowedGroups: [...]       # reveal-on-demand; default [Allowed RODC Password Replication Group]
 *     deniedGroups: [...]        # ADDED to the never-reveal defaults (-572, BUILTIN admins/operators)
 *     logonServer: DC            # LOGON_INFO.LogonServer of rebuilt PACs
 *     serviceKeytabs: [a.keytab] # besides <data>/keytabs/*.keytab; relative to the config file
 *     rateLimit: { perSecond: 500, burst: 1000 }
 *     maxConnections: 256
 *     tcpReuse: false            # true: keep a TCP connection open after its reply (Samba's KDC does)
 */
export interface KdcSettings {
  readonly embedded: boolean;
  readonly listen: string;
  readonly port: number;
  readonly maxLifetimeSec: number;
  readonly maxRenewSec: number;
  readonly clockSkewSec: number;
  readonly allowedGroups: readonly string[] | undefined;
  readonly deniedGroups: readonly string[];
  readonly logonServer: string;
  readonly serviceKeytabs: readonly string[];
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
  readonly maxConnections: number;
  readonly tcpReuse: boolean;
}

const KEYS = ['embedded', 'listen', 'port', 'maxLifetime', 'maxRenew', 'clockSkew', 'allowedGroups', 'deniedGroups', 'logonServer', 'serviceKeytabs', 'rateLimit', 'maxConnections', 'tcpReuse'] as const;

function fail(path: string, why: string): never {
  throw new TgtbridgeError('ERR_CONFIG', `kdc.${path}: ${why}`);
}

function positiveInt(v: unknown, path: string, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) fail(path, `expected a whole number 1..${max}`);
  return v;
}

function stringList(v: unknown, path: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.trim() === '')) fail(path, 'expected a list of strings');
  return (v as string[]).map((x) => x.trim());
}

function duration(v: unknown, path: string, fallback: number): number {
  if (v === undefined) return fallback;
  try {
    return parseDurationSeconds(v, path);
  } catch {
    return fail(path, `expected a duration like 10h or 7d, got ${JSON.stringify(v)}`);
  }
}

/** Validate the raw `kdc:` mapping; `configDir` anchors relative keytab paths. */
export function parseKdcSettings(raw: Readonly<Record<string, unknown>>, configDir: string): KdcSettings {
  for (const k of Object.keys(raw)) if (!(KEYS as readonly string[]).includes(k)) fail(k, `unknown key (expected one of ${KEYS.join(', ')})`);
  const embedded = raw['embedded'] ?? true;
  if (typeof embedded !== 'boolean') fail('embedded', 'expected true or false');
  const tcpReuse = raw['tcpReuse'] ?? false;
  if (typeof tcpReuse !== 'boolean') fail('tcpReuse', 'expected true or false');
  const listen = raw['listen'] ?? '127.0.0.1';
  if (typeof listen !== 'string' || listen === '') fail('listen', 'expected an address');
  const rl = raw['rateLimit'] ?? {};
  if (typeof rl !== 'object' || rl === null || Array.isArray(rl)) fail('rateLimit', 'expected { perSecond, burst }');
  const rlMap = rl as Record<string, unknown>;
  const logonServer = raw['logonServer'] ?? 'DC';
  if (typeof logonServer !== 'string' || !/^[A-Za-z0-9-]{1,15}$/.test(logonServer)) fail('logonServer', 'expected a NetBIOS computer name');
  const maxLifetimeSec = duration(raw['maxLifetime'], 'maxLifetime', DEFAULT_MAX_LIFETIME_SEC);
  const maxRenewSec = duration(raw['maxRenew'], 'maxRenew', DEFAULT_MAX_RENEW_SEC);
  return {
    embedded,
    listen,
    port: raw['port'] === undefined ? 88 : positiveInt(raw['port'], 'port', 65535),
    maxLifetimeSec,
    maxRenewSec,
    clockSkewSec: duration(raw['clockSkew'], 'clockSkew', DEFAULT_CLOCK_SKEW_SEC),
    allowedGroups: raw['allowedGroups'] === undefined ? undefined : stringList(raw['allowedGroups'], 'allowedGroups'),
    deniedGroups: raw['deniedGroups'] === undefined ? [] : stringList(raw['deniedGroups'], 'deniedGroups'),
    logonServer: logonServer.toUpperCase(),
    serviceKeytabs: (raw['serviceKeytabs'] === undefined ? [] : stringList(raw['serviceKeytabs'], 'serviceKeytabs')).map((p) => (isAbsolute(p) ? p : resolve(configDir, p))),
    rateLimit: {
      perSecond: rlMap['perSecond'] === undefined ? 500 : positiveInt(rlMap['perSecond'], 'rateLimit.perSecond', 1e9),
      burst: rlMap['burst'] === undefined ? 1000 : positiveInt(rlMap['burst'], 'rateLimit.burst', 1e9),
    },
    maxConnections: raw['maxConnections'] === undefined ? 256 : positiveInt(raw['maxConnections'], 'maxConnections', 65535),
    tcpReuse,
  };
}
