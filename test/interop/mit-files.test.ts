/**
 * Issue 2, proven against MIT krb5: ccaches and keytabs we write are read by klist exactly as MIT's
 * own, and MIT's `kvno -k` (offline, in an empty network namespace) validates a ticket from our
 * ccache with a key from our keytab. ccache → .kirbi → ccache keeps every credential field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { encTicketPartCodec, ticketCodec, type Ticket } from '../../src/asn1/index.js';
import { ETYPE, KEY_USAGE, Key, encrypt, randomKey, stringToKey } from '../../src/crypto/index.js';
import {
  ccacheToKirbi,
  decodeCcache,
  decodeKeytab,
  decodeKirbi,
  encodeCcache,
  encodeKeytab,
  encodeKirbi,
  kirbiToCcache,
  writeCredentialFile,
  type CcacheCredential,
  type FilePrincipal,
  type KeytabEntry,
} from '../../src/files/index.js';
import { KLIST_ENV, hex, klistCredentialBlock, withoutNameLine } from '../support/klist.js';
import { kinit, useMitRealm, type MitRealm } from '../support/lab.js';
import { describeWithPeers } from '../support/peers.js';

const AES_ETYPES = [17, 18, 19, 20] as const;
/** forwardable | renewable | pre-authent (RFC 4120 §5.3 bit order, bit 0 = 0x80000000). */
const FLAGS_FRA = 0x40000000 | 0x00800000 | 0x00200000;
const NT_PRINCIPAL = 1;

function principal(realm: string, ...components: string[]): FilePrincipal {
  return { nameType: NT_PRINCIPAL, components, realm };
}

/** MIT's ccache of alice with a TGT and one service ticket per etype (kinit + kvno). */
async function mitCcache(lab: MitRealm, name: string): Promise<string> {
  const cc = join(lab.dir, name);
  await kinit(lab, 'alice', cc);
  const r = await lab.exec(['kvno', '-c', `FILE:${cc}`, ...AES_ETYPES.map((e) => `host/svc${e}.mit.test`)]);
  expect(r.code, r.stderr).toBe(0);
  return cc;
}

async function klistCcache(lab: MitRealm, path: string, ...opts: string[]): Promise<string> {
  const r = await lab.exec(['klist', ...opts, '-c', `FILE:${path}`], { env: KLIST_ENV });
  expect(r.code, r.stderr).toBe(0);
  return withoutNameLine(r.stdout);
}

async function klistKeytab(lab: MitRealm, path: string, ...opts: string[]): Promise<string> {
  const r = await lab.exec(['klist', '-k', ...opts, path], { env: KLIST_ENV });
  expect(r.code, r.stderr).toBe(0);
  return withoutNameLine(r.stdout);
}

/** A service ticket we mint ourselves: alice → `sname`, encrypted under `serviceKey`. */
function mintCredential(realm: string, sname: readonly string[], serviceKey: Key, kvno: number): CcacheCredential {
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const endtime = new Date(now.getTime() + 10 * 3600_000);
  const renewTill = new Date(now.getTime() + 7 * 86400_000);
  const session = randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96);
  const sessionKey = { keytype: session.etype, keyvalue: session.exportBytes() };
  const part = encTicketPartCodec.encode({
    flags: FLAGS_FRA,
    key: sessionKey,
    crealm: realm,
    cname: { nameType: NT_PRINCIPAL, nameString: ['alice'] },
    transited: { trType: 1, contents: new Uint8Array(0) },
    authtime: now,
    starttime: now,
    endtime,
    renewTill,
  });
  const ticket: Ticket = {
    tktVno: 5,
    realm,
    sname: { nameType: NT_PRINCIPAL, nameString: [...sname] },
    encPart: { etype: serviceKey.etype, kvno, cipher: encrypt(serviceKey, KEY_USAGE.KDC_REP_TICKET, part) },
  };
  return {
    client: principal(realm, 'alice'),
    server: principal(realm, ...sname),
    key: sessionKey,
    authtime: now,
    starttime: now,
    endtime,
    renewTill,
    isSkey: false,
    ticketFlags: FLAGS_FRA,
    addresses: [],
    authdata: [],
    ticket: ticketCodec.encode(ticket),
    secondTicket: new Uint8Array(0),
    isConfigEntry: false,
  };
}

async function writeCcache(path: string, credentials: readonly CcacheCredential[], realm: string): Promise<void> {
  await writeCredentialFile(path, encodeCcache({ headerTags: [], defaultPrincipal: principal(realm, 'alice'), credentials }));
}

function keytabEntry(realm: string, components: readonly string[], kvno: number, key: Key): KeytabEntry {
  return {
    principal: principal(realm, ...components),
    timestamp: new Date(Math.floor(Date.now() / 1000) * 1000),
    kvno,
    key: { keytype: key.etype, keyvalue: key.exportBytes() },
  };
}

/** `kvno -c FILE:cc -k keytab spn` where no KDC can be reached: validates the cached ticket only. */
function offlineKvno(lab: MitRealm, cc: string, keytab: string, spn: string): ReturnType<MitRealm['execOffline']> {
  return lab.execOffline(['kvno', '-c', `FILE:${cc}`, '-k', keytab, spn]);
}

describeWithPeers('ccache and keytab files against MIT krb5', ['root', 'ip', 'unshare', 'krb5kdc', 'kinit', 'kvno', 'klist'], () => {
  const mit = useMitRealm();

  it('klist reads our re-encoding of an MIT ccache exactly as the original (-e -f -C, -a -d)', async () => {
    const lab = mit();
    const theirs = await mitCcache(lab, 'cc.mit');
    const decoded = decodeCcache(readFileSync(theirs));
    expect(decoded.credentials.some((c) => c.isConfigEntry)).toBe(true);
    const ours = join(lab.dir, 'cc.ours');
    await writeCredentialFile(ours, encodeCcache(decoded));
    for (const opts of [['-e', '-f', '-C'], ['-e', '-f', '-a', '-d']]) {
      expect(await klistCcache(lab, ours, ...opts)).toBe(await klistCcache(lab, theirs, ...opts));
    }
  });

  it('klist reads a ccache we build from nothing, with the values we put in', async () => {
    const lab = mit();
    const creds = AES_ETYPES.map((e) => {
      const svcKey = decodeKeytab(readFileSync(lab.keytabPath(`svc${e}`))).entries[0]!;
      return mintCredential(lab.realm, ['host', `svc${e}.mit.test`], Key.fromBytes(e, svcKey.key.keyvalue), 1);
    });
    const cc = join(lab.dir, 'cc.minted');
    await writeCcache(cc, creds, lab.realm);
    const out = await klistCcache(lab, cc, '-e', '-f', '-C');
    expect(out.startsWith(`Default principal: alice@${lab.realm}\n`)).toBe(true);
    for (const [i, e] of AES_ETYPES.entries()) {
      const c = creds[i]!;
      expect(out).toContain(
        klistCredentialBlock({
          server: `host/svc${e}.mit.test@${lab.realm}`,
          authtime: c.authtime,
          starttime: c.starttime,
          endtime: c.endtime,
          renewTill: c.renewTill,
          flags: c.ticketFlags,
          sessionKeyEtype: c.key.keytype,
          ticketEtype: e,
        }),
      );
    }
  });

  it('klist -k -K -e shows our keytabs exactly as MIT\'s own (re-encoded, and derived from the password)', async () => {
    const lab = mit();
    for (const name of ['krbtgt', 'alice', 'cifs', 'svc19', 'svc20']) {
      const theirs = lab.keytabPath(name);
      const ours = join(lab.dir, `ours-${name}.keytab`);
      await writeCredentialFile(ours, encodeKeytab(decodeKeytab(readFileSync(theirs))));
      expect(await klistKeytab(lab, ours, '-t', '-K', '-e'), name).toBe(await klistKeytab(lab, theirs, '-t', '-K', '-e'));
    }
    // alice's keys from nothing but the password, in MIT's order (supported_enctypes).
    const derived = decodeKeytab(readFileSync(lab.keytabPath('alice'))).entries.map((e) =>
      keytabEntry(lab.realm, ['alice'], 1, stringToKey(e.key.keytype, lab.password, `${lab.realm}alice`)),
    );
    const ours = join(lab.dir, 'derived-alice.keytab');
    await writeCredentialFile(ours, encodeKeytab({ entries: derived }));
    expect(await klistKeytab(lab, ours, '-K', '-e')).toBe(await klistKeytab(lab, lab.keytabPath('alice'), '-K', '-e'));
  });

  it('klist shows 32-bit RODC-style kvnos from our keytab trailer', async () => {
    const lab = mit();
    const key = randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96);
    const kvnos = [0x12340001, (54271 << 16) | 1]; // the second is ≥ 2^31: klist prints it negative
    const path = join(lab.dir, 'rodc.keytab');
    await writeCredentialFile(path, encodeKeytab({ entries: kvnos.map((k) => keytabEntry(lab.realm, ['krbtgt', lab.realm], k >>> 0, key)) }));
    const out = await klistKeytab(lab, path, '-e');
    expect(out).toMatch(/^\s*305397761 krbtgt\/MIT\.TEST@MIT\.TEST \(aes256-cts-hmac-sha1-96\)/m);
    expect(out).toMatch(new RegExp(`^\\s*${((54271 << 16) | 1) | 0} krbtgt/MIT\\.TEST@MIT\\.TEST`, 'm'));
  });

  it.each(AES_ETYPES)('offline kvno validates our ccache (MIT ticket to alice%i) with our keytab (key from the password)', async (etype) => {
    const lab = mit();
    const theirs = await mitCcache(lab, `cc.user${etype}`);
    const r0 = await lab.exec(['kvno', '-c', `FILE:${theirs}`, `alice${etype}`]);
    expect(r0.code, r0.stderr).toBe(0);
    const cc = join(lab.dir, `cc.ours-user${etype}`);
    await writeCredentialFile(cc, encodeCcache(decodeCcache(readFileSync(theirs))));
    const kt = join(lab.dir, `ours-alice${etype}.keytab`);
    const key = stringToKey(etype, lab.password, `${lab.realm}alice${etype}`);
    await writeCredentialFile(kt, encodeKeytab({ entries: [keytabEntry(lab.realm, [`alice${etype}`], 1, key)] }));
    const ok = await offlineKvno(lab, cc, kt, `alice${etype}`);
    expect(ok.stdout).toContain(`alice${etype}@${lab.realm}: kvno = 1, keytab entry valid`);
    expect(ok.code).toBe(0);

    const wrong = join(lab.dir, `wrong-alice${etype}.keytab`);
    const badKey = stringToKey(etype, `${lab.password}!`, `${lab.realm}alice${etype}`);
    await writeCredentialFile(wrong, encodeKeytab({ entries: [keytabEntry(lab.realm, [`alice${etype}`], 1, badKey)] }));
    const bad = await offlineKvno(lab, cc, wrong, `alice${etype}`);
    // kvno prints the verdict on stderr when the key does not open the ticket.
    expect(bad.stderr).toContain(`alice${etype}@${lab.realm}: kvno = 1, keytab entry invalid`);
    expect(bad.code).toBe(1);
  });

  it.each(AES_ETYPES)('offline kvno validates a ticket we mint for host/svc%i (our ccache, our keytab)', async (etype) => {
    const lab = mit();
    const mitKey = decodeKeytab(readFileSync(lab.keytabPath(`svc${etype}`))).entries[0]!;
    const key = Key.fromBytes(etype, mitKey.key.keyvalue);
    const sname = ['host', `svc${etype}.mit.test`];
    const cc = join(lab.dir, `cc.minted${etype}`);
    await writeCcache(cc, [mintCredential(lab.realm, sname, key, 1)], lab.realm);
    const kt = join(lab.dir, `ours-svc${etype}.keytab`);
    await writeCredentialFile(kt, encodeKeytab({ entries: [keytabEntry(lab.realm, sname, 1, key)] }));
    const ok = await offlineKvno(lab, cc, kt, sname.join('/'));
    expect(ok.stdout).toContain(`${sname.join('/')}@${lab.realm}: kvno = 1, keytab entry valid`);
    expect(ok.code).toBe(0);

    const wrong = join(lab.dir, `wrong-svc${etype}.keytab`);
    const badKey = randomKey(etype);
    await writeCredentialFile(wrong, encodeKeytab({ entries: [keytabEntry(lab.realm, sname, 1, badKey)] }));
    const bad = await offlineKvno(lab, cc, wrong, sname.join('/'));
    expect(bad.stderr).toContain('keytab entry invalid');
    expect(bad.code).toBe(1);
  });

  it('offline kvno accepts a ticket with an RODC-style kvno ≥ 2^31 against our keytab', async () => {
    const lab = mit();
    const key = randomKey(ETYPE.AES256_CTS_HMAC_SHA1_96);
    const kvno = ((54271 << 16) | 1) >>> 0;
    const sname = ['host', 'rodc.mit.test'];
    const cc = join(lab.dir, 'cc.rodc');
    await writeCcache(cc, [mintCredential(lab.realm, sname, key, kvno)], lab.realm);
    const kt = join(lab.dir, 'ours-rodc.keytab');
    await writeCredentialFile(kt, encodeKeytab({ entries: [keytabEntry(lab.realm, sname, kvno, key)] }));
    const ok = await offlineKvno(lab, cc, kt, sname.join('/'));
    expect(ok.stdout).toContain('keytab entry valid');
    expect(ok.code).toBe(0);
  });

  it('ccache → .kirbi → ccache keeps every credential field of MIT\'s tickets', async () => {
    const lab = mit();
    const original = decodeCcache(readFileSync(await mitCcache(lab, 'cc.kirbi')));
    const kirbi = ccacheToKirbi(original);
    expect(kirbi.dropped.map((d) => d.field)).toEqual(original.credentials.filter((c) => c.isConfigEntry).map(() => 'config-entry'));
    const back = kirbiToCcache(decodeKirbi(encodeKirbi(kirbi.value))).value;
    const tickets = original.credentials.filter((c) => !c.isConfigEntry);
    expect(back.credentials).toHaveLength(tickets.length);
    expect(back.defaultPrincipal).toEqual(original.defaultPrincipal);
    for (const [i, want] of tickets.entries()) {
      const got = back.credentials[i]!;
      expect(got.client).toEqual(want.client);
      expect(got.server).toEqual(want.server);
      expect(got.key.keytype).toBe(want.key.keytype);
      expect(hex(got.key.keyvalue)).toBe(hex(want.key.keyvalue));
      for (const t of ['authtime', 'starttime', 'endtime', 'renewTill'] as const) expect(got[t].getTime(), t).toBe(want[t].getTime());
      expect(got.ticketFlags >>> 0).toBe(want.ticketFlags >>> 0);
      expect(got.addresses).toEqual(want.addresses);
      expect(hex(got.ticket)).toBe(hex(want.ticket));
      expect(got.isSkey).toBe(false);
    }
    // …and klist agrees: the round-tripped ccache lists exactly the original's tickets.
    const path = join(lab.dir, 'cc.kirbi-back');
    await writeCredentialFile(path, encodeCcache(back));
    const withoutConfig = (s: string): string => s.replace(/^config: .*\n/gm, '');
    expect(await klistCcache(lab, path, '-e', '-f')).toBe(withoutConfig(await klistCcache(lab, join(lab.dir, 'cc.kirbi'), '-e', '-f')));
  });
});
