import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as doctor from '../../src/cli/commands/doctor.js';
import { loadConfig } from '../../src/config/index.js';
import { loadFileDirectory } from '../../src/directory/index.js';
import { startEmbeddedKdc, type EmbeddedKdc } from '../../src/kdc/index.js';
import { runCommand } from './cli-io.js';

const REPO_CONFIG = join(import.meta.dirname, '..', '..', 'config');

interface Report {
  readonly ok: boolean;
  readonly findings: readonly { readonly check: string; readonly status: string; readonly text: string }[];
}

/** A copy of config/ in a temp dir, optionally edited, so a test can break one thing. */
function configCopy(edit: { config?: (t: string) => string; directory?: (t: string) => string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tgtb-doctor-cfg-'));
  for (const [name, f] of [['tgtbridge.yaml', edit.config], ['directory.yaml', edit.directory]] as const) {
    copyFileSync(join(REPO_CONFIG, name), join(dir, name));
    if (f !== undefined) writeFileSync(join(dir, name), f(readFileSync(join(dir, name), 'utf8')));
  }
  return join(dir, 'tgtbridge.yaml');
}

async function runDoctor(args: readonly string[]): Promise<{ code: number; report: Report }> {
  const r = await runCommand(doctor, ['--json', ...args]);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

const statuses = (r: Report, check: string): string[] => r.findings.filter((f) => f.check === check).map((f) => f.status);

describe('tgtbridge doctor', () => {
  let dataDir: string;
  let kdc: EmbeddedKdc;
  let kdcArg: string;

  beforeAll(async () => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'tgtb-doctor-')), 'data');
    const config = loadConfig(join(REPO_CONFIG, 'tgtbridge.yaml'));
    const directory = loadFileDirectory(config.directory.path, { realm: config.realm, dnsDomain: config.dnsDomain, netbiosName: config.netbiosDomain });
    kdc = await startEmbeddedKdc({ config, dataDir, directory, port: 0 });
    kdcArg = `127.0.0.1:${kdc.listening.udpPort}`;
  });
  afterAll(async () => {
    await kdc?.listening.close();
  });

  it('passes the embedded default with its generated keys, a listening KDC and an exchange for alice', async () => {
    const { code, report } = await runDoctor(['--config', join(REPO_CONFIG, 'tgtbridge.yaml'), '--data', dataDir, '--kdc', kdcArg, '--user', 'alice']);
    expect(report.findings.filter((f) => f.status === 'fail')).toEqual([]);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    for (const check of ['config', 'directory', 'keys', 'exchange']) expect(statuses(report, check)).toContain('ok');
    expect(statuses(report, 'kdc')).toEqual(['ok', 'ok']); // UDP and TCP
    expect(statuses(report, 'ad')).toEqual(['skip']);
  });

  it('human output: one line per finding and a summary; exit 1 when the KDC does not answer', async () => {
    const r = await runCommand(doctor, ['--config', join(REPO_CONFIG, 'tgtbridge.yaml'), '--data', dataDir, '--kdc', '127.0.0.1:9']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter((l) => /^ {2}FAIL {2}kdc/.test(l))).toHaveLength(2);
  });

  it('fails the keys check when there is no key set, and the exchange with it', async () => {
    const empty = join(mkdtempSync(join(tmpdir(), 'tgtb-doctor-empty-')), 'data');
    const { code, report } = await runDoctor(['--config', join(REPO_CONFIG, 'tgtbridge.yaml'), '--data', empty, '--kdc', kdcArg, '--user', 'alice']);
    expect(code).toBe(1);
    expect(statuses(report, 'keys')).toContain('fail');
    expect(statuses(report, 'keys')).toContain('skip'); // no embedded krbtgt keytab there
    expect(statuses(report, 'exchange')).toEqual(['fail']);
    expect(statuses(report, 'kdc')).toEqual(['ok', 'ok']);
  });

  it('fails a key set other accounts can read', async () => {
    const path = join(dataDir, 'keys', 'krbtgt-rodc.keytab');
    chmodSync(path, 0o644);
    try {
      const { code, report } = await runDoctor(['--config', join(REPO_CONFIG, 'tgtbridge.yaml'), '--data', dataDir, '--kdc', kdcArg]);
      expect(code).toBe(1);
      expect(statuses(report, 'keys')).toEqual(['ok', 'fail', 'ok']);
    } finally {
      chmodSync(path, 0o600);
    }
  });

  it('fails a user whose SID is outside the domain, and a denied group that names nothing', async () => {
    const config = configCopy({
      config: (t) => t.replace('deniedGroups: [Denied RODC Password Replication Group]', 'deniedGroups: [Denied RODC Password Replication Group, No Such Group]'),
      directory: (t) => t.replace('  - sAMAccountName: bob\n    rid: 1105', '  - sAMAccountName: bob\n    sid: S-1-5-21-1-2-3-1105'),
    });
    const { code, report } = await runDoctor(['--config', config, '--data', dataDir, '--kdc', kdcArg]);
    expect(code).toBe(1);
    expect(statuses(report, 'directory')).toEqual(['fail', 'fail']);
    expect(report.findings.find((f) => f.check === 'directory' && f.text.includes('bob'))).toBeDefined();
  });

  it('warns when nobody is in the Allowed RODC Password Replication Group', async () => {
    const config = configCopy({ directory: (t) => t.replace('  - name: Allowed RODC Password Replication Group\n    members: [Staff]\n', '') });
    const { code, report } = await runDoctor(['--config', config, '--data', dataDir, '--kdc', kdcArg]);
    expect(statuses(report, 'directory')).toEqual(['warn', 'ok']);
    expect(code).toBe(0);
  });

  it('fails the exchange for a denied account (Domain Admins), in words', async () => {
    const { code, report } = await runDoctor(['--config', join(REPO_CONFIG, 'tgtbridge.yaml'), '--data', dataDir, '--kdc', kdcArg, '--user', 'dave']);
    expect(code).toBe(1);
    expect(statuses(report, 'exchange')).toEqual(['fail']);
    expect(report.findings.find((f) => f.check === 'exchange')?.text).toContain('KDC_ERR_TGT_REVOKED');
  });

  it('fails a config whose kdc section has an unknown key, and stops there', async () => {
    const config = configCopy({ config: (t) => t.replace('  port: 8888', '  port: 8888\n  colour: blue') });
    const { code, report } = await runDoctor(['--config', config, '--data', dataDir]);
    expect(code).toBe(1);
    expect(report.findings.map((f) => [f.check, f.status])).toEqual([['config', 'fail']]);
  });

  it('usage errors exit 2', async () => {
    expect((await runCommand(doctor, ['--ldap', 'ldaps://dc.example.test'])).code).toBe(2);
    expect((await runCommand(doctor, ['--bogus'])).code).toBe(2);
  });
});
