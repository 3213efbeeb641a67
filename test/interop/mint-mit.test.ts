/**
 * Issue 5 against MIT krb5 1.20 (Debian 12): our partial TGT, minted with a krbtgt key of MIT's
 * realm under an RODC-style kvno, is read by klist and validated by MIT's own `kvno -k` offline;
 * our TGS client gets tickets from MIT krb5kdc with a TGT from a real kinit, and MIT validates the
 * service ticket we stored. KDC refusals come back as KdcReplyError with MIT's code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { KDC_OPTIONS, ticketCodec } from '../../src/asn1/index.js';
import * as kvnoCommand from '../../src/cli/commands/kvno.js';
import * as mintCommand from '../../src/cli/commands/mint.js';
import { ETYPE, Key } from '../../src/crypto/index.js';
import { decodeCcache, decodeKeytab, encodeKeytab, writeCredentialFile, type KeytabEntry } from '../../src/files/index.js';
import { KdcReplyError, requestTgs, sendToKdc } from '../../src/kdc/index.js';
import { openTicket } from '../../src/ticket/index.js';
import { systemClock, systemRandom } from '../../src/util/index.js';
import { runCommand } from '../cli/cli-io.js';
import { KLIST_ENV } from '../support/klist.js';
import { kinit, useMitRealm, type MitRealm } from '../support/lab.js';
import { describeWithPeers } from '../support/peers.js';

const N = 0x8001; // ≥ 0x8000: the kvno is a negative INTEGER on the wire
const KVNO = ((N << 16) | 1) >>> 0;

function mitKey(lab: MitRealm, keytab: string, etype: number): Key {
  const e = decodeKeytab(readFileSync(lab.keytabPath(keytab))).entries.find((x) => x.key.keytype === etype);
  if (e === undefined) throw new Error(`${keytab}.keytab has no etype ${etype}`);
  return Key.fromBytes(etype, e.key.keyvalue);
}

function entry(realm: string, components: readonly string[], kvno: number, key: Key): KeytabEntry {
  return { principal: { nameType: 1, components, realm }, timestamp: new Date(0), kvno, key: { keytype: key.etype, keyvalue: key.exportBytes() } };
}

describeWithPeers('minting and the TGS client against MIT krb5', ['root', 'ip', 'unshare', 'krb5kdc', 'kinit', 'kvno', 'klist'], () => {
  const mit = useMitRealm();

  it('tgtbridge mint → klist reads the partial TGT; MIT kvno -k (offline) decrypts it with the negative kvno', async () => {
    const lab = mit();
    const krbtgt = mitKey(lab, 'krbtgt', ETYPE.AES256_CTS_HMAC_SHA1_96);
    const exported = join(lab.dir, 'krbtgt_n.keytab');
    await writeCredentialFile(exported, encodeKeytab({ entries: [entry(lab.realm, [`krbtgt_${N}`], KVNO, krbtgt)] }));
    const cc = join(lab.dir, 'cc.partial');
    const r = await runCommand(mintCommand, ['--user', 'alice', '--sid', 'S-1-5-21-1-2-3-1104', '--realm', lab.realm, '--keys', exported, '--out', cc], { cwd: lab.dir });
    expect(r.code, r.stderr).toBe(0);

    const klist = await lab.exec(['klist', '-e', '-f', '-c', `FILE:${cc}`], { env: KLIST_ENV });
    expect(klist.code, klist.stderr).toBe(0);
    expect(klist.stdout).toContain(`Default principal: alice@${lab.realm}`);
    expect(klist.stdout).toMatch(new RegExp(`krbtgt/${lab.realm}@${lab.realm}\\n\\s+renew until [^\\n]*, Flags: FRIA\\n\\s+Etype \\(skey, tkt\\): aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96`));

    // MIT's keytab lookup matches the ticket's kvno (-2147418111) with our 32-bit trailer.
    const kt = join(lab.dir, 'krbtgt-rodc.keytab');
    await writeCredentialFile(kt, encodeKeytab({ entries: [entry(lab.realm, ['krbtgt', lab.realm], KVNO, krbtgt)] }));
    const ok = await lab.execOffline(['kvno', '-c', `FILE:${cc}`, '-k', kt, `krbtgt/${lab.realm}`]);
    expect(ok.stdout).toContain(`krbtgt/${lab.realm}@${lab.realm}: kvno = ${KVNO | 0}, keytab entry valid`);
    expect(ok.code).toBe(0);
  });

  it('requestTgs with a kinit TGT: a service ticket and a new TGT from krb5kdc, over the forwarded KDC port', async () => {
    const lab = mit();
    const cc = join(lab.dir, 'cc.alice');
    await kinit(lab, 'alice', cc);
    const cache = decodeCcache(readFileSync(cc));
    const c = cache.credentials.find((x) => !x.isConfigEntry && x.server.components[0] === 'krbtgt')!;
    const tgt = {
      ticket: ticketCodec.decode(c.ticket),
      sessionKey: Key.fromBytes(c.key.keytype, c.key.keyvalue),
      crealm: c.client.realm,
      cname: { nameType: c.client.nameType, nameString: c.client.components },
    };
    const fwd = await lab.forwardKdc();
    const kdc = [{ host: '127.0.0.1', port: fwd.port }];
    const send = (der: Uint8Array) => sendToKdc(kdc, der);
    const common = { tgt, clock: systemClock, random: systemRandom, send };

    const svc = await requestTgs({ ...common, sname: { nameType: 2, nameString: ['host', 'svc18.mit.test'] }, srealm: lab.realm, kdcOptions: KDC_OPTIONS.forwardable, till: c.endtime });
    const svcPart = openTicket(svc.ticket, mitKey(lab, 'svc18', 18)).encTicketPart;
    expect(svcPart.cname.nameString).toEqual(['alice']);
    expect(svcPart.key.keyvalue).toEqual(svc.sessionKey.exportBytes());

    const renewed = await requestTgs({
      ...common,
      sname: { nameType: 2, nameString: ['krbtgt', lab.realm] },
      srealm: lab.realm,
      kdcOptions: (KDC_OPTIONS.forwardable | KDC_OPTIONS.renewable | KDC_OPTIONS.canonicalize) >>> 0,
      till: c.endtime,
      rtime: c.renewTill,
    });
    expect(openTicket(renewed.ticket, mitKey(lab, 'krbtgt', renewed.ticket.encPart.etype)).encTicketPart.crealm).toBe(lab.realm);

    const unknown = await requestTgs({ ...common, sname: { nameType: 2, nameString: ['host', 'nobody.mit.test'] }, srealm: lab.realm, kdcOptions: 0, till: c.endtime }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(KdcReplyError);
    expect(unknown).toMatchObject({ code: 'KDC_ERR_S_PRINCIPAL_UNKNOWN', krbCode: 7 });
    await fwd.close();
  });

  it('tgtbridge kvno adds a service ticket from krb5kdc that MIT kvno -k then validates offline', async () => {
    const lab = mit();
    const cc = join(lab.dir, 'cc.kvno');
    await kinit(lab, 'alice', cc);
    const fwd = await lab.forwardKdc();
    const r = await runCommand(kvnoCommand, ['host/svc18.mit.test', '--ccache', cc, '--kdc', `127.0.0.1:${fwd.port}`]);
    await fwd.close();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`host/svc18.mit.test@${lab.realm}: kvno = 1 (aes256-cts-hmac-sha1-96)\n`);
    const ok = await lab.execOffline(['kvno', '-c', `FILE:${cc}`, '-k', lab.keytabPath('svc18'), 'host/svc18.mit.test']);
    expect(ok.stdout).toContain('keytab entry valid');
    expect(ok.code).toBe(0);
  });
});
