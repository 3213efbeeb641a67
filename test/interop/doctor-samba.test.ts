/**
 * `tgtbridge doctor` in front of a real Samba AD DC: the bridge set up as an administrator does it
 * (test/support/samba-e2e.ts setUpBridge: ad create-rodc, exportkeytab, directory from sam.ldb, keys
 * import), then doctor inside the lab's namespace with --ldap (the RODC object read over LDAPS and
 * compared with the imported krbtgt_N) and --user (a partial TGT exchanged at Samba's KDC).
 */
import { expect, it, beforeAll } from 'vitest';
import { useSambaDc } from '../support/lab.js';
import { describeWithPeers } from '../support/peers.js';
import { BIN, setUpBridge, type BridgeSetup } from '../support/samba-e2e.js';

const ADMIN_DN = 'CN=Administrator,CN=Users,DC=samba,DC=test';

interface Report {
  readonly ok: boolean;
  readonly findings: readonly { readonly check: string; readonly status: string; readonly text: string }[];
}

describeWithPeers('tgtbridge doctor against Samba AD DC', ['root', 'samba', 'samba-tool', 'ldbsearch'], () => {
  const samba = useSambaDc();
  let b: BridgeSetup;

  beforeAll(async () => {
    b = await setUpBridge(samba());
  }, 180_000);

  async function doctor(extra: readonly string[]): Promise<{ code: number; report: Report; stderr: string }> {
    const r = await samba().exec(
      [process.execPath, BIN, 'doctor', '--json', '--config', b.config, '--data', b.data, '--kdc', '127.0.0.10',
        '--ldap', 'ldaps://127.0.0.10', '--bind-dn', ADMIN_DN, '--insecure-tls', ...extra],
      { env: { TGTBRIDGE_LDAP_PASSWORD: samba().adminPassword }, timeoutMs: 60_000 },
    );
    return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
  }
  const statuses = (r: Report, check: string) => r.findings.filter((f) => f.check === check).map((f) => f.status);

  it('a bridge set up from the DC passes: directory, krbtgt_N, KDC over UDP and TCP, the RODC object, an exchange for alice', async () => {
    const { code, report, stderr } = await doctor(['--user', 'alice']);
    expect(report.findings.filter((f) => f.status === 'fail'), stderr).toEqual([]);
    expect(code).toBe(0);
    expect(statuses(report, 'directory')).toEqual(['ok']);
    expect(statuses(report, 'keys')).toEqual(['ok', 'skip']); // no embedded krbtgt keytab: the DC exchanges
    expect(statuses(report, 'kdc')).toEqual(['ok', 'ok']);
    expect(report.findings.find((f) => f.check === 'kdc')?.text).toContain('SAMBA.TEST');
    expect(statuses(report, 'exchange')).toEqual(['ok']);
    expect(statuses(report, 'ad')).toEqual(['ok']);
    expect(report.findings.find((f) => f.check === 'ad')?.text).toContain(`RODC number ${b.rodcNumber}, key version 1`);
  });

  it('names what is wrong: an RODC computer that does not exist', async () => {
    const { code, report } = await doctor(['--name', 'NOSUCH']);
    expect(code).toBe(1);
    expect(statuses(report, 'ad')).toEqual(['fail']);
  });
});
