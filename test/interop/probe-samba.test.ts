import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { run as probeCommand } from '../../src/cli/commands/probe.js';
import { formatMatrix, runSuite, type ProbeResult } from '../../src/harness/index.js';
import { useSambaDc } from '../support/lab.js';
import { describeWithPeers } from '../support/peers.js';
import { CIFS_ACCOUNT, CIFS_SPN, prepareProbeLab, type ProbeLab } from './probe-lab.js';

/**
 * The probe suite against the real Samba AD DC: every case of samba-lab.md ("What the writable DC
 * does with an RODC-issued TGT"), for krbtgt/REALM and for cifs/dc1.samba.test, answered as the
 * suite expects. The DC is the oracle: where it disagreed with the note, the suite follows the DC
 * (and the report says so).
 */
describeWithPeers('probe suite against Samba AD DC', ['root', 'ip', 'samba', 'samba-tool', 'ldbmodify', '/usr/bin/python3'], () => {
  const samba = useSambaDc();
  let prepared: ProbeLab;
  let results: readonly ProbeResult[] = [];

  it('prepares the lab: RODC object, state users, exported keys', async () => {
    prepared = await prepareProbeLab(samba());
    expect(prepared.rodcNumber).toBeGreaterThan(0);
    expect(prepared.rodcKeys.some((e) => e.key.keytype === 18 && e.kvno >>> 16 === prepared.rodcNumber)).toBe(true);
  });

  it('Samba answers every scenario as the suite expects, for both targets', async () => {
    const kdc = await samba().forwardKdc();
    const t0 = performance.now();
    results = await runSuite({
      kdc: { host: kdc.host, port: kdc.port },
      realm: prepared.realm,
      rodcKeys: prepared.rodcKeys,
      krbtgtKeys: prepared.krbtgtKeys,
      serviceKeys: prepared.serviceKeys,
      users: prepared.users,
      cifsSpn: CIFS_SPN,
      cifsAccount: CIFS_ACCOUNT,
      setups: prepared.setups,
    });
    const ms = performance.now() - t0;
    process.stderr.write(`probe vs Samba (lab ${samba().bringUpMs.toFixed(0)} ms, prep ${JSON.stringify(prepared.timings)}, suite ${ms.toFixed(0)} ms):\n${formatMatrix(results)}`);
    const failed = results.filter((r) => r.status !== 'pass').map((r) => `${r.scenario} · ${r.target}: expected ${r.expected}, got ${r.got} (${r.detail})`);
    expect(failed).toEqual([]);
  });

  it('ran every scenario for both targets, and the accepted ones had their PAC checked', () => {
    expect(results.length).toBeGreaterThanOrEqual(2 * 30);
    const accepted = results.filter((r) => r.scenario === 'minimal PAC is exchanged');
    expect(accepted.map((r) => r.target).sort()).toEqual(['cifs', 'krbtgt']);
    for (const r of accepted) expect(r.detail).toMatch(/PAC: \d+ group SIDs/);
  });

  it('tgtbridge probe gives the same matrix from the exported keytab files and a users file (setup scenarios skipped)', async () => {
    const lab = samba();
    const kdc = await lab.forwardKdc();
    const usersFile = join(lab.dir, 'probe-users.json');
    writeFileSync(usersFile, JSON.stringify(prepared.users));
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), readStdin: async () => new Uint8Array(0), env: {}, cwd: lab.dir };
    const { rodc, krbtgt, service } = prepared.keytabFiles;
    const argv = ['--kdc', `${kdc.host}:${kdc.port}`, '--realm', 'samba.test', '--spn', CIFS_SPN, '--spn-account', CIFS_ACCOUNT, '--rodc-keytab', rodc, '--krbtgt-keytab', krbtgt, '--service-keytab', service, '--users', usersFile, '--json'];
    expect(await probeCommand(argv, io)).toBe(0);
    const doc = JSON.parse(out.join('')) as { results: ProbeResult[] };
    const fromCli = doc.results.map((r) => [r.scenario, r.target, r.got]);
    const fromLibrary = results.map((r) => [r.scenario, r.target, r.scenario.startsWith('RODC object') ? 'skipped' : r.got]);
    expect(fromCli).toEqual(fromLibrary);
    expect(err.length).toBe(results.length);
  });
});
