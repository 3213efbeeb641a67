import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILE_INCLUDES, krb5ConfPath, krb5ConfPaths, loadKrb5Conf, parseKdcAddress, readKrb5Conf } from '../../src/kdc/krb5-conf.js';

/** A realm section naming one KDC port, as an included file must begin with its own section. */
const realm = (name: string, port: number): string => `[realms]\n ${name} = {\n  kdc = 127.0.0.1:${port}\n }\n`;
const ports = (conf: { kdcsFor(r: string): { port: number }[] }, r: string): number[] => conf.kdcsFor(r).map((k) => k.port);

const SAMPLE = `
# comment
[libdefaults]
  default_realm = SAMBA.TEST
  dns_lookup_kdc = false ; another comment

[realms]
  SAMBA.TEST = {
    kdc = 127.0.0.10
    kdc = tcp/127.0.0.11:8888
    admin_server = 127.0.0.10
    sub = {
      x = y
    }
  }
  MIT.TEST = {
    kdc = [::1]:750
  } *
`;

describe('krb5.conf reader', () => {
  it('reads default_realm and the KDCs of a realm in file order', () => {
    const conf = readKrb5Conf(SAMPLE);
    expect(conf.defaultRealm).toBe('SAMBA.TEST');
    expect(conf.kdcsFor('SAMBA.TEST')).toEqual([
      { host: '127.0.0.10', port: 88 },
      { host: '127.0.0.11', port: 8888, transport: 'tcp' },
    ]);
    expect(conf.kdcsFor('MIT.TEST')).toEqual([{ host: '::1', port: 750 }]);
    expect(conf.kdcsFor('NOPE.TEST')).toEqual([]);
  });

  it('refuses malformed files with ERR_CONFIG', () => {
    expect(() => readKrb5Conf('[realms]\n X = {\n kdc = a\n')).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
    expect(() => readKrb5Conf('kdc = a\n')).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
    expect(() => readKrb5Conf('[a]\n}\n')).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
    expect(() => readKrb5Conf('[a]\nnot a relation\n')).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
  });

  it("takes a sub-section's { on the line after 'tag =' as MIT does (krb5 1.20 kinit contacts that realm's kdc)", () => {
    const conf = readKrb5Conf('[realms]\n D.T =\n # the brace follows\n {\n  kdc = 127.0.0.1:9\n }\n');
    expect(conf.kdcsFor('D.T')).toEqual([{ host: '127.0.0.1', port: 9 }]);
    // Anything but { after an empty value is MIT's PROF_MISSING_OBRACE.
    expect(() => readKrb5Conf('[realms]\n D.T =\n kdc = a\n')).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
    expect(() => readKrb5Conf('[realms]\n D.T =\n')).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
  });

  it('parses KDC address forms and rejects bad ports', () => {
    expect(parseKdcAddress('udp/kdc.example:99')).toEqual({ host: 'kdc.example', port: 99, transport: 'udp' });
    expect(parseKdcAddress('kdc.example', 8088)).toEqual({ host: 'kdc.example', port: 8088 });
    expect(() => parseKdcAddress('kdc:70000')).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
  });

  it('finds the file the way MIT does', () => {
    expect(krb5ConfPath({ KRB5_CONFIG: '/a/krb5.conf:/b' })).toBe('/a/krb5.conf');
    expect(krb5ConfPath({})).toBe('/etc/krb5.conf');
  });
});

describe('include and includedir (krb5.conf(5); behaviour measured with MIT 1.20 kinit)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tgtbridge-krb5conf-'));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const inc = file('inc.conf', realm('INC.TEST', 9));

  it('takes an include at the start of any line: before the sections, inside one, inside a { } block', () => {
    for (const text of [
      `include ${inc}\n[libdefaults]\n default_realm = X\n`,
      `[libdefaults]\n default_realm = X\ninclude ${inc}\n`,
      `[realms]\n R = {\ninclude ${inc}\n  kdc = 127.0.0.1:1\n }\n`,
    ]) {
      const conf = readKrb5Conf(text, 'k.conf', FILE_INCLUDES);
      expect(ports(conf, 'INC.TEST')).toEqual([9]);
    }
    // The block the include interrupted goes on after it.
    expect(ports(readKrb5Conf(`[realms]\n R = {\ninclude ${inc}\n  kdc = 127.0.0.1:1\n }\n`, 'k.conf', FILE_INCLUDES), 'R')).toEqual([1]);
  });

  it('adds a section or realm block named again to the first one, in one file too', () => {
    const twice = readKrb5Conf(`${realm('A.TEST', 1)}[libdefaults]\n default_realm = A.TEST\n${realm('A.TEST', 2)}${realm('B.TEST', 3)}`);
    expect([ports(twice, 'A.TEST'), ports(twice, 'B.TEST')]).toEqual([[1, 2], [3]]);
    expect(twice.tree.relations.get('realms')).toHaveLength(1);
  });

  it('keeps file order for a realm named in both files, and the first default_realm', () => {
    const before = readKrb5Conf(`${realm('INC.TEST', 10)}include ${inc}\n`, 'k.conf', FILE_INCLUDES);
    expect(ports(before, 'INC.TEST')).toEqual([10, 9]);
    const after = readKrb5Conf(`include ${inc}\n${realm('INC.TEST', 10)}`, 'k.conf', FILE_INCLUDES);
    expect(ports(after, 'INC.TEST')).toEqual([9, 10]);
  });

  it('includedir takes names of letters, digits, - and _ or ending in .conf, not dotfiles or backups, in sorted order', () => {
    const d = join(dir, 'd');
    mkdirSync(d);
    writeFileSync(join(d, 'b.conf'), realm('DIR.TEST', 2));
    writeFileSync(join(d, 'a_name-1'), realm('DIR.TEST', 1));
    writeFileSync(join(d, '.hidden.conf'), realm('DIR.TEST', 3));
    writeFileSync(join(d, 'backup~'), realm('DIR.TEST', 4));
    writeFileSync(join(d, 'x.rpmsave'), realm('DIR.TEST', 5));
    expect(ports(readKrb5Conf(`includedir ${d}/\n`, 'k.conf', FILE_INCLUDES), 'DIR.TEST')).toEqual([1, 2]);
  });

  it('refuses what MIT refuses: an indented directive, a missing file or directory, and (ours) a loop', () => {
    expect(() => readKrb5Conf(`[libdefaults]\n  include ${inc}\n`, 'k.conf', FILE_INCLUDES)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
    expect(() => readKrb5Conf(`include ${join(dir, 'missing.conf')}\n`, 'k.conf', FILE_INCLUDES)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', message: expect.stringContaining('missing.conf') }));
    expect(() => readKrb5Conf(`includedir ${join(dir, 'nodir')}\n`, 'k.conf', FILE_INCLUDES)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', message: expect.stringContaining('nodir') }));
    const loop = join(dir, 'loop.conf');
    writeFileSync(loop, `include ${loop}\n`);
    expect(() => readKrb5Conf(`include ${loop}\n`, 'k.conf', FILE_INCLUDES)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', message: expect.stringContaining('deep') }));
    // Text with no file system behind it cannot follow one.
    expect(() => readKrb5Conf(`include ${inc}\n`)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
  });

  it('reads every file of a KRB5_CONFIG list in order, skipping the missing ones, as MIT does', () => {
    const first = file('first.conf', `[libdefaults]\n default_realm = FIRST.TEST\n${realm('INC.TEST', 10)}`);
    const second = file('second.conf', `[libdefaults]\n default_realm = SECOND.TEST\ninclude ${inc}\n`);
    const paths = krb5ConfPaths({ KRB5_CONFIG: `${join(dir, 'none.conf')}:${first}:${second}` });
    const conf = loadKrb5Conf(paths, FILE_INCLUDES);
    expect(conf.readable).toEqual([first, second]);
    expect(conf.defaultRealm).toBe('FIRST.TEST');
    expect(ports(conf, 'INC.TEST')).toEqual([10, 9]);
    expect(loadKrb5Conf([join(dir, 'none.conf')], FILE_INCLUDES).readable).toEqual([]);
  });
});
