import { readFileSync } from 'node:fs';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCcache, decodeKirbi, encodeCcache } from '../../src/files/index.js';
import { runCli } from './run-cli.js';

const F = join(import.meta.dirname, '..', '..', 'krb-fixtures', 'files');
const CCACHE = join(F, 'mit-alice.ccache');

describe('tgtbridge convert', () => {
  it('ccache -> .kirbi -> ccache: every ticket kept byte for byte, the config entries listed on stderr, files 0600', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tgtb-convert-'));
    const kirbi = join(dir, 'alice.kirbi');
    const back = join(dir, 'back.ccache');
    const old = process.umask(0o022);
    try {
      const a = await runCli(['convert', CCACHE, kirbi]);
      expect(a.code).toBe(0);
      const warning = a.stderr.trim().split('\n');
      expect(warning[0]).toMatch(/WARNING/);
      expect(warning.slice(1)).toEqual([expect.stringContaining('fast_avail'), expect.stringContaining('pa_type')]);
      const b = await runCli(['convert', kirbi, back]);
      expect(b.code).toBe(0);
      expect(b.stderr).toBe('');
    } finally {
      process.umask(old);
    }
    expect((await stat(kirbi)).mode & 0o777).toBe(0o600);
    expect((await stat(back)).mode & 0o777).toBe(0o600);
    const original = decodeCcache(new Uint8Array(readFileSync(CCACHE)));
    const expected = encodeCcache({ ...original, credentials: original.credentials.filter((c) => !c.isConfigEntry) });
    expect(Buffer.from(readFileSync(back)).equals(Buffer.from(expected))).toBe(true);
    expect(decodeKirbi(new Uint8Array(readFileSync(kirbi))).tickets.length).toBe(4);
  });

  it('--to overrides the extension, and a base64 .kirbi (Rubeus style) is accepted as input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tgtb-convert-'));
    const k = join(dir, 'out.bin');
    expect((await runCli(['convert', CCACHE, k, '--to', 'kirbi'])).code).toBe(0);
    const b64 = join(dir, 'ticket.b64');
    await writeFile(b64, readFileSync(k).toString('base64'));
    const cc = join(dir, 'cc');
    expect((await runCli(['convert', b64, cc])).code).toBe(0);
    expect(decodeCcache(new Uint8Array(readFileSync(cc))).credentials.length).toBe(4);
  });

  it('refuses a keytab, unknown bytes, a missing file and bad usage with exit 2 and one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tgtb-convert-'));
    const junk = join(dir, 'junk');
    await writeFile(junk, Uint8Array.of(1, 2, 3, 4));
    for (const args of [[join(F, 'mit-service.keytab'), join(dir, 'x')], [junk, join(dir, 'y')], [join(dir, 'missing'), join(dir, 'z')]]) {
      const r = await runCli(['convert', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(args[0]);
    }
    expect((await runCli(['convert', CCACHE])).code).toBe(2);
    expect((await runCli(['convert', CCACHE, join(dir, 'w'), '--to', 'pem'])).code).toBe(2);
  });
});

describe('tgtbridge convert: a .kirbi a ccache cannot hold', () => {
  it('an endtime after 2106 (beyond the ccache\'s u32 seconds) is exit 2 with one line naming the file, not a stack trace', async () => {
    const { ccacheToKirbi, encodeKirbi } = await import('../../src/files/index.js');
    const k = ccacheToKirbi(decodeCcache(new Uint8Array(readFileSync(CCACHE)))).value;
    const info = { ...k.encPart.ticketInfo[0]!, endtime: new Date('2200-01-01T00:00:00Z') };
    const dir = await mkdtemp(join(tmpdir(), 'tgtb-convert-'));
    const input = join(dir, 'far.kirbi');
    await writeFile(input, encodeKirbi({ tickets: k.tickets.slice(0, 1), encPart: { ticketInfo: [info] } }));
    const r = await runCli(['convert', input, join(dir, 'out.ccache')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(input);
  });
});

describe('tgtbridge convert --key', () => {
  it('opens an encrypted KRB-CRED (usage 14) into a ccache; without the key, or with a wrong one, exit 2', async () => {
    const { encKrbCredPartCodec, krbCredCodec } = await import('../../src/asn1/index.js');
    const { KEY_USAGE, Key, encrypt } = await import('../../src/crypto/index.js');
    const { ccacheToKirbi } = await import('../../src/files/index.js');
    const k = ccacheToKirbi(decodeCcache(new Uint8Array(readFileSync(CCACHE)))).value;
    const keyHex = '7a'.repeat(16);
    const der = krbCredCodec.encode({
      tickets: k.tickets,
      encPart: { etype: 17, cipher: encrypt(Key.fromBytes(17, Buffer.from(keyHex, 'hex')), KEY_USAGE.KRB_CRED_ENC_PART, encKrbCredPartCodec.encode(k.encPart)) },
    });
    const dir = await mkdtemp(join(tmpdir(), 'tgtb-convert-'));
    const input = join(dir, 'enc.kirbi');
    await writeFile(input, der);
    expect((await runCli(['convert', input, join(dir, 'a')])).code).toBe(2);
    expect((await runCli(['convert', input, join(dir, 'b'), '--key', `17:${'00'.repeat(16)}`])).code).toBe(2);
    const ok = await runCli(['convert', input, join(dir, 'c'), '--key', `aes128-cts-hmac-sha1-96:${keyHex}`]);
    expect(ok.code).toBe(0);
    expect(decodeCcache(new Uint8Array(readFileSync(join(dir, 'c')))).credentials.length).toBe(k.tickets.length);
  });
});
