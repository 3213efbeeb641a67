/**
 * The pieces of the end-to-end path against a real Samba AD DC (test/interop/samba-e2e.test.ts):
 * a bridge set up from the DC (RODC object, exported keys, directory generated from sam.ldb),
 * `tgtbridge serve` and `tgtbridge login` as child processes, the full TGT opened with the
 * domain's krbtgt key. Every step runs the same command a person runs (docs/samba-walkthrough.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { encTicketPartCodec, extractPac, ticketCodec, type EncTicketPart, type Ticket } from '../../src/asn1/index.js';
import { decrypt, Key, KEY_USAGE } from '../../src/crypto/index.js';
import { decodeCcache, decodeKeytab, encodeKeytab, filePrincipalText } from '../../src/files/index.js';
import { describePac, type PacView } from '../../src/pac/index.js';
import { run, type ExecResult, type SambaDc } from './lab.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'tgtbridge.js');
const SAMBA_DIRECTORY = join(ROOT, 'scripts', 'lab', 'samba-directory.py');
const ADMIN_DN = 'CN=Administrator,CN=Users,DC=samba,DC=test';
const ETYPE_AES256 = 18;

/** `tgtbridge …` with the built CLI, in this (the test worker's) network namespace. */
export function tgtbridge(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<ExecResult> {
  return run(process.execPath, [BIN, ...args], { env, timeoutMs: 60_000 });
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the bridge's origin must name its port). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a !== null ? ok(a.port) : fail(new Error('no port'))));
    });
  });
}

export interface BridgeSetup {
  readonly dir: string;
  readonly config: string;
  readonly data: string;
  /** The RODC number the DC picked for krbtgt_N. */
  readonly rodcNumber: number;
  /** samba-tool exportkeytab of krbtgt_N (what `keys import` read) and of the domain krbtgt. */
  readonly rodcKeytab: string;
  readonly krbtgtKeytab: string;
  /** samba-tool exportkeytab of cifs/dc1.samba.test (DC1$'s keys), to open service tickets. */
  readonly cifsKeytab: string;
  /** krb5.conf naming the DC's KDC as forwarded into this namespace. */
  readonly krb5Conf: string;
  readonly port: number;
  readonly origin: string;
  /** What each step printed, for the report and for assertions. */
  readonly log: Readonly<Record<string, ExecResult>>;
}

/**
 * The administrator's steps, as docs/samba-walkthrough.md lists them: `ad create-rodc` over LDAPS
 * inside the lab, exportkeytab of krbtgt_N (and of krbtgt, to check PACs), the directory file
 * generated from the DC, a config for realm SAMBA.TEST with a passkey profile, `keys import`.
 */
export async function setUpBridge(lab: SambaDc): Promise<BridgeSetup> {
  const dir = join(lab.dir, 'bridge');
  const data = join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  const log: Record<string, ExecResult> = {};

  const create = await lab.exec(
    [process.execPath, BIN, 'ad', 'create-rodc', '--ldap', 'ldaps://127.0.0.10', '--bind-dn', ADMIN_DN, '--insecure-tls'],
    { env: { TGTBRIDGE_LDAP_PASSWORD: lab.adminPassword }, timeoutMs: 30_000 },
  );
  log['create-rodc'] = create;
  const m = /^RODC number N = (\d+)$/m.exec(create.stdout);
  if (create.code !== 0 || m === null) throw new Error(`ad create-rodc failed (rc ${create.code}): ${create.stderr}`);
  const rodcNumber = Number(m[1]);

  const rodcKeytab = join(dir, `krbtgt_${rodcNumber}.keytab`);
  const krbtgtKeytab = join(dir, 'krbtgt.keytab');
  const cifsKeytab = join(dir, 'cifs.keytab');
  // Independent reads of sam.ldb (samba-tool and python start-up dominate): side by side.
  const [gen] = await Promise.all([
    lab.exec(['/usr/bin/python3', SAMBA_DIRECTORY, '-s', lab.smbConf, '--out', join(dir, 'directory.yaml')]),
    lab.exportKeytab(`krbtgt_${rodcNumber}`, rodcKeytab),
    lab.exportKeytab('krbtgt', krbtgtKeytab),
    lab.exportKeytab('cifs/dc1.samba.test', cifsKeytab),
  ]);
  log['samba-directory'] = gen;
  if (gen.code !== 0) throw new Error(`samba-directory.py failed (rc ${gen.code}): ${gen.stderr}`);

  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const config = join(dir, 'tgtbridge.yaml');
  writeFileSync(config, bridgeConfig(port, origin));

  const imported = await tgtbridge(['keys', 'import', rodcKeytab, '--principal', `krbtgt_${rodcNumber}`, '--config', config, '--data', data]);
  log['keys import'] = imported;
  if (imported.code !== 0) throw new Error(`keys import failed (rc ${imported.code}): ${imported.stderr}`);

  const kdc = await lab.forwardKdc();
  const krb5Conf = join(dir, 'krb5.conf');
  writeFileSync(
    krb5Conf,
    ['[libdefaults]', '  default_realm = SAMBA.TEST', '  dns_lookup_kdc = false', '[realms]', '  SAMBA.TEST = {', `    kdc = ${kdc.host}:${kdc.port}`, '  }', ''].join('\n'),
  );
  return { dir, config, data, rodcNumber, rodcKeytab, krbtgtKeytab, cifsKeytab, krb5Conf, port, origin, log };
}

function bridgeConfig(port: number, origin: string): string {
  return `# tgtbridge in front of the lab's Samba AD DC (samba-e2e test)
realm: SAMBA.TEST
dnsDomain: samba.test
netbiosDomain: SAMBA
bridge:
  host: 127.0.0.1
  port: ${port}
  rpId: localhost
  origin: ${origin}
  rpName: tgtbridge samba e2e
  https: false
directory:
  source: file
  path: directory.yaml
passkeys:
  default: everyone
  profiles:
    - name: everyone
      types: [deviceBound, synced]
      userVerification: required
minting:
  lifetime: 10h
  renewLifetime: 7d
`;
}

export interface RunningBridge {
  readonly stdout: () => string;
  stop(): Promise<void>;
}

/**
 * `tgtbridge serve --no-kdc` until it prints that it listens; stop() sends SIGTERM and waits. The
 * agent is pointed at Samba's KDC by krb5.conf, and the full TGT opening with Samba's krbtgt key
 * proves the exchange went there.
 */
export async function startServe(b: BridgeSetup): Promise<RunningBridge> {
  const child = spawn(process.execPath, [BIN, 'serve', '--config', b.config, '--data', b.data, '--no-kdc', '--demo-user', ''], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  await waitFor(child, () => out.includes('tgtbridge: listening on'), 30_000, () => `serve did not start:\n${out}`);
  return {
    stdout: () => out,
    stop: () => stopChild(child),
  };
}

export interface RunningLogin {
  /** The sign-in address the agent printed (--no-browser). */
  readonly url: string;
  /** Resolves when `tgtbridge login` has exited. */
  readonly done: Promise<ExecResult>;
}

/** `tgtbridge login … --no-browser` until it prints the sign-in address. */
export async function startLogin(args: readonly string[], env: Readonly<Record<string, string>>): Promise<RunningLogin> {
  const child = spawn(process.execPath, [BIN, 'login', ...args, '--no-browser'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const done = new Promise<ExecResult>((ok) => child.on('close', (code, signal) => ok({ code: code ?? (signal ? 128 : 1), stdout, stderr })));
  const urlOf = () => /^ {2}(http:\/\/\S+\/device\/authorize\?\S+)$/m.exec(stdout)?.[1];
  await waitFor(child, () => urlOf() !== undefined, 30_000, () => `login printed no sign-in address:\n${stdout}${stderr}`);
  return { url: urlOf()!, done };
}

function waitFor(child: ChildProcess, ready: () => boolean, timeoutMs: number, why: () => string): Promise<void> {
  return new Promise((ok, fail) => {
    const t0 = Date.now();
    const tick = setInterval(() => {
      if (ready()) {
        clearInterval(tick);
        ok();
      } else if (child.exitCode !== null || Date.now() - t0 > timeoutMs) {
        clearInterval(tick);
        void stopChild(child);
        fail(new Error(why()));
      }
    }, 20);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('close', () => {
      clearTimeout(kill);
      ok();
    });
    child.kill('SIGTERM');
  });
}

export interface OpenedTgt {
  readonly ticket: Ticket;
  readonly encTicketPart: EncTicketPart;
  readonly pac: PacView;
}

/**
 * The krbtgt/REALM ticket of a ccache, decrypted with the exported keytab entry of the same kvno
 * and etype (RFC 4120 §5.3, key usage 2), its PAC decoded and both signatures checked with the
 * krbtgt key (a TGT's PAC is signed with it twice, MS-PAC §2.8).
 */
export function openTgt(ccachePath: string, keytabPath: string, realm = 'SAMBA.TEST'): OpenedTgt {
  return openTicketIn(ccachePath, `krbtgt/${realm}@${realm}`, keytabPath, true);
}

/**
 * Any ticket of a ccache by server name, opened with the keytab entry of its kvno and etype. The
 * PAC's server signature is checked with that key; the KDC signature only when the ticket is a
 * TGT (`keyIsKrbtgt`), since a service ticket's is made with a krbtgt key we do not pass here.
 */
export function openTicketIn(ccachePath: string, server: string, keytabPath: string, keyIsKrbtgt = false): OpenedTgt {
  const cred = decodeCcache(readFileSync(ccachePath)).credentials.find((c) => !c.isConfigEntry && filePrincipalText(c.server) === server);
  if (cred === undefined) throw new Error(`${ccachePath} holds no ${server}`);
  const ticket = ticketCodec.decode(cred.ticket);
  const entry = decodeKeytab(readFileSync(keytabPath)).entries.find((e) => e.key.keytype === ticket.encPart.etype && e.kvno === ticket.encPart.kvno);
  if (entry === undefined) throw new Error(`no key of kvno ${ticket.encPart.kvno} etype ${ticket.encPart.etype} in ${keytabPath}`);
  const key = Key.fromBytes(entry.key.keytype, entry.key.keyvalue);
  const encTicketPart = encTicketPartCodec.decode(decrypt(key, KEY_USAGE.KDC_REP_TICKET, ticket.encPart.cipher));
  const pacBytes = extractPac(encTicketPart.authorizationData);
  if (pacBytes === undefined) throw new Error('the TGT carries no PAC');
  return { ticket, encTicketPart, pac: describePac(pacBytes, { serverKey: key, ...(keyIsKrbtgt ? { kdcKey: key } : {}) }) };
}

/**
 * The exported krbtgt_N key under another name or version: the same AES256 key with kvno
 * (rodcNumber << 16) | keyVersion, principal krbtgt_<rodcNumber>. `tgtbridge mint --keys` with it
 * makes a partial TGT the DC cannot place (unknown RODC number, or a key version it never had).
 */
export function relabelledRodcKeytab(from: string, to: string, rodcNumber: number, keyVersion: number): void {
  const kt = decodeKeytab(readFileSync(from));
  const e = kt.entries.find((x) => x.key.keytype === ETYPE_AES256);
  if (e === undefined) throw new Error(`${from} has no AES256 key`);
  const entries = [{ ...e, principal: { ...e.principal, components: [`krbtgt_${rodcNumber}`] }, kvno: ((rodcNumber << 16) | keyVersion) >>> 0 }];
  writeFileSync(to, encodeKeytab({ ...kt, entries }), { mode: 0o600 });
}
