/**
 * .kirbi against a second implementation: python3-impacket's `CCache.saveKirbiFile` /
 * `loadKirbiFile` (what its ticketConverter.py runs) reads the .kirbi we write and writes .kirbi
 * files we read, with MIT klist as the judge of the ccaches on either side. impacket converts one
 * credential per file, so each file here holds one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import {
  ccacheToKirbi,
  decodeCcache,
  decodeKirbi,
  encodeCcache,
  encodeKirbi,
  filePrincipalText,
  kirbiToCcache,
  writeCredentialFile,
  type Ccache,
} from '../../src/files/index.js';
import { KLIST_ENV, hex, withoutNameLine } from '../support/klist.js';
import { kinit, run, useMitRealm, type MitRealm } from '../support/lab.js';
import { describeWithPeers } from '../support/peers.js';

const PYTHON = '/usr/bin/python3';
const TO_KIRBI = 'import sys\nfrom impacket.krb5.ccache import CCache\nCCache.loadFile(sys.argv[1]).saveKirbiFile(sys.argv[2])\n';
const TO_CCACHE = 'import sys\nfrom impacket.krb5.ccache import CCache\nCCache.loadKirbiFile(sys.argv[1]).saveFile(sys.argv[2])\n';

async function impacket(script: string, input: string, output: string): Promise<void> {
  const r = await run(PYTHON, ['-c', script, input, output]);
  expect(r.code, r.stderr).toBe(0);
}

async function klist(lab: MitRealm, path: string): Promise<string> {
  const r = await lab.exec(['klist', '-e', '-f', '-c', `FILE:${path}`], { env: KLIST_ENV });
  expect(r.code, r.stderr).toBe(0);
  return withoutNameLine(r.stdout);
}

/** MIT's ccache of alice reduced to one credential (the TGT or a service ticket), written by us. */
async function oneCredentialCcache(lab: MitRealm, name: string, spn?: string): Promise<{ path: string; cc: Ccache }> {
  const full = join(lab.dir, `${name}.full`);
  await kinit(lab, 'alice', full);
  if (spn !== undefined) {
    const r = await lab.exec(['kvno', '-c', `FILE:${full}`, spn]);
    expect(r.code, r.stderr).toBe(0);
  }
  const all = decodeCcache(readFileSync(full));
  const want = spn === undefined ? `krbtgt/${lab.realm}@${lab.realm}` : `${spn}@${lab.realm}`;
  const cc: Ccache = { ...all, credentials: all.credentials.filter((c) => filePrincipalText(c.server) === want) };
  expect(cc.credentials).toHaveLength(1);
  const path = join(lab.dir, name);
  await writeCredentialFile(path, encodeCcache(cc));
  return { path, cc };
}

describeWithPeers('.kirbi against impacket', ['root', 'ip', 'krb5kdc', 'kinit', 'kvno', 'klist', PYTHON], () => {
  const mit = useMitRealm();

  it.each([
    { what: 'TGT', spn: undefined },
    { what: 'host/svc20.mit.test', spn: 'host/svc20.mit.test' },
  ])('impacket turns our .kirbi ($what) into the ccache klist shows for the original', async ({ spn }) => {
    const lab = mit();
    const { path, cc } = await oneCredentialCcache(lab, `cc.ours-${spn === undefined ? 'tgt' : 'svc'}`, spn);
    const kirbi = join(lab.dir, 'ours.kirbi');
    await writeCredentialFile(kirbi, encodeKirbi(ccacheToKirbi(cc).value));
    const back = join(lab.dir, 'impacket-back.ccache');
    await impacket(TO_CCACHE, kirbi, back);
    expect(await klist(lab, back)).toBe(await klist(lab, path));
  });

  it('we read the .kirbi impacket writes from an MIT ticket, field for field', async () => {
    const lab = mit();
    const { path, cc } = await oneCredentialCcache(lab, 'cc.mit-svc', 'host/svc19.mit.test');
    const kirbi = join(lab.dir, 'impacket.kirbi');
    await impacket(TO_KIRBI, path, kirbi);
    const decoded = decodeKirbi(readFileSync(kirbi));
    const got = kirbiToCcache(decoded).value.credentials;
    const want = cc.credentials[0]!;
    expect(got).toHaveLength(1);
    expect(filePrincipalText(got[0]!.client)).toBe(filePrincipalText(want.client));
    expect(filePrincipalText(got[0]!.server)).toBe(filePrincipalText(want.server));
    expect(hex(got[0]!.key.keyvalue)).toBe(hex(want.key.keyvalue));
    // impacket 0.10 builds TicketFlags as a pyasn1 BitString from an integer: minimal length, so
    // forwardable|renewable|… becomes a 31-bit string (`03 05 01 81 …`) whose bits sit one place
    // early. We read the BIT STRING as X.690 says (bit 0 first): the flags come out shifted.
    expect(want.ticketFlags & 0xc0000000).toBe(0x40000000); // reserved clear, forwardable set: exactly 31 bits
    expect(got[0]!.ticketFlags >>> 0).toBe((want.ticketFlags << 1) >>> 0);
    // impacket writes no authtime into KrbCredInfo; the times it does write survive.
    for (const t of ['starttime', 'endtime', 'renewTill'] as const) expect(got[0]![t].getTime(), t).toBe(want[t].getTime());
    expect(hex(got[0]!.ticket)).toBe(hex(want.ticket));
  });
});
