import { describe, expect, it } from 'vitest';
import { KEY_USAGE, Key, encrypt } from '../../src/crypto/index.js';
import { TgtbridgeError } from '../../src/errors/index.js';
import { toHex } from '../../src/util/index.js';
import type { Keytab, KeytabEntry } from '../../src/files/index.js';
import { KeyRing } from '../../src/cli/inspect/keys.js';

const entry = (components: string[], kvno: number, fill: number): KeytabEntry => ({
  principal: { nameType: 1, components, realm: 'EXAMPLE.TEST' },
  timestamp: new Date(0),
  kvno,
  key: { keytype: 18, keyvalue: new Uint8Array(32).fill(fill) },
});

describe('KeyRing', () => {
  const kt: Keytab = {
    version: 2,
    entries: [
      entry(['host', 'other'], 2, 1),
      entry(['host', 'fs'], 1, 2),
      entry(['host', 'fs'], 2, 3),
      { ...entry(['host', 'fs'], 2, 4), key: { keytype: 17, keyvalue: new Uint8Array(16).fill(4) } },
      { ...entry(['host', 'des'], 2, 5), key: { keytype: 3, keyvalue: new Uint8Array(8) } },
    ],
  };
  const ring = new KeyRing();
  ring.addKeytab('kt', kt);

  it('puts the entry matching principal and kvno first, then principal, then the rest of the etype; skips unusable etypes', () => {
    const order = ring.candidates({ etype: 18, kvno: 2, principal: 'host/fs@EXAMPLE.TEST' }).map((c) => c.source);
    expect(order).toEqual([
      'keytab kt: host/fs@EXAMPLE.TEST kvno 2 aes256-cts-hmac-sha1-96',
      'keytab kt: host/fs@EXAMPLE.TEST kvno 1 aes256-cts-hmac-sha1-96',
      'keytab kt: host/other@EXAMPLE.TEST kvno 2 aes256-cts-hmac-sha1-96',
    ]);
    expect(ring.candidates({ etype: 3 })).toEqual([]);
  });

  it('matches an RODC kvno given as the negative signed INTEGER from the wire', () => {
    const r = new KeyRing();
    r.addKeytab('kt', { version: 2, entries: [entry(['krbtgt', 'EXAMPLE.TEST'], 0x80010001, 9), entry(['krbtgt', 'EXAMPLE.TEST'], 1, 8)] });
    expect(r.candidates({ etype: 18, kvno: 0x80010001 | 0, principal: 'krbtgt/EXAMPLE.TEST@EXAMPLE.TEST' })[0]!.kvno).toBe(0x80010001);
  });

  it('decrypts with whichever key and usage opens the cipher, and counts what it met', () => {
    const key = Key.fromBytes(18, new Uint8Array(32).fill(1));
    const cipher = encrypt(key, KEY_USAGE.TGS_REQ_AUTH, Uint8Array.of(1, 2, 3));
    const got = ring.tryDecrypt({ etype: 18, principal: 'host/fs@EXAMPLE.TEST' }, [KEY_USAGE.AP_REQ_AUTH, KEY_USAGE.TGS_REQ_AUTH], cipher);
    expect(got?.usage).toBe(KEY_USAGE.TGS_REQ_AUTH);
    expect(got?.source).toContain('host/other');
    expect([...got!.plaintext]).toEqual([1, 2, 3]);
    expect(ring.tryDecrypt({ etype: 20 }, [2], cipher)).toBeUndefined();
    expect({ seen: ring.seen, attempted: ring.attempted, opened: ring.opened }).toEqual({ seen: 2, attempted: 1, opened: 1 });
  });

  it('derives password keys per etype with the salt, and refuses a malformed --key', () => {
    const r = new KeyRing();
    r.setPassword('pw', 'EXAMPLE.TESTalice');
    expect(r.candidates({ etype: 17 })[0]!.key.etype).toBe(17);
    // rc4-hmac: the NT hash, MD4(UTF-16LE(password)), whatever the salt; the NT hash of
    // "password" is the widely published 8846f7eaee8fb117ad06bdd830b7586c.
    const nt = new KeyRing();
    nt.setPassword('password', 'EXAMPLE.TESTalice');
    expect(toHex(nt.candidates({ etype: 23 })[0]!.key.exportBytes())).toBe('8846f7eaee8fb117ad06bdd830b7586c');
    for (const bad of ['18', '18:abc', 'nope:00', '18:' + '00'.repeat(31)]) {
      expect(() => new KeyRing().addKey(bad)).toThrow(TgtbridgeError);
    }
  });
});

describe('a malformed key option never echoes the key', () => {
  // The hex is the key even when the rest of the option is wrong.
  const hex = '5e'.repeat(32);
  const cases: readonly (readonly [string, string])[] = [
    ['the etype left out', hex],
    ['a stray character', `${hex}g`],
    ['a space for the colon', `18 ${hex}`],
    ['the etype after the key', `${hex}:18`],
  ];
  for (const [what, spec] of cases) {
    for (const argv of [['inspect', 'unused', '--key', spec], ['inspect', 'unused', '--krbtgt-key', spec], ['convert', 'in', 'out', '--key', spec]]) {
      it(`${argv[0]} ${argv.at(-2)} with ${what}: exit 2, no key bytes on stderr`, async () => {
        const { runCli } = await import('./run-cli.js');
        const r = await runCli(argv);
        expect(r.code).toBe(2);
        expect(r.stderr).not.toContain(hex.slice(0, 16));
        expect(r.stdout).toBe('');
      });
    }
  }
});
