/**
 * Our crypto and DER against a second KDC: tickets a real Samba AD DC issues (Heimdal-based KDC)
 * open with the keys `samba-tool domain exportkeytab` gives, their fields are what klist shows,
 * and the PAC we find inside is byte for byte the one impacket + Samba's python NDR find.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { encTicketPartCodec, extractPac, ticketCodec } from '../../src/asn1/index.js';
import { KEY_USAGE, Key, decrypt } from '../../src/crypto/index.js';
import { decodeCcache, decodeKeytab, filePrincipalText } from '../../src/files/index.js';
import { KLIST_ENV, hex, klistCredentialBlock } from '../support/klist.js';
import { kinit, run, useSambaDc } from '../support/lab.js';
import { describeWithPeers } from '../support/peers.js';

const PAC_DUMP = join(import.meta.dirname, '..', '..', 'scripts', 'lab', 'samba-pac-dump.py');

describeWithPeers('tickets of a Samba AD DC', ['root', 'ip', 'unshare', 'samba', 'samba-tool', 'kinit', 'kvno', 'klist', '/usr/bin/python3'], () => {
  const samba = useSambaDc();

  it('alice\'s TGT and cifs ticket decrypt with the exported keys; fields match the ccache, klist and impacket\'s PAC', async () => {
    const lab = samba();
    const cc = join(lab.dir, 'cc.alice');
    await kinit(lab, 'alice', cc);
    const kvno = await lab.exec(['kvno', '-c', `FILE:${cc}`, 'cifs/dc1.samba.test']);
    expect(kvno.code, kvno.stderr).toBe(0);
    const keytabs = { krbtgt: join(lab.dir, 'krbtgt.keytab'), cifs: join(lab.dir, 'cifs.keytab') };
    await lab.exportKeytab('krbtgt', keytabs.krbtgt);
    await lab.exportKeytab('cifs/dc1.samba.test', keytabs.cifs);
    const klist = await lab.exec(['klist', '-e', '-f', '-c', `FILE:${cc}`], { env: KLIST_ENV });

    const dumpDir = join(lab.dir, 'pac-dump');
    mkdirSync(dumpDir, { recursive: true });
    const dump = await run('/usr/bin/python3', [PAC_DUMP, cc, dumpDir, keytabs.krbtgt, keytabs.cifs]);
    expect(dump.code, dump.stderr).toBe(0);

    const creds = decodeCcache(readFileSync(cc)).credentials.filter((c) => !c.isConfigEntry);
    expect(creds.map((c) => filePrincipalText(c.server))).toEqual(['krbtgt/SAMBA.TEST@SAMBA.TEST', 'cifs/dc1.samba.test@SAMBA.TEST']);
    for (const [cred, keytab, dumped] of [
      [creds[0]!, keytabs.krbtgt, 'tgt.pac'],
      [creds[1]!, keytabs.cifs, 'cifs.pac'],
    ] as const) {
      const ticket = ticketCodec.decode(cred.ticket);
      const entry = decodeKeytab(readFileSync(keytab)).entries.find(
        (e) => e.key.keytype === ticket.encPart.etype && e.kvno === ticket.encPart.kvno,
      );
      expect(entry, filePrincipalText(cred.server)).toBeDefined();
      const part = encTicketPartCodec.decode(
        decrypt(Key.fromBytes(entry!.key.keytype, entry!.key.keyvalue), KEY_USAGE.KDC_REP_TICKET, ticket.encPart.cipher),
      );
      expect(part.cname.nameString).toEqual(['alice']);
      expect(part.crealm).toBe('SAMBA.TEST');
      expect(hex(part.key.keyvalue)).toBe(hex(cred.key.keyvalue));
      expect(part.flags >>> 0).toBe(cred.ticketFlags >>> 0);
      expect(part.endtime.getTime()).toBe(cred.endtime.getTime());
      expect(klist.stdout).toContain(
        klistCredentialBlock({
          server: filePrincipalText(cred.server),
          authtime: part.authtime,
          starttime: part.starttime,
          endtime: part.endtime,
          renewTill: part.renewTill,
          flags: part.flags,
          sessionKeyEtype: part.key.keytype,
          ticketEtype: ticket.encPart.etype,
        }),
      );
      const pac = extractPac(part.authorizationData);
      expect(pac, 'AD-IF-RELEVANT[AD-WIN2K-PAC]').toBeDefined();
      expect(hex(pac!)).toBe(hex(readFileSync(join(dumpDir, dumped))));
    }
  });
});
