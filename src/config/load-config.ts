import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { basename, dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { TgtbridgeError } from '../errors/index.js';
import { Node } from './reader.js';
import {
  PASSKEY_TYPES,
  USER_VERIFICATION,
  type AaguidRule,
  type BridgeConfig,
  type Config,
  type HttpsConfig,
  type PasskeyProfile,
  type PasskeysConfig,
} from './types.js';

const TOP_LEVEL = [
  'realm', 'dnsDomain', 'netbiosDomain', 'bridge', 'directory', 'passkeys', 'tap', 'sessions', 'minting', 'kdc',
] as const;

const AAGUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Read and validate config/tgtbridge.yaml. Every failure is ERR_CONFIG naming file and key path. */
export function loadConfig(path: string): Config {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TgtbridgeError('ERR_CONFIG', `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new TgtbridgeError('ERR_CONFIG', `${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return parseConfig(doc, file);
}

/** Validate an already-parsed document; `file` names it in errors and anchors relative paths. */
export function parseConfig(doc: unknown, file: string): Config {
  const root = new Node(basename(file), '', doc).onlyKeys(TOP_LEVEL);
  root.map();
  const base = dirname(file);
  const rel = (p: string): string => resolve(base, p);
  const realm = root.child('realm').string();
  if (!/^[A-Z0-9.-]+$/.test(realm)) root.child('realm').fail('expected an upper-case realm like DEMO.TEST');
  const dnsDomain = root.child('dnsDomain').string(realm.toLowerCase());
  const netbiosDomain = root.child('netbiosDomain').string(realm.split('.')[0]!);
  if (netbiosDomain.length > 15) root.child('netbiosDomain').fail('NetBIOS names are at most 15 characters');

  const dir = root.child('directory').onlyKeys(['source', 'path']);
  const tap = root.child('tap').onlyKeys(['ttl', 'maxTtl', 'uses']);
  const sessions = root.child('sessions').onlyKeys(['ttl', 'cookieName', 'registrationWindow']);
  const passthrough = (key: 'minting' | 'kdc'): Readonly<Record<string, unknown>> => {
    const n = root.child(key);
    return n.present ? n.map() : {};
  };
  const tapTtl = tap.child('ttl').duration(3600);
  const tapMax = tap.child('maxTtl').duration(7 * 86400);
  if (tapTtl > tapMax) tap.child('ttl').fail('longer than tap.maxTtl');
  return {
    file,
    realm,
    dnsDomain,
    netbiosDomain,
    bridge: bridgeConfig(root.child('bridge'), rel),
    directory: {
      source: dir.child('source').oneOf(['file'] as const, 'file'),
      path: rel(dir.child('path').string('directory.yaml')),
    },
    passkeys: passkeysConfig(root.child('passkeys'), rel),
    tap: { ttl: tapTtl, maxTtl: tapMax, uses: tap.child('uses').int(1, 100, 1) },
    sessions: {
      ttl: sessions.child('ttl').duration(8 * 3600),
      cookieName: sessions.child('cookieName').string('tgtbridge_session'),
      registrationWindow: sessions.child('registrationWindow').duration(300),
    },
    minting: passthrough('minting'),
    kdc: passthrough('kdc'),
  };
}

function bridgeConfig(n: Node, rel: (p: string) => string): BridgeConfig {
  n.onlyKeys(['host', 'port', 'origin', 'rpId', 'rpName', 'https', 'challengeTtl', 'trustedProxies', 'rateLimit']);
  const host = n.child('host').string('127.0.0.1');
  const port = n.child('port').int(0, 65535, 8443);
  const https = httpsConfig(n.child('https'), rel);
  const scheme = https.mode === 'off' ? 'http' : 'https';
  const rpId = n.child('rpId').string('localhost');
  const origin = n.child('origin').string(`${scheme}://${rpId}:${port}`);
  const url = URL.canParse(origin) ? new URL(origin) : n.child('origin').fail('expected a URL like https://login.demo.test:8443');
  if (url.origin !== origin) n.child('origin').fail(`expected an origin without path (${url.origin})`);
  // WebAuthn §5.1.3 step 8: the RP ID must be the origin's host or a registrable suffix of it.
  if (url.hostname !== rpId && !url.hostname.endsWith(`.${rpId}`)) {
    n.child('rpId').fail(`not a suffix of the origin's host ${url.hostname}`);
  }
  if (/^[\d.]+$|:/.test(rpId)) n.child('rpId').fail('an IP address can never be a WebAuthn RP ID');
  const rl = n.child('rateLimit').onlyKeys(['perUser', 'perAddress', 'window']);
  return {
    host,
    port,
    origin,
    rpId,
    rpName: n.child('rpName').string('tgtbridge'),
    https,
    challengeTtl: n.child('challengeTtl').duration(120),
    trustedProxies: n.child('trustedProxies').list().map(proxyAddress),
    rateLimit: {
      perUser: rl.child('perUser').int(1, 1_000_000, 10),
      perAddress: rl.child('perAddress').int(1, 1_000_000, 30),
      window: rl.child('window').duration(300),
    },
  };
}

/** What express's `trust proxy` accepts, checked here so a typo fails at load, not on a request. */
function proxyAddress(n: Node): string {
  const v = n.string();
  if (['loopback', 'linklocal', 'uniquelocal'].includes(v)) return v;
  const [ip = '', prefix, extra] = v.split('/');
  const family = isIP(ip);
  const max = family === 4 ? 32 : 128;
  if (family === 0 || extra !== undefined || (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= max))) {
    n.fail('expected an IP address, a CIDR range like 10.0.0.0/8, or loopback, linklocal, uniquelocal');
  }
  return v;
}

function httpsConfig(n: Node, rel: (p: string) => string): HttpsConfig {
  if (!n.present || n.value === false) return { mode: 'off' };
  n.onlyKeys(['selfSigned', 'cert', 'key']);
  if (n.child('selfSigned').bool(false)) {
    if (n.child('cert').present) n.child('cert').fail('give either cert+key or selfSigned: true');
    return { mode: 'selfSigned' };
  }
  return { mode: 'files', cert: rel(n.child('cert').string()), key: rel(n.child('key').string()) };
}

function passkeysConfig(n: Node, rel: (p: string) => string): PasskeysConfig {
  n.onlyKeys(['profiles', 'default', 'excludeGroups', 'metadataFile']);
  const md = n.child('metadataFile').optionalString();
  const profileNodes = n.child('profiles').list([{ name: 'default' }]);
  const profiles = profileNodes.map((p) => profile(p, rel, md !== undefined));
  const names = new Set<string>();
  for (const [i, p] of profiles.entries()) {
    if (names.has(p.name)) profileNodes[i]!.child('name').fail(`duplicate profile name ${p.name}`);
    names.add(p.name);
  }
  const def = n.child('default').string(profiles[0]!.name);
  if (!names.has(def)) n.child('default').fail(`no profile named ${def}`);
  return {
    profiles,
    default: def,
    excludeGroups: n.child('excludeGroups').stringList(),
    metadataFile: md === undefined ? undefined : rel(md),
  };
}

function profile(n: Node, rel: (p: string) => string, haveMetadata: boolean): PasskeyProfile {
  n.onlyKeys(['name', 'groups', 'excludeGroups', 'types', 'attestation', 'trustedRoots', 'trustMetadata', 'aaguids', 'userVerification']);
  const typesNode = n.child('types');
  const types = typesNode.present ? typesNode.list().map((t) => t.oneOf(PASSKEY_TYPES)) : [...PASSKEY_TYPES];
  if (types.length === 0) typesNode.fail('a profile must allow at least one passkey type');
  const attestation = n.child('attestation').oneOf(['off', 'required'] as const, 'off');
  const rootsNode = n.child('trustedRoots');
  const trustedRoots = rootsNode.list().map((r) => readPem(r, rel(r.string())));
  const trustMetadata = n.child('trustMetadata').bool(false);
  if (trustMetadata && !haveMetadata) n.child('trustMetadata').fail('needs passkeys.metadataFile');
  if (attestation === 'required' && trustedRoots.length === 0 && !trustMetadata) {
    rootsNode.fail('attestation: required needs trustedRoots or trustMetadata');
  }
  return {
    name: n.child('name').string(),
    groups: n.child('groups').stringList(),
    excludeGroups: n.child('excludeGroups').stringList(),
    types,
    attestation,
    trustedRoots,
    trustMetadata,
    aaguid: aaguidRule(n.child('aaguids')),
    userVerification: n.child('userVerification').oneOf(USER_VERIFICATION, 'required'),
  };
}

function aaguidRule(n: Node): AaguidRule {
  if (!n.present) return { mode: 'any' };
  n.onlyKeys(['allow', 'block']);
  const allow = n.child('allow');
  const block = n.child('block');
  if (allow.present === block.present) n.fail('give exactly one of allow or block');
  const which = allow.present ? allow : block;
  const aaguids = which.list().map((a) => {
    const v = a.string().toLowerCase();
    if (!AAGUID_RE.test(v)) a.fail('expected an AAGUID like 01020304-0506-0708-0102-030405060708');
    return v;
  });
  return allow.present ? { mode: 'allow', aaguids } : { mode: 'block', aaguids };
}

function readPem(n: Node, path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    n.fail(`cannot read ${path}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) n.fail(`${path} holds no PEM certificate`);
  return text;
}
