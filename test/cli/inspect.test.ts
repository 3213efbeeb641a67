import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encTicketPartCodec, extractPac, kerbErrorDataCodec, krbErrorCodec, methodDataCodec, ticketCodec } from '../../src/asn1/index.js';
import { KEY_USAGE, Key, decrypt } from '../../src/crypto/index.js';
import { decodeCcache, decodeKeytab, encodeCcache, encodeKirbi, ccacheToKirbi } from '../../src/files/index.js';
import { runCli } from './run-cli.js';

const F = join(import.meta.dirname, '..', '..', 'krb-fixtures', 'files');
const fx = (n: string): string => join(F, n);
const CCACHE = fx('mit-alice.ccache');
const SERVICE_KT = fx('mit-service.keytab');
const PASSWORD = readFileSync(fx('mit-alice.password.txt'), 'utf8').trim();
const msg = (type: string): string[] => readdirSync(F).filter((n) => n.startsWith('mit-msg-') && n.endsWith(`-${type}.hex`)).map(fx);

const cc = decodeCcache(new Uint8Array(readFileSync(CCACHE)));
const tickets = cc.credentials.filter((c) => !c.isConfigEntry);
const serviceKt = decodeKeytab(new Uint8Array(readFileSync(SERVICE_KT)));
const krbtgtKey = serviceKt.entries.find((e) => e.principal.components[0] === 'krbtgt' && e.key.keytype === 18)!.key;

type Json = any;
async function inspectJson(args: readonly string[], stdin?: Uint8Array): Promise<{ code: number; doc: Json; stderr: string }> {
  const r = await runCli(['inspect', ...args, '--json'], stdin ? { stdin } : {});
  return { code: r.code, doc: r.stdout ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
}

describe('inspect: MIT ccache', () => {
  it('lists like klist -e -f -C without keys, config entries apart, exit 0', async () => {
    const r = await runCli(['inspect', CCACHE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Default principal: alice@MIT.TEST');
    for (const c of tickets) expect(r.stdout).toContain(`${c.server.components.join('/')}@${c.server.realm}`);
    expect(r.stdout).toMatch(/^config: fast_avail\(krbtgt\/MIT\.TEST@MIT\.TEST\) = yes$/m);
    expect(r.stdout).toContain('Flags: FRIA');
  });

  it('flag letters come in klist\'s order, H before A (MIT klist 1.20.1 prints FRIHAOa for these flags)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tgtb-inspect-'));
    const t = tickets[0]!;
    // forwardable renewable initial pre-authent hw-authent ok-as-delegate enc-pa-rep anonymous
    const flags = 0x40000000 | 0x00800000 | 0x00400000 | 0x00200000 | 0x00100000 | 0x00040000 | 0x00010000 | 0x00008000;
    await writeFile(join(dir, 'cc'), encodeCcache({ headerTags: [], defaultPrincipal: cc.defaultPrincipal, credentials: [{ ...t, ticketFlags: flags }] }));
    const r = await runCli(['inspect', join(dir, 'cc')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\tFlags: FRIHAOa /m);
  });

  it('a user-to-user ccache from kvno --u2u (is_skey stored as 8) is listed, with the u2u ticket marked', async () => {
    const { code, doc } = await inspectJson([fx('mit-odd-u2u.ccache')]);
    expect(code).toBe(0);
    const u2u = doc.ccache.credentials.find((c: Json) => c.server === 'bob@MIT.TEST');
    expect(u2u.isSkey).toBe(true);
    expect(u2u.secondTicketLength).toBeGreaterThan(0);
  });

  it('--json with the service keytab decrypts every ticket (etypes 18, 19, 20) and agrees with the ccache', async () => {
    const { code, doc } = await inspectJson([CCACHE, '--keytab', SERVICE_KT]);
    expect(code).toBe(0);
    expect(doc.kind).toBe('ccache');
    expect(doc.ccache.defaultPrincipal).toBe('alice@MIT.TEST');
    expect(doc.ccache.config).toEqual([
      { key: 'fast_avail', principal: 'krbtgt/MIT.TEST@MIT.TEST', value: 'yes' },
      { key: 'pa_type', principal: 'krbtgt/MIT.TEST@MIT.TEST', value: '2' },
    ]);
    expect(doc.ccache.credentials.length).toBe(tickets.length);
    expect(doc.decryption).toEqual({ keysGiven: true, encParts: tickets.length, attempted: tickets.length, decrypted: tickets.length });
    expect(doc.ccache.credentials.map((c: Json) => c.ticket.encPart.etype).sort()).toEqual([18, 18, 19, 20]);
    doc.ccache.credentials.forEach((c: Json, i: number) => {
      const t = tickets[i]!;
      const d = c.ticket.decrypted;
      expect(c.server).toBe(`${t.server.components.join('/')}@MIT.TEST`);
      expect(c.sessionKey).toEqual({ etype: 18, etypeName: 'aes256-cts-hmac-sha1-96' });
      expect(d.cname).toBe('alice');
      expect(d.crealm).toBe('MIT.TEST');
      expect(d.key.etype).toBe(t.key.keytype);
      expect(d.key.value).toBeUndefined();
      expect(d.endtime).toBe(t.endtime.toISOString().replace('.000Z', 'Z'));
      expect(d.renewTill).toBe(c.renewTill);
      expect(d.flagsHex).toBe(c.flagsHex);
      expect(d.authorizationData[0].adTypeName).toBe('AD-IF-RELEVANT');
      expect(d.authorizationData[0].elements[0].pac.buffers.map((b: Json) => b.typeName)).toContain('CLIENT_INFO');
    });
  });

  it('shows session keys only with --show-keys', async () => {
    const hex = Buffer.from(tickets[0]!.key.keyvalue).toString('hex');
    const hidden = await runCli(['inspect', CCACHE, '--keytab', SERVICE_KT, '--json']);
    expect(hidden.stdout).not.toContain(hex);
    const shown = await inspectJson([CCACHE, '--show-keys']);
    expect(shown.doc.ccache.credentials[0].sessionKey.value).toBe(hex);
  });
});

describe('inspect: keytab', () => {
  it('lists entries without key bytes, splits an RODC kvno, and shows keys with --show-keys', async () => {
    const { doc } = await inspectJson([fx('mit-rodc-kvno.keytab')]);
    expect(doc.kind).toBe('keytab');
    expect(doc.keytab.entries).toEqual([
      expect.objectContaining({ principal: 'host/rodc.mit.test@MIT.TEST', kvno: 0x12340001, kvnoSplit: { rodcNumber: 0x1234, keyVersion: 1 }, etype: 18 }),
    ]);
    expect(doc.keytab.entries[0].key).toBeUndefined();
    const shown = await inspectJson([SERVICE_KT, '--show-keys']);
    expect(shown.doc.keytab.entries.map((e: Json) => e.key)).toEqual(serviceKt.entries.map((e) => Buffer.from(e.key.keyvalue).toString('hex')));
    const text = await runCli(['inspect', fx('mit-rodc-kvno.keytab')]);
    expect(text.stdout).toContain('RODC 4660, key version 1');
  });
});

describe('inspect: DER messages, raw, hex and base64', () => {
  it('a Ticket in base64 on stdin, decrypted with --key ETYPE:HEX', async () => {
    const b64 = Buffer.from(tickets[0]!.ticket).toString('base64');
    const { code, doc } = await inspectJson(['-', '--key', `18:${Buffer.from(krbtgtKey.keyvalue).toString('hex')}`], Buffer.from(`${b64}\n`));
    expect(code).toBe(0);
    expect(doc.kind).toBe('ticket');
    expect(doc.input.encoding).toBe('base64');
    expect(doc.ticket.realm).toBe('MIT.TEST');
    expect(doc.ticket.sname).toBe('krbtgt/MIT.TEST');
    expect(doc.ticket.encPart).toEqual({ etype: 18, etypeName: 'aes256-cts-hmac-sha1-96', kvno: 1, cipherLength: expect.any(Number) });
    expect(doc.ticket.decrypted.flags).toEqual(['forwardable', 'renewable', 'initial', 'pre-authent', 'enc-pa-rep']);
    expect(doc.ticket.decrypted.decryptedWith).toBe('--key aes256-cts-hmac-sha1-96');
  });

  it('an AS-REP opened with the password and the MIT default salt (--principal) or --salt; a wrong password exits 1', async () => {
    const [asRep] = msg('as-rep');
    const viaPrincipal = await inspectJson([asRep!, '--password', PASSWORD, '--principal', 'alice@MIT.TEST']);
    expect(viaPrincipal.code).toBe(0);
    expect(viaPrincipal.doc.kind).toBe('as-rep');
    expect(viaPrincipal.doc.reply.decrypted.applicationTag).toBe(26); // MIT's EncTGSRepPart tag in an AS-REP
    expect(viaPrincipal.doc.reply.decrypted.sname).toBe('krbtgt/MIT.TEST');
    const viaSalt = await inspectJson([asRep!, '--password', PASSWORD, '--salt', 'MIT.TESTalice']);
    expect(viaSalt.doc.reply.decrypted.nonce).toBe(viaPrincipal.doc.reply.decrypted.nonce);
    const wrong = await inspectJson([asRep!, '--password', 'not-it', '--principal', 'alice@MIT.TEST']);
    expect(wrong.code).toBe(1);
    expect(wrong.doc.reply.decrypted).toBeUndefined();
  });

  it('a FAST-armored TGS-REQ: the TGT in PA-TGS-REQ opens with the krbtgt key, its session key opens the authenticator', async () => {
    const [tgsReq] = msg('tgs-req');
    const { code, doc } = await inspectJson([tgsReq!, '--keytab', SERVICE_KT]);
    expect(code).toBe(0);
    expect(doc.kind).toBe('tgs-req');
    const pa = doc.request.padata.find((p: Json) => p.padataTypeName === 'PA-TGS-REQ');
    expect(pa.apReq.ticket.decrypted.cname).toBe('alice');
    expect(pa.apReq.decryptedAuthenticator.cname).toBe('alice');
    expect(pa.apReq.decryptedAuthenticator.cksum.cksumtype).toBe(16);
    expect(doc.request.padata.map((p: Json) => p.padataType)).toContain(136);
  });

  it('KRB-ERRORs from MIT: code names and METHOD-DATA', async () => {
    const names = await Promise.all(msg('krb-error').map(async (f) => (await inspectJson([f])).doc.error.errorName));
    expect(new Set(names)).toEqual(new Set(['KDC_ERR_PREAUTH_REQUIRED', 'KDC_ERR_PREAUTH_FAILED', 'KDC_ERR_S_PRINCIPAL_UNKNOWN']));
  });

  it('a KRB-ERROR with KERB-ERROR-DATA shows the NTSTATUS', async () => {
    const eData = kerbErrorDataCodec.encode({ dataType: 3, extError: { status: 0xc0000072, reserved: 0, flags: 1 } });
    const der = krbErrorCodec.encode({
      stime: new Date('2026-01-01T00:00:00Z'),
      susec: 0,
      errorCode: 18,
      realm: 'AD.TEST',
      sname: { nameType: 2, nameString: ['krbtgt', 'AD.TEST'] },
      eData,
    });
    const { doc } = await inspectJson(['-'], Buffer.from(Buffer.from(der).toString('hex')));
    expect(doc.error).toMatchObject({ errorCode: 18, errorName: 'KDC_ERR_CLIENT_REVOKED', eData: { kind: 'KERB-ERROR-DATA', ntstatus: '0xc0000072', ntstatusName: 'STATUS_ACCOUNT_DISABLED' } });
    const text = await runCli(['inspect', '-'], { stdin: der });
    expect(text.stdout).toContain('0xc0000072 STATUS_ACCOUNT_DISABLED');
  });

  it('a KERB-EXT-ERROR in PA-PW-SALT (Samba 4.17, disabled account) is read as the NTSTATUS; a real salt is not', async () => {
    // METHOD-DATA as Samba's AD DC sent it with KDC_ERR_CLIENT_REVOKED for a disabled user.
    const extError = Buffer.from('720000c00000000001000000', 'hex');
    const error = (salt: Uint8Array): Uint8Array =>
      krbErrorCodec.encode({
        stime: new Date('2026-01-01T00:00:00Z'),
        susec: 0,
        errorCode: 18,
        realm: 'SAMBA.TEST',
        sname: { nameType: 2, nameString: ['krbtgt', 'SAMBA.TEST'] },
        eData: methodDataCodec.encode([{ padataType: 3, padataValue: salt }]),
      });
    const revoked = await inspectJson(['-'], error(extError));
    expect(revoked.doc.error.eData).toMatchObject({ kind: 'METHOD-DATA', ntstatus: '0xc0000072', ntstatusName: 'STATUS_ACCOUNT_DISABLED', ntstatusSource: 'PA-PW-SALT' });
    const salted = await inspectJson(['-'], error(Buffer.from('SAMBA.TESTbob')));
    expect(salted.doc.error.eData.ntstatus).toBeUndefined();
  });

  it('a .kirbi: ticket-info read from the etype-0 enc-part', async () => {
    const kirbi = encodeKirbi(ccacheToKirbi(cc).value);
    const { doc } = await inspectJson(['-'], kirbi);
    expect(doc.kind).toBe('krb-cred');
    expect(doc.krbCred.encPart.etype).toBe(0);
    expect(doc.krbCred.ticketInfo.map((i: Json) => i.server)).toEqual(tickets.map((t) => `${t.server.components.join('/')}@MIT.TEST`));
  });

  it('a PAC blob taken from a real MIT ticket', async () => {
    const t = ticketCodec.decode(tickets[0]!.ticket);
    const part = encTicketPartCodec.decode(decrypt(Key.fromBytes(18, krbtgtKey.keyvalue), KEY_USAGE.KDC_REP_TICKET, t.encPart.cipher));
    const pac = extractPac(part.authorizationData)!;
    const { doc } = await inspectJson(['-'], pac);
    expect(doc.kind).toBe('pac');
    expect(doc.pac.buffers.map((b: Json) => b.type)).toEqual([10, 6, 7]);
  });
});

describe('inspect: bad input is one line and exit 2; undecryptable is exit 1', () => {
  async function bad(args: readonly string[], stdin?: Uint8Array): Promise<string> {
    const r = await runCli(['inspect', ...args], stdin ? { stdin } : {});
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    return r.stderr;
  }

  it('missing file, directory, empty file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tgtb-inspect-'));
    await writeFile(join(dir, 'empty'), '');
    await mkdir(join(dir, 'sub'));
    expect(await bad([join(dir, 'nope')])).toContain(join(dir, 'nope'));
    expect(await bad([join(dir, 'sub')])).toContain(join(dir, 'sub'));
    expect(await bad([join(dir, 'empty')])).toContain(join(dir, 'empty'));
  });

  it('names the input once in the error line, for a file and for stdin, in inspect and convert', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tgtb-inspect-'));
    const once = (line: string, name: string): number => line.split(name).length - 1;
    expect(once(await bad([join(dir, 'nope')]), join(dir, 'nope'))).toBe(1);
    expect(once(await bad(['-'], Buffer.from('%%% not base64 %%%')), '<stdin>')).toBe(1);
    const r = await runCli(['convert', dir, join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(once(r.stderr, dir)).toBe(1);
  });

  it('a truncated ccache names the field and byte offset', async () => {
    const bytes = new Uint8Array(readFileSync(CCACHE)).subarray(0, 700);
    const line = await bad(['-'], bytes);
    expect(line).toMatch(/ccache\.credentials\[\d+\]\.\S+ at byte \d+/);
  });

  it('05 01 / 05 02 begin both a keytab and a v1/v2 ccache: a damaged one is reported as the format that read further', async () => {
    for (const v of [1, 2]) {
      const bytes = new Uint8Array(readFileSync(fx(`mit-odd-v${v}.ccache`)));
      const line = await bad(['-'], bytes.subarray(0, 700));
      expect(line).toMatch(/ccache\.credentials\[\d+\]\.\S+ at byte \d+/);
    }
    const kt = new Uint8Array(readFileSync(SERVICE_KT));
    expect(await bad(['-'], kt.subarray(0, kt.length - 5))).toMatch(/keytab\.records\[\d+\]\S* at byte \d+/);
  });

  it('a truncated DER ticket, unknown bytes, bad hex, broken base64', async () => {
    expect(await bad(['-'], tickets[0]!.ticket.subarray(0, 50))).toMatch(/Ticket/);
    await bad(['-'], Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0x00));
    await bad(['-'], Buffer.from('abc'));
    await bad(['-'], Buffer.from('%%% not base64 %%%'));
  });

  it('usage: --password without a salt source, a bad --key, a --keytab that is not one', async () => {
    await bad([CCACHE, '--password', 'x']);
    await bad([CCACHE, '--key', '18:abcd']);
    await bad([CCACHE, '--keytab', CCACHE]);
  });

  it('keys that open nothing exit 1, and still print the document', async () => {
    const r = await runCli(['inspect', CCACHE, '--key', `18:${'00'.repeat(32)}`, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).decryption.decrypted).toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
