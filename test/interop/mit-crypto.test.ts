/**
 * Issue 2, proven against MIT krb5: our RFC 3962/8009 string-to-key gives the keys MIT's KDC
 * database holds (exported with `kadmin.local ktadd -norandkey`), and tickets MIT issues decrypt
 * with those keys into EncTicketParts whose fields are the ones klist shows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { encTicketPartCodec, ticketCodec, type EncTicketPart, type Ticket } from '../../src/asn1/index.js';
import { ETYPE, KEY_USAGE, Key, decrypt, etypeName, stringToKey } from '../../src/crypto/index.js';
import { decodeCcache, decodeKeytab, filePrincipalText, type CcacheCredential, type KeytabEntry } from '../../src/files/index.js';
import { KLIST_ENV, hex, klistCredentialBlock } from '../support/klist.js';
import { kinit, useMitRealm, type MitRealm } from '../support/lab.js';
import { describeWithPeers } from '../support/peers.js';

const AES_ETYPES = [
  ETYPE.AES128_CTS_HMAC_SHA1_96,
  ETYPE.AES256_CTS_HMAC_SHA1_96,
  ETYPE.AES128_CTS_HMAC_SHA256_128,
  ETYPE.AES256_CTS_HMAC_SHA384_192,
] as const;

function keytabEntries(lab: MitRealm, name: string): readonly KeytabEntry[] {
  return decodeKeytab(readFileSync(lab.keytabPath(name))).entries;
}

function keyFor(entries: readonly KeytabEntry[], etype: number, kvno: number | undefined): Key {
  const e = entries.find((x) => x.key.keytype === etype && (kvno === undefined || x.kvno === kvno));
  if (e === undefined) throw new Error(`no keytab entry for ${etypeName(etype)} kvno ${kvno}`);
  return Key.fromBytes(e.key.keytype, e.key.keyvalue);
}

function openTicket(ticket: Ticket, key: Key): EncTicketPart {
  return encTicketPartCodec.decode(decrypt(key, KEY_USAGE.KDC_REP_TICKET, ticket.encPart.cipher));
}

function ticketCredentials(ccachePath: string): readonly CcacheCredential[] {
  return decodeCcache(readFileSync(ccachePath)).credentials.filter((c) => !c.isConfigEntry);
}

describeWithPeers('crypto against MIT krb5', ['root', 'ip', 'unshare', 'krb5kdc', 'kadmin.local', 'kinit', 'kvno', 'klist'], () => {
  const mit = useMitRealm();

  it.each(AES_ETYPES)('string-to-key for etype %i equals the key of a single-etype MIT user', (etype) => {
    const lab = mit();
    const entries = keytabEntries(lab, `alice${etype}`);
    expect(entries.map((e) => e.key.keytype)).toEqual([etype]);
    const ours = stringToKey(etype, lab.password, `${lab.realm}alice${etype}`);
    expect(hex(ours.exportBytes())).toBe(hex(entries[0]!.key.keyvalue));
  });

  it('string-to-key equals all four keys of a multi-etype user, and differs with another salt', () => {
    const lab = mit();
    for (const name of ['alice', 'bob']) {
      const entries = keytabEntries(lab, name);
      expect(entries.map((e) => e.key.keytype).sort()).toEqual([...AES_ETYPES]);
      for (const e of entries) {
        const ours = stringToKey(e.key.keytype, lab.password, `${lab.realm}${name}`);
        expect(hex(ours.exportBytes()), `${name} ${etypeName(e.key.keytype)}`).toBe(hex(e.key.keyvalue));
        const wrongSalt = stringToKey(e.key.keytype, lab.password, `${lab.realm}${name}x`);
        expect(hex(wrongSalt.exportBytes())).not.toBe(hex(e.key.keyvalue));
      }
    }
  });

  it('decrypts the MIT TGT and service tickets of every etype; fields match the ccache and klist', async () => {
    const lab = mit();
    const cc = join(lab.dir, 'cc.crypto');
    await kinit(lab, 'alice', cc);
    const services = AES_ETYPES.map((e) => `host/svc${e}.mit.test`);
    const kvno = await lab.exec(['kvno', '-c', `FILE:${cc}`, ...services, 'cifs/fs.mit.test']);
    expect(kvno.code, kvno.stderr).toBe(0);
    const klist = await lab.exec(['klist', '-e', '-f', '-c', `FILE:${cc}`], { env: KLIST_ENV });
    expect(klist.code).toBe(0);
    expect(klist.stdout).toContain('Default principal: alice@MIT.TEST\n');

    const keytabOf = (server: string): string =>
      server.startsWith('krbtgt/') ? 'krbtgt' : server.startsWith('cifs/') ? 'cifs' : `svc${/svc(\d+)/.exec(server)![1]}`;
    const creds = ticketCredentials(cc);
    expect(creds.map((c) => filePrincipalText(c.server))).toEqual([
      'krbtgt/MIT.TEST@MIT.TEST',
      ...services.map((s) => `${s}@MIT.TEST`),
      'cifs/fs.mit.test@MIT.TEST',
    ]);
    const ticketEtypes: number[] = [];
    for (const cred of creds) {
      const server = filePrincipalText(cred.server);
      const ticket = ticketCodec.decode(cred.ticket);
      ticketEtypes.push(ticket.encPart.etype);
      expect(`${ticket.sname.nameString.join('/')}@${ticket.realm}`).toBe(server);
      const part = openTicket(ticket, keyFor(keytabEntries(lab, keytabOf(server)), ticket.encPart.etype, ticket.encPart.kvno));

      // The KDC put the same values into the ticket and into the reply the client cached.
      expect(`${part.cname.nameString.join('/')}@${part.crealm}`).toBe(filePrincipalText(cred.client));
      expect(part.cname.nameString).toEqual(['alice']);
      expect(part.key.keytype).toBe(cred.key.keytype);
      expect(hex(part.key.keyvalue)).toBe(hex(cred.key.keyvalue));
      expect(part.flags >>> 0).toBe(cred.ticketFlags >>> 0);
      expect(part.authtime.getTime()).toBe(cred.authtime.getTime());
      expect((part.starttime ?? part.authtime).getTime()).toBe(cred.starttime.getTime());
      expect(part.endtime.getTime()).toBe(cred.endtime.getTime());
      expect(part.renewTill?.getTime()).toBe(cred.renewTill.getTime());

      // And klist prints exactly what we decrypted.
      expect(klist.stdout).toContain(
        klistCredentialBlock({
          server,
          authtime: part.authtime,
          starttime: part.starttime,
          endtime: part.endtime,
          renewTill: part.renewTill,
          flags: part.flags,
          sessionKeyEtype: part.key.keytype,
          ticketEtype: ticket.encPart.etype,
        }),
      );
    }
    // A ticket's etype is the service's first key (mit-lab.md): 18 for the TGT and cifs.
    expect(ticketEtypes).toEqual([18, ...AES_ETYPES, 18]);
  });

  it.each(AES_ETYPES)('a ticket MIT issues to user alice%i opens with the key we derive from the password', async (etype) => {
    const lab = mit();
    const cc = join(lab.dir, `cc.user${etype}`);
    await kinit(lab, 'alice', cc);
    const kvno = await lab.exec(['kvno', '-c', `FILE:${cc}`, `alice${etype}`]);
    expect(kvno.code, kvno.stderr).toBe(0);
    const cred = ticketCredentials(cc).find((c) => filePrincipalText(c.server) === `alice${etype}@${lab.realm}`);
    expect(cred).toBeDefined();
    const ticket = ticketCodec.decode(cred!.ticket);
    expect(ticket.encPart.etype).toBe(etype);
    const part = openTicket(ticket, stringToKey(etype, lab.password, `${lab.realm}alice${etype}`));
    expect(hex(part.key.keyvalue)).toBe(hex(cred!.key.keyvalue));
    expect(part.crealm).toBe(lab.realm);
  });

  it('a wrong key gives the integrity error, not garbage', async () => {
    const lab = mit();
    const cc = join(lab.dir, 'cc.wrongkey');
    await kinit(lab, 'alice', cc);
    const tgt = ticketCodec.decode(ticketCredentials(cc)[0]!.ticket);
    const wrong = stringToKey(ETYPE.AES256_CTS_HMAC_SHA1_96, 'not the krbtgt password', 'MIT.TESTkrbtgtMIT.TEST');
    let code: unknown;
    try {
      openTicket(tgt, wrong);
    } catch (e) {
      code = (e as { code?: unknown }).code;
    }
    expect(code).toBe('KRB_AP_ERR_BAD_INTEGRITY');
  });
});
