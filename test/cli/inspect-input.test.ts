import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { encKrbCredPartCodec, krbCredCodec } from '../../src/asn1/index.js';
import { KEY_USAGE, Key, encrypt } from '../../src/crypto/index.js';
import { TgtbridgeError } from '../../src/errors/index.js';
import { ccacheToKirbi, decodeCcache } from '../../src/files/index.js';
import { MAX_INPUT, readInput, unwrapText } from '../../src/cli/inspect/input.js';
import { readStream } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/index.js';
import { parseEtype } from '../../src/cli/inspect/keys.js';
import { runCli } from './run-cli.js';

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof TgtbridgeError) return e.code;
    throw e;
  }
  throw new Error('expected an error');
}

describe('inspect input: binary, hex, base64', () => {
  const der = Uint8Array.of(0x61, 0x03, 0x02, 0x01, 0x05, 0xfb, 0xff);
  it('passes binary through and undoes hex (with 0x, spaces, newlines) and base64 (standard or URL-safe, padded or not)', () => {
    expect(unwrapText('x', der)).toEqual({ name: 'x', bytes: der, encoding: 'binary' });
    const hex = Buffer.from(der).toString('hex');
    expect(unwrapText('x', Buffer.from(`0x${hex.slice(0, 6)}\n ${hex.slice(6)}\n`)).bytes).toEqual(der);
    expect(unwrapText('x', Buffer.from(Buffer.from(der).toString('base64'))).encoding).toBe('base64');
    expect(unwrapText('x', Buffer.from(Buffer.from(der).toString('base64url'))).bytes).toEqual(der);
  });

  it('refuses odd hex, characters of neither alphabet, and whitespace only', () => {
    expect(code(() => unwrapText('x', Buffer.from('abc')))).toBe('ERR_IO');
    expect(code(() => unwrapText('x', Buffer.from('YWJj*')))).toBe('ERR_IO');
    expect(code(() => unwrapText('x', Buffer.from(' \n')))).toBe('ERR_IO');
  });

  it('names etypes by number or MIT name', () => {
    expect(parseEtype('18')).toBe(18);
    expect(parseEtype('aes256-cts-hmac-sha384-192')).toBe(20);
    expect(parseEtype('aes128-cts')).toBe(17);
    expect(code(() => parseEtype('des-cbc-crc-x'))).toBe('ERR_USAGE');
  });
});

describe('inspect: an encrypted KRB-CRED', () => {
  const cc = decodeCcache(new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', 'krb-fixtures', 'files', 'mit-alice.ccache'))));
  const k = ccacheToKirbi(cc).value;
  const keyBytes = new Uint8Array(32).fill(0x5a);
  const der = krbCredCodec.encode({
    tickets: k.tickets,
    encPart: { etype: 18, cipher: encrypt(Key.fromBytes(18, keyBytes), KEY_USAGE.KRB_CRED_ENC_PART, encKrbCredPartCodec.encode(k.encPart)) },
  });

  it('says it needs a key without one, opens with --key (usage 14), exits 1 with a wrong key', async () => {
    const none = await runCli(['inspect', '-', '--json'], { stdin: der });
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout).krbCred.ticketInfo).toBeUndefined();
    const good = await runCli(['inspect', '-', '--json', '--key', `18:${Buffer.from(keyBytes).toString('hex')}`], { stdin: der });
    expect(JSON.parse(good.stdout).krbCred.ticketInfo.length).toBe(k.tickets.length);
    expect(good.code).toBe(0);
    const wrong = await runCli(['inspect', '-', '--json', '--key', `18:${'11'.repeat(32)}`], { stdin: der });
    expect(wrong.code).toBe(1);
  });
});

describe('inspect input: stdin is bounded like a file', () => {
  const io = (bytes: Uint8Array): CliIo => ({
    stdout: () => undefined,
    stderr: () => undefined,
    readStdin: async () => bytes,
    env: {},
    cwd: process.cwd(),
  });

  it('more than MAX_INPUT bytes on stdin is ERR_IO, as a file that large is', async () => {
    const big = new Uint8Array(MAX_INPUT + 1).fill(0x05);
    await expect(readInput('-', io(big))).rejects.toMatchObject({ code: 'ERR_IO' });
  });

  it('the process reader stops once past the bound: an endless stdin (cat /dev/zero |) ends instead of filling memory', async () => {
    const chunk = new Uint8Array(1 << 20);
    let pulled = 0;
    const endless = Readable.from((function* () {
      for (;;) {
        pulled++;
        yield chunk;
      }
    })());
    const got = await readStream(endless, 4 << 20);
    expect(got.length).toBeGreaterThan(4 << 20);
    expect(got.length).toBeLessThanOrEqual((4 << 20) + chunk.length);
    expect(pulled).toBeLessThan(8);
  }, 5000);
});
