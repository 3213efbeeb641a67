import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, parseDuration } from '../../src/config/index.js';

const DEMO = join(import.meta.dirname, '..', '..', 'config', 'tgtbridge.yaml');

function errorOf(doc: unknown): { code: string; message: string } {
  try {
    parseConfig(doc, '/etc/tgtbridge/t.yaml');
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a config error');
}

describe('loadConfig', () => {
  it('loads the demo config with its profiles and pass-through sections', () => {
    const c = loadConfig(DEMO);
    expect(c.realm).toBe('DEMO.TEST');
    expect(c.netbiosDomain).toBe('DEMO');
    expect(c.bridge).toMatchObject({ host: '127.0.0.1', rpId: 'localhost', origin: 'http://localhost:8443', https: { mode: 'off' } });
    expect(c.directory.path).toBe(join(import.meta.dirname, '..', '..', 'config', 'directory.yaml'));
    expect(c.passkeys.profiles.map((p) => p.name)).toEqual(['everyone', 'engineering-device-bound']);
    expect(c.passkeys.profiles[1]!.types).toEqual(['deviceBound']);
    expect(c.passkeys.excludeGroups).toEqual(['Contractors']);
    expect(c.tap).toEqual({ ttl: 3600, maxTtl: 7 * 86400, uses: 1 });
    expect(c.minting['lifetime']).toBe('10h');
    expect(c.kdc['port']).toBe(8888);
  });

  it('fills defaults for a minimal file', () => {
    const c = parseConfig({ realm: 'EXAMPLE.TEST' }, '/x/t.yaml');
    expect(c.dnsDomain).toBe('example.test');
    expect(c.netbiosDomain).toBe('EXAMPLE');
    expect(c.passkeys.default).toBe('default');
    expect(c.passkeys.profiles[0]!.userVerification).toBe('required');
    expect(c.bridge.challengeTtl).toBe(120);
    expect(c.bridge.trustedProxies).toEqual([]);
  });

  it('takes trusted proxies as addresses, CIDR ranges or express\'s named ranges, and refuses anything else', () => {
    const ok = ['loopback', '10.0.0.0/8', '192.0.2.1', '2001:db8::/32', 'fd00::1'];
    expect(parseConfig({ realm: 'D.T', bridge: { trustedProxies: ok } }, '/x/t.yaml').bridge.trustedProxies).toEqual(ok);
    for (const bad of ['proxy.example.test', '10.0.0.0/33', '2001:db8::/129', '10.0.0.1/8/8', '10.0.0.0/', 'local']) {
      expect(errorOf({ realm: 'D.T', bridge: { trustedProxies: [bad] } })).toMatchObject({ code: 'ERR_CONFIG', message: expect.stringContaining('bridge.trustedProxies[0]') });
    }
  });

  it('names the file and key path of each error', () => {
    expect(errorOf({ realm: 'DEMO.TEST', colour: 1 })).toMatchObject({ code: 'ERR_CONFIG', message: expect.stringContaining('t.yaml: colour: unknown key') });
    expect(errorOf({ realm: 'DEMO.TEST', bridge: { port: 70000 } }).message).toContain('bridge.port');
    expect(errorOf({ realm: 'demo.test' }).message).toContain('realm');
    expect(errorOf({ realm: 'D.T', passkeys: { profiles: [{ name: 'a', types: ['cloud'] }] } }).message).toContain('passkeys.profiles[0].types[0]');
    expect(errorOf({ realm: 'D.T', passkeys: { profiles: [{ name: 'a', aaguids: { allow: ['nope'] } }] } }).message).toContain('aaguids.allow[0]');
    expect(errorOf({ realm: 'D.T', passkeys: { profiles: [{ name: 'a', aaguids: { allow: [], block: [] } }] } }).message).toContain('aaguids');
    expect(errorOf({ realm: 'D.T', passkeys: { profiles: [{ name: 'a' }, { name: 'a' }] } }).message).toContain('duplicate');
    expect(errorOf({ realm: 'D.T', passkeys: { default: 'x' } }).message).toContain('passkeys.default');
    expect(errorOf({ realm: 'D.T', passkeys: { profiles: [{ name: 'a', attestation: 'required' }] } }).message).toContain('trustedRoots');
    expect(errorOf({ realm: 'D.T', bridge: { rpId: 'example.test', origin: 'https://login.other.test' } }).message).toContain('bridge.rpId');
    expect(errorOf({ realm: 'D.T', bridge: { rpId: '127.0.0.1', origin: 'http://127.0.0.1:1' } }).message).toContain('IP address');
    expect(errorOf({ realm: 'D.T', minting: 'yes' }).message).toContain('minting');
    expect(errorOf({ realm: 'D.T', tap: { ttl: '8d' } }).message).toContain('tap.ttl');
    expect(errorOf([1]).code).toBe('ERR_CONFIG');
  });

  it('reports unreadable and malformed files as ERR_CONFIG', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgtb-cfg-'));
    writeFileSync(join(dir, 'bad.yaml'), 'realm: [unclosed');
    expect(() => loadConfig(join(dir, 'bad.yaml'))).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
    expect(() => loadConfig(join(dir, 'missing.yaml'))).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
  });

  it('loads trusted roots as PEM text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tgtb-cfg-'));
    writeFileSync(join(dir, 'root.pem'), '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n');
    writeFileSync(join(dir, 't.yaml'), 'realm: D.T\npasskeys:\n  profiles:\n    - name: a\n      attestation: required\n      trustedRoots: [root.pem]\n');
    expect(loadConfig(join(dir, 't.yaml')).passkeys.profiles[0]!.trustedRoots[0]).toContain('BEGIN CERTIFICATE');
  });
});

describe('parseDuration', () => {
  it.each([[90, 90], ['30s', 30], ['5m', 300], ['1h', 3600], ['7d', 604800], ['0s', undefined], ['1w', undefined], [-1, undefined], ['h', undefined]])(
    '%s → %s',
    (input, seconds) => expect(parseDuration(input)).toBe(seconds),
  );
});
