import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { asReqCodec, detectMessage, KDC_OPTIONS, krbErrorCodec, NAME_TYPES } from '../../asn1/index.js';
import { DeviceMinter, KeySetFile } from '../../bridge/index.js';
import { loadConfig, type Config } from '../../config/index.js';
import { ETYPE, etypeName } from '../../crypto/index.js';
import { domainOf, loadFileDirectory, type Directory } from '../../directory/index.js';
import { krbErrorName, TgtbridgeError } from '../../errors/index.js';
import { decodeKeytab } from '../../files/index.js';
import {
  isResponseTooBig,
  KdcReplyError,
  keySetPath,
  loadKeySet,
  parseKdcSettings,
  randomNonce,
  requestTgs,
  sendTcp,
  sendToKdc,
  sendUdp,
  type KdcAddress,
  type KdcSettings,
} from '../../kdc/index.js';
import { parseMintingSettings, resolveGroupSids, type MintingSettings } from '../../ticket/index.js';
import { systemClock, systemRandom } from '../../util/index.js';
import { readFile } from 'node:fs/promises';

/** One finding of `tgtbridge doctor`. `fail` makes the exit code 1; `warn` does not. */
export interface Finding {
  readonly check: 'config' | 'directory' | 'keys' | 'kdc' | 'exchange' | 'ad';
  readonly status: 'ok' | 'warn' | 'fail' | 'skip';
  readonly text: string;
}

export interface Loaded {
  readonly config: Config;
  readonly minting: MintingSettings;
  readonly kdc: KdcSettings;
  readonly directory: Directory;
}

const words = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Config, the minting and kdc sections, and the directory file: nothing else can be checked without them. */
export function checkConfig(configPath: string, out: Finding[]): Loaded | undefined {
  let config: Config;
  try {
    config = loadConfig(configPath);
  } catch (e) {
    out.push({ check: 'config', status: 'fail', text: `${configPath}: ${words(e)}` });
    return undefined;
  }
  try {
    const minting = parseMintingSettings(config.minting, dirname(config.file));
    const kdc = parseKdcSettings(config.kdc, dirname(config.file));
    const directory = loadFileDirectory(config.directory.path, { realm: config.realm, dnsDomain: config.dnsDomain, netbiosName: config.netbiosDomain });
    out.push({ check: 'config', status: 'ok', text: `${configPath}: realm ${config.realm.toUpperCase()}, bridge ${config.bridge.origin} (RP ID ${config.bridge.rpId}), directory ${config.directory.path}` });
    return { config, minting, kdc, directory };
  } catch (e) {
    out.push({ check: 'config', status: 'fail', text: words(e) });
    return undefined;
  }
}

/** Every account's SID under the domain SID; every group the policy names exists; who may sign in. */
export async function checkDirectory(l: Loaded, out: Finding[]): Promise<void> {
  const { directory } = l;
  const domainSid = directory.domain.sid;
  const users = await directory.listUsers();
  const outside = users.filter((u) => domainOf(u.objectSid) !== domainSid);
  for (const u of outside) {
    out.push({ check: 'directory', status: 'fail', text: `${u.sAMAccountName} has SID ${u.objectSid}, not under the domain SID ${domainSid}: the exchange would rebuild a PAC for another domain` });
  }
  const find = (n: string) => directory.findGroup(n);
  const named: [string, readonly string[] | undefined][] = [
    ['minting.deniedGroups', l.minting.deniedGroups],
    ['minting.allowedGroups', l.minting.allowedGroups],
    ['kdc.allowedGroups', l.kdc.allowedGroups],
    ['kdc.deniedGroups', l.kdc.deniedGroups],
    ['passkeys.excludeGroups', l.config.passkeys.excludeGroups],
    ...l.config.passkeys.profiles.map((p): [string, readonly string[]] => [`passkeys.profiles[${p.name}].groups`, p.groups]),
  ];
  let bad = outside.length > 0;
  for (const [where, groups] of named) {
    if (groups === undefined || groups.length === 0) continue;
    try {
      await resolveGroupSids(groups, find, where);
    } catch (e) {
      bad = true;
      out.push({ check: 'directory', status: 'fail', text: words(e) });
    }
  }
  // The RODC password-replication groups (MS-ADTS 3.1.1.4.5.20): who the DC reveals, who never.
  const allowedName = 'Allowed RODC Password Replication Group';
  const allowed = await directory.findGroup(allowedName);
  const denied = await directory.findGroup('Denied RODC Password Replication Group');
  if (allowed === undefined || denied === undefined) {
    bad = true;
    out.push({ check: 'directory', status: 'fail', text: `the directory has no ${allowed === undefined ? allowedName : 'Denied RODC Password Replication Group'}: the exchange cannot apply the password-replication policy` });
  }
  let admitted = 0;
  const people = users.filter((u) => u.kind === 'user' && u.enabled);
  for (const u of people) {
    const sids = await directory.groupSidsOf(u);
    if (allowed !== undefined && sids.includes(allowed.objectSid) && !(denied !== undefined && sids.includes(denied.objectSid))) admitted++;
  }
  if (admitted === 0) out.push({ check: 'directory', status: 'warn', text: `no enabled user is in ${allowedName} (directly or nested): every exchange would be refused` });
  if (!bad) {
    out.push({ check: 'directory', status: 'ok', text: `${users.length} accounts, all SIDs under ${domainSid}; every group the config names exists; ${admitted} of ${people.length} enabled users may get tickets (in ${allowedName})` });
  }
}

async function mode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch {
    return undefined;
  }
}

/** The krbtgt_N key set (AES256, RODC number, versions), and the embedded default's other keys. */
export async function checkKeys(l: Loaded, dataDir: string, out: Finding[]): Promise<void> {
  const realm = l.config.realm.toUpperCase();
  const setPath = keySetPath(dataDir, l.minting.keysDir);
  const m = await mode(setPath);
  if (m === undefined) {
    out.push({ check: 'keys', status: 'fail', text: `no krbtgt_N key set at ${setPath}: run tgtbridge serve once (the embedded default generates it) or tgtbridge keys import KEYTAB` });
  } else {
    try {
      const set = await loadKeySet(setPath, { openMode: 'allow' });
      const cur = set.current();
      const versions = set.entries.map((e) => e.keyVersion).join(', ');
      if (cur.realm.toUpperCase() !== realm) {
        out.push({ check: 'keys', status: 'fail', text: `${setPath} holds krbtgt_${cur.rodcNumber}@${cur.realm}, but the config's realm is ${realm}` });
      } else {
        out.push({ check: 'keys', status: 'ok', text: `krbtgt_${cur.rodcNumber}: ${etypeName(cur.key.etype)}, RODC number ${cur.rodcNumber}, current version ${cur.keyVersion} (kvno ${cur.kvno}); versions held: ${versions}` });
      }
      if ((m & 0o077) !== 0) out.push({ check: 'keys', status: 'fail', text: `${setPath} is mode ${m.toString(8)}: other accounts can read the krbtgt_N key (chmod 600)` });
    } catch (e) {
      out.push({ check: 'keys', status: 'fail', text: `${setPath}: ${words(e)}` });
    }
  }
  await checkEmbeddedKeytabs(l, dataDir, realm, out);
}

async function checkEmbeddedKeytabs(l: Loaded, dataDir: string, realm: string, out: Finding[]): Promise<void> {
  const krbtgtPath = join(dataDir, 'keys', 'krbtgt.keytab');
  const m = await mode(krbtgtPath);
  if (m === undefined) {
    out.push({ check: 'keys', status: 'skip', text: `no ${krbtgtPath}: the embedded exchange has not run here (fine when a DC does the exchange)` });
    return;
  }
  try {
    const entries = decodeKeytab(await readFile(krbtgtPath)).entries.filter((e) => e.principal.components.join('/') === `krbtgt/${realm}`);
    const aes = entries.find((e) => e.key.keytype === ETYPE.AES256_CTS_HMAC_SHA1_96);
    if (aes === undefined) out.push({ check: 'keys', status: 'fail', text: `${krbtgtPath} has no AES256 key for krbtgt/${realm}` });
    else out.push({ check: 'keys', status: 'ok', text: `krbtgt/${realm}: AES256 key, kvno ${aes.kvno >>> 0} (embedded exchange)` });
  } catch (e) {
    out.push({ check: 'keys', status: 'fail', text: `${krbtgtPath}: ${words(e)}` });
  }
  if ((m & 0o077) !== 0) out.push({ check: 'keys', status: 'fail', text: `${krbtgtPath} is mode ${m.toString(8)}: other accounts can read the realm's krbtgt key (chmod 600)` });
  const missing: string[] = [];
  for (const u of await l.directory.listUsers()) {
    if (u.servicePrincipalNames.length === 0 || u.sAMAccountName.toLowerCase() === 'krbtgt') continue;
    const file = join(dataDir, 'keytabs', `${u.sAMAccountName.replace(/\$$/, '').toLowerCase()}.keytab`);
    if ((await mode(file)) === undefined) missing.push(`${u.sAMAccountName} (${u.servicePrincipalNames.join(', ')})`);
  }
  if (missing.length > 0) out.push({ check: 'keys', status: 'warn', text: `no keytab for ${missing.join('; ')}: the embedded exchange cannot issue service tickets for them (tgtbridge serve generates them)` });
}

/** A probe AS-REQ: harmless (no preauth, a name that asks for nothing); any Kerberos answer proves the KDC listens. */
function probeAsReq(realm: string): Uint8Array {
  return asReqCodec.encode({
    reqBody: {
      kdcOptions: 0,
      cname: { nameType: NAME_TYPES['NT-PRINCIPAL'], nameString: ['tgtbridge-doctor-probe'] },
      realm,
      sname: { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['krbtgt', realm] },
      till: new Date(systemClock.now().getTime() + 600_000),
      nonce: randomNonce(systemRandom),
      etype: [ETYPE.AES256_CTS_HMAC_SHA1_96],
    },
  });
}

function answerText(reply: Uint8Array): string {
  const kind = detectMessage(reply);
  if (kind !== 'KRB-ERROR') return kind ?? 'something that is not Kerberos';
  try {
    const e = krbErrorCodec.decode(reply);
    return `KRB-ERROR ${krbErrorName(e.errorCode) ?? e.errorCode}${e.realm !== undefined ? ` from realm ${e.realm}` : ''}`;
  } catch {
    return 'an undecodable KRB-ERROR';
  }
}

/** Send the probe over UDP and over TCP (RFC 4120 §7.2.1, §7.2.2) to each KDC. */
export async function checkKdc(l: Loaded, kdcs: readonly KdcAddress[], where: string, out: Finding[]): Promise<void> {
  const realm = l.config.realm.toUpperCase();
  const req = probeAsReq(realm);
  for (const kdc of kdcs) {
    const name = `${kdc.host}:${kdc.port}`;
    for (const [proto, send] of [['UDP', sendUdp], ['TCP', sendTcp]] as const) {
      try {
        const reply = await send(kdc, req, 3000);
        const kind = detectMessage(reply);
        const ok = kind === 'KRB-ERROR' || kind === 'AS-REP';
        out.push({ check: 'kdc', status: ok ? 'ok' : 'fail', text: `${name} (${where}) over ${proto}: answered a probe AS-REQ with ${answerText(reply)}` });
      } catch (e) {
        out.push({ check: 'kdc', status: 'fail', text: `${name} (${where}) over ${proto}: ${words(e)}${l.kdc.listen === kdc.host && l.kdc.port === kdc.port ? ' — is tgtbridge serve (or tgtbridge kdc) running?' : ''}` });
      }
    }
  }
}

/**
 * Mint a partial TGT for `user` with the current krbtgt_N key and exchange it at the KDC: the one
 * check that proves the KDC holds the same krbtgt_N key and admits the user (a KRB-ERROR is explained).
 */
export async function checkExchange(l: Loaded, dataDir: string, kdcs: readonly KdcAddress[], userName: string, out: Finding[]): Promise<void> {
  const user = await l.directory.findUser(userName);
  if (user === undefined) {
    out.push({ check: 'exchange', status: 'fail', text: `no user ${userName} in the directory` });
    return;
  }
  const realm = l.config.realm.toUpperCase();
  try {
    const minter = await DeviceMinter.create({
      config: l.config, directory: l.directory, settings: l.minting, keys: new KeySetFile(keySetPath(dataDir, l.minting.keysDir)), clock: systemClock, random: systemRandom,
    });
    await minter.checkPolicy(user);
    const minted = await minter.mint(user);
    const got = await requestTgs({
      tgt: { ticket: minted.ticket, sessionKey: minted.sessionKey, crealm: minted.encTicketPart.crealm, cname: minted.encTicketPart.cname },
      sname: { nameType: NAME_TYPES['NT-SRV-INST'], nameString: ['krbtgt', realm] },
      srealm: realm,
      kdcOptions: KDC_OPTIONS.forwardable,
      till: minted.encTicketPart.endtime,
      clock: systemClock,
      random: systemRandom,
      send: (der) => sendToKdc(kdcs, der, { isResponseTooBig }),
    });
    out.push({ check: 'exchange', status: 'ok', text: `a partial TGT for ${user.sAMAccountName} (kvno ${minted.kvno}) was exchanged for a full TGT (kvno ${got.ticket.encPart.kvno ?? 'none'}, until ${got.encPart.endtime.toISOString()})` });
  } catch (e) {
    if (e instanceof KdcReplyError) out.push({ check: 'exchange', status: 'fail', text: `the KDC refused a partial TGT for ${user.sAMAccountName}: ${e.explanation}` });
    else if (e instanceof TgtbridgeError) out.push({ check: 'exchange', status: 'fail', text: `${user.sAMAccountName}: ${e.code}: ${e.message}` });
    else throw e;
  }
}
