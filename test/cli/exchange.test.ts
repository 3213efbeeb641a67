import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KDC_OPTIONS, krbErrorCodec, ticketCodec, TICKET_FLAGS } from '../../src/asn1/index.js';
import * as exchange from '../../src/cli/commands/exchange.js';
import * as kvno from '../../src/cli/commands/kvno.js';
import { ccachePath } from '../../src/cli/tickets/ccache-location.js';
import { ccacheCredential, filePrincipal, singleCredentialCcache } from '../../src/cli/tickets/credential.js';
import { decodeCcache, encodeCcache, type CcacheCredential } from '../../src/files/index.js';
import { mintPartialTgt, openTicket } from '../../src/ticket/index.js';
import { kdcOptionsFor } from '../../src/kdc/index.js';
import { fakeKdc } from '../kdc/tgs-fake-kdc.js';
import { makeLab, mint, REALM as LAB_REALM } from '../kdc/service/support.js';
import { ALICE, aes256, clock, seededRandom } from '../ticket/support.js';
import { runCommand } from './cli-io.js';

const krbtgtN = aes256(0x42);
const domainKey = aes256(0x55);
const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

/** A loopback UDP KDC answering with `handle`. */
async function udpKdc(handle: (der: Uint8Array) => Promise<Uint8Array>): Promise<number> {
  const s = createSocket('udp4');
  sockets.push(s);
  s.on('message', (msg, rinfo) => {
    void handle(new Uint8Array(msg)).then((reply) => s.send(reply, rinfo.port, rinfo.address));
  });
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return s.address().port;
}

const CONFIG_ENTRY: CcacheCredential = {
  client: { nameType: 1, components: ['alice'], realm: 'DEMO.TEST' },
  server: { nameType: 0, components: ['krb5_ccache_conf_data', 'pa_type', 'krbtgt/DEMO.TEST@DEMO.TEST'], realm: 'X-CACHECONF:' },
  key: { keytype: 0, keyvalue: new Uint8Array(0) },
  authtime: new Date(0), starttime: new Date(0), endtime: new Date(0), renewTill: new Date(0),
  isSkey: false, ticketFlags: 0, addresses: [], authdata: [], ticket: new TextEncoder().encode('2'), secondTicket: new Uint8Array(0), isConfigEntry: true,
};

async function partialCcache(): Promise<{ dir: string; cc: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'tgtb-exchange-'));
  const m = mintPartialTgt({ user: ALICE, realm: 'DEMO.TEST', rodcKey: { key: krbtgtN, rodcNumber: 0x8001, keyVersion: 1 }, clock, random: seededRandom() });
  const cred = ccacheCredential(filePrincipal(m.encTicketPart.cname, 'DEMO.TEST'), m.ticket, m.encTicketPart);
  const cache = singleCredentialCcache(cred);
  const cc = join(dir, 'cc');
  await writeFile(cc, encodeCcache({ ...cache, credentials: [CONFIG_ENTRY, cred] }), { mode: 0o644 });
  return { dir, cc };
}

describe('ccachePath', () => {
  it('explicit flag, KRB5CCNAME with or without FILE:, MIT default; refuses other cache types', () => {
    expect(ccachePath('/x/cc', { KRB5CCNAME: '/y' })).toBe('/x/cc');
    expect(ccachePath(undefined, { KRB5CCNAME: 'FILE:/y/cc' })).toBe('/y/cc');
    expect(ccachePath(undefined, { KRB5CCNAME: '/z/cc' })).toBe('/z/cc');
    expect(ccachePath(undefined, {}, 1000)).toBe('/tmp/krb5cc_1000');
    expect(() => ccachePath(undefined, { KRB5CCNAME: 'KEYRING:persistent:1000' })).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
  });
});

describe('tgtbridge exchange', () => {
  it('replaces the partial TGT with the KDC’s TGT (0600), keeps other entries, KDC from KRB5_CONFIG', async () => {
    const { dir, cc } = await partialCcache();
    const kdc = fakeKdc(krbtgtN, domainKey);
    const port = await udpKdc(kdc.handle);
    const conf = join(dir, 'krb5.conf');
    await writeFile(conf, `[libdefaults]\n default_realm = DEMO.TEST\n[realms]\n DEMO.TEST = {\n  kdc = 127.0.0.1:${port}\n }\n`);
    const r = await runCommand(exchange, [], { env: { KRB5CCNAME: `FILE:${cc}`, KRB5_CONFIG: conf } });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(kdc.seen[0]!.checksumOk).toBe(true);
    expect(kdc.seen[0]!.req.padata!.map((p) => p.padataType)).toEqual([1]); // no KERB-KEY-LIST-REQ
    expect(kdc.seen[0]!.req.reqBody.kdcOptions).toBe(0x40810000);
    expect((await stat(cc)).mode & 0o777).toBe(0o600);
    const after = decodeCcache(await readFile(cc));
    expect(after.credentials).toHaveLength(2);
    expect(after.credentials[0]!.isConfigEntry).toBe(true);
    const tgt = ticketCodec.decode(after.credentials[1]!.ticket);
    expect(tgt.encPart.kvno).toBe(2);
    expect(openTicket(tgt, domainKey).encTicketPart.cname.nameString).toEqual(['alice']);
    // Exchanging again finds no partial TGT.
    expect((await runCommand(exchange, ['--ccache', cc, '--kdc', `127.0.0.1:${port}`])).code).toBe(1);
  });

  it('--with-nt-hash warns and adds KERB-KEY-LIST-REQ', async () => {
    const { cc } = await partialCcache();
    const kdc = fakeKdc(krbtgtN, domainKey);
    const port = await udpKdc(kdc.handle);
    const r = await runCommand(exchange, ['--ccache', cc, '--kdc', `127.0.0.1:${port}`, '--with-nt-hash']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning');
    expect(kdc.seen[0]!.req.padata!.map((p) => p.padataType)).toEqual([1, 161]);
  });

  it('a KRB-ERROR is explained, exit 1, and the ccache is left alone', async () => {
    const { cc } = await partialCcache();
    const before = await readFile(cc);
    const err = krbErrorCodec.encode({ stime: new Date(0), susec: 0, errorCode: 20, realm: 'DEMO.TEST', sname: { nameType: 2, nameString: ['krbtgt', 'DEMO.TEST'] } });
    const port = await udpKdc(async () => err);
    const r = await runCommand(exchange, ['--ccache', cc, '--kdc', `127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('KDC_ERR_TGT_REVOKED (20)');
    expect(r.stderr).toContain('password-replication policy');
    expect(Buffer.from(await readFile(cc)).equals(before)).toBe(true);
  });

  it('no KDC for the realm in krb5.conf → exit 2', async () => {
    const { dir, cc } = await partialCcache();
    const conf = join(dir, 'krb5.conf');
    await writeFile(conf, '[libdefaults]\n default_realm = OTHER.TEST\n');
    const r = await runCommand(exchange, ['--ccache', cc], { env: { KRB5_CONFIG: conf } });
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('ERR_CONFIG')]);
  });
});

describe('tgtbridge kvno', () => {
  it('adds a service ticket obtained with the TGT in the ccache', async () => {
    const { cc } = await partialCcache();
    const kdc = fakeKdc(krbtgtN, domainKey);
    const port = await udpKdc(kdc.handle);
    const r = await runCommand(kvno, ['cifs/fs1.demo.test', '--ccache', cc, '--kdc', `127.0.0.1:${port}`]);
    expect([r.code, r.stdout]).toEqual([0, 'cifs/fs1.demo.test@DEMO.TEST: kvno = 2 (aes256-cts-hmac-sha1-96)\n']);
    const after = decodeCcache(await readFile(cc));
    expect(after.credentials.map((c) => c.server.components.join('/'))).toEqual(['krb5_ccache_conf_data/pa_type/krbtgt/DEMO.TEST@DEMO.TEST', 'krbtgt/DEMO.TEST', 'cifs/fs1.demo.test']);
  });
});

describe('the options asked follow the TGT, as MIT clients do (a DC refuses FORWARDABLE of a TGT without it: Samba 4.17, 13)', () => {
  it('exchange and kvno with a partial TGT that is neither forwardable nor renewable, against the embedded KDC', async () => {
    const lab = makeLab();
    lab.clock.at = Date.now(); // the CLI's clock is the system's
    const partial = mint(lab, { renewable: false, enc: (e) => ({ ...e, flags: (e.flags & ~TICKET_FLAGS.forwardable) >>> 0 }) });
    const dir = await mkdtemp(join(tmpdir(), 'tgtb-exchange-'));
    const cc = join(dir, 'cc');
    await writeFile(cc, encodeCcache(singleCredentialCcache(ccacheCredential(filePrincipal(partial.cname, LAB_REALM), partial.ticket, partial.enc))), { mode: 0o600 });
    const port = await udpKdc(async (der) => (await lab.kdc.handle(der, { transport: 'udp', address: '127.0.0.1' }))!);
    const ex = await runCommand(exchange, ['--ccache', cc, '--kdc', `127.0.0.1:${port}`]);
    expect([ex.code, ex.stderr]).toEqual([0, '']);
    const kv = await runCommand(kvno, ['cifs/fs1.demo.test', '--ccache', cc, '--kdc', `127.0.0.1:${port}`]);
    expect([kv.code, kv.stderr]).toEqual([0, '']);
    const flags = decodeCcache(await readFile(cc)).credentials.map((c) => c.ticketFlags & (TICKET_FLAGS.forwardable | TICKET_FLAGS.renewable));
    expect(flags).toEqual([0, 0]);
  });

  it('kdcOptionsFor drops exactly the FORWARDABLE, PROXIABLE and RENEWABLE the TGT lacks', () => {
    const F = TICKET_FLAGS;
    const wanted = (KDC_OPTIONS.forwardable | KDC_OPTIONS.proxiable | KDC_OPTIONS.renewable | KDC_OPTIONS.canonicalize) >>> 0;
    expect(kdcOptionsFor((F.forwardable | F.proxiable | F.renewable) >>> 0, wanted)).toBe(wanted);
    expect(kdcOptionsFor(F.renewable, wanted)).toBe((KDC_OPTIONS.renewable | KDC_OPTIONS.canonicalize) >>> 0);
    expect(kdcOptionsFor(0, wanted)).toBe(KDC_OPTIONS.canonicalize);
    expect(kdcOptionsFor(F.forwardable, KDC_OPTIONS.canonicalize)).toBe(KDC_OPTIONS.canonicalize);
  });
});
