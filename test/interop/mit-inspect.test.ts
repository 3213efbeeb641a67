/**
 * `tgtbridge inspect --json` on files a live MIT realm just made: every ticket of the ccache opens
 * with the keytabs (or alice's password) and the document says what klist says.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.js';
import { run as inspect } from '../../src/cli/commands/inspect.js';
import { KLIST_ENV, klistCredentialBlock, withoutNameLine } from '../support/klist.js';
import { kinit, useMitRealm, type MitRealm } from '../support/lab.js';
import { describeWithPeers } from '../support/peers.js';

const AES_ETYPES = [17, 18, 19, 20] as const;

async function inspectJson(args: readonly string[]): Promise<{ code: number; doc: Record<string, unknown>; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: () => Promise.resolve(new Uint8Array(0)),
    env: {},
    cwd: process.cwd(),
  };
  const code = await inspect([...args, '--json'], io);
  return { code, doc: stdout === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>), stderr };
}

/** The typed corner of the document this test reads (docs/inspect-json.md). */
interface CredentialView {
  readonly server: string;
  readonly flagsHex: string;
  readonly sessionKey: { readonly etype: number };
  readonly ticket: {
    readonly encPart: { readonly etype: number; readonly kvno?: number };
    readonly decrypted?: {
      readonly cname: string;
      readonly crealm: string;
      readonly flagsHex: string;
      readonly key: { readonly etype: number };
      readonly authtime: string;
      readonly starttime?: string;
      readonly endtime: string;
      readonly renewTill?: string;
    };
  };
}

async function mitCcache(lab: MitRealm, name: string, ...spns: string[]): Promise<string> {
  const cc = join(lab.dir, name);
  await kinit(lab, 'alice', cc);
  if (spns.length > 0) {
    const r = await lab.exec(['kvno', '-c', `FILE:${cc}`, ...spns]);
    expect(r.code, r.stderr).toBe(0);
  }
  return cc;
}

describeWithPeers('tgtbridge inspect against MIT krb5', ['root', 'ip', 'krb5kdc', 'kadmin.local', 'kinit', 'kvno', 'klist'], () => {
  const mit = useMitRealm();

  it('decrypts every ticket of an MIT ccache with the exported keytabs; the document matches klist', async () => {
    const lab = mit();
    const spns = AES_ETYPES.map((e) => `host/svc${e}.mit.test`);
    const cc = await mitCcache(lab, 'cc.inspect', ...spns);
    const keytabs = ['krbtgt', ...AES_ETYPES.map((e) => `svc${e}`)].flatMap((k) => ['--keytab', lab.keytabPath(k)]);
    const { code, doc, stderr } = await inspectJson([cc, ...keytabs]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(doc['kind']).toBe('ccache');
    const ccache = doc['ccache'] as { defaultPrincipal: string; credentials: CredentialView[] };
    expect(ccache.defaultPrincipal).toBe('alice@MIT.TEST');
    expect(ccache.credentials.map((c) => c.server)).toEqual(['krbtgt/MIT.TEST@MIT.TEST', ...spns.map((s) => `${s}@MIT.TEST`)]);

    const klist = await lab.exec(['klist', '-e', '-f', '-c', `FILE:${cc}`], { env: KLIST_ENV });
    for (const c of ccache.credentials) {
      const d = c.ticket.decrypted;
      expect(d, c.server).toBeDefined();
      expect(`${d!.cname}@${d!.crealm}`).toBe('alice@MIT.TEST');
      expect(d!.flagsHex).toBe(c.flagsHex);
      expect(d!.key.etype).toBe(c.sessionKey.etype);
      expect(klist.stdout).toContain(
        klistCredentialBlock({
          server: c.server,
          authtime: new Date(d!.authtime),
          starttime: d!.starttime === undefined ? undefined : new Date(d!.starttime),
          endtime: new Date(d!.endtime),
          renewTill: d!.renewTill === undefined ? undefined : new Date(d!.renewTill),
          flags: Number.parseInt(d!.flagsHex, 16),
          sessionKeyEtype: d!.key.etype,
          ticketEtype: c.ticket.encPart.etype,
        }),
      );
    }
    expect((doc['decryption'] as { decrypted: number }).decrypted).toBe(1 + AES_ETYPES.length);
  });

  it.each(AES_ETYPES)('opens an MIT ticket to alice%i with --password and --principal', async (etype) => {
    const lab = mit();
    const cc = await mitCcache(lab, `cc.inspect-pw${etype}`, `alice${etype}`);
    const { code, doc } = await inspectJson([cc, '--password', lab.password, '--principal', `alice${etype}@MIT.TEST`]);
    expect(code).toBe(0);
    const creds = (doc['ccache'] as { credentials: CredentialView[] }).credentials;
    const mine = creds.find((c) => c.server === `alice${etype}@MIT.TEST`);
    expect(mine?.ticket.encPart.etype).toBe(etype);
    expect(mine?.ticket.decrypted?.cname).toBe('alice');
    // The TGT is under krbtgt's key, which no password given here makes.
    expect(creds.find((c) => c.server.startsWith('krbtgt/'))?.ticket.decrypted).toBeUndefined();
  });

  it('exits 1 when keys are given and none opens anything', async () => {
    const lab = mit();
    const cc = await mitCcache(lab, 'cc.inspect-wrong', 'host/svc18.mit.test');
    const { code, doc } = await inspectJson([cc, '--keytab', lab.keytabPath('bob')]);
    expect(code).toBe(1);
    expect((doc['decryption'] as { decrypted: number }).decrypted).toBe(0);
  });

  it('lists an MIT keytab as klist -k -e does', async () => {
    const lab = mit();
    const { code, doc } = await inspectJson([lab.keytabPath('alice')]);
    expect(code).toBe(0);
    const entries = (doc['keytab'] as { entries: { principal: string; kvno: number; etypeName: string }[] }).entries;
    const klist = await lab.exec(['klist', '-k', '-e', lab.keytabPath('alice')], { env: KLIST_ENV });
    const lines = withoutNameLine(klist.stdout).split('\n').slice(2).filter((l) => l.trim() !== '');
    expect(entries.map((e) => `${e.kvno} ${e.principal} (${e.etypeName})`)).toEqual(lines.map((l) => l.trim().replace(/\s+/, ' ').trim()));
  });
});
