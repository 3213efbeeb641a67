import { describe, expect, it } from 'vitest';
import { krb5ConfPath, parseKdcAddress, readKrb5Conf } from '../../src/kdc/krb5-conf.js';

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
