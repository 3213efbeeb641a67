import { describe, expect, it } from 'vitest';
import { Key } from '../../src/crypto/index.js';
import { KeySet, keytabEntryProblem, parseMintingSettings, resolveGroupSids, type KeytabEntryLike } from '../../src/ticket/index.js';
import { seededRandom } from './support.js';

const T0 = new Date('2026-11-01T00:00:00Z');
const N = 54271;

function entry(over: Partial<{ name: string; realm: string; kvno: number; etype: number; fill: number; at: Date }> = {}): KeytabEntryLike {
  const etype = over.etype ?? 18;
  return {
    principal: { nameType: 1, components: [over.name ?? `krbtgt_${N}`], realm: over.realm ?? 'SAMBA.TEST' },
    timestamp: over.at ?? T0,
    kvno: over.kvno ?? (((N << 16) | 1) >>> 0),
    key: { keytype: etype, keyvalue: new Uint8Array(etype === 18 ? 32 : 16).fill(over.fill ?? 1) },
  };
}

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('KeySet', () => {
  it('loads krbtgt_N AES256 entries; current = highest version; byKvno finds each (signed or unsigned kvno)', () => {
    const { set } = KeySet.fromKeytab([entry(), entry({ kvno: ((N << 16) | 2) >>> 0, fill: 2 })]);
    expect(set.size).toBe(2);
    expect(set.current()).toMatchObject({ rodcNumber: N, keyVersion: 2, realm: 'SAMBA.TEST' });
    expect(set.byKvno(((N << 16) | 1) >>> 0)?.keyVersion).toBe(1);
    expect(set.byKvno((N << 16) | 1)?.keyVersion).toBe(1); // the signed form an INTEGER decodes to
    expect(set.byKvno(((N << 16) | 3) >>> 0)).toBeUndefined();
  });

  it('refuses keys the DC would not accept, each with ERR_KEY_SET', () => {
    expect(code(() => KeySet.fromKeytab([entry({ etype: 17 })]))).toBe('ERR_KEY_SET');
    expect(code(() => KeySet.fromKeytab([entry({ etype: 23 })]))).toBe('ERR_KEY_SET');
    expect(code(() => KeySet.fromKeytab([entry({ kvno: 1 })]))).toBe('ERR_KEY_SET'); // no RODC number
    expect(code(() => KeySet.fromKeytab([entry({ kvno: ((7 << 16) | 1) >>> 0 })]))).toBe('ERR_KEY_SET'); // N ≠ name
    expect(code(() => KeySet.fromKeytab([entry({ name: 'krbtgt' })]))).toBe('ERR_KEY_SET');
    expect(keytabEntryProblem(entry({ etype: 17 }))).toMatch(/AES256/);
    expect(keytabEntryProblem(entry({ kvno: 1 }))).toMatch(/RODC number/);
    expect(keytabEntryProblem(entry())).toBeUndefined();
    expect(code(() => KeySet.empty().current())).toBe('ERR_KEY_SET');
  });

  it('import by principal skips other principals and other etypes of it, with reasons', () => {
    const { set, skipped } = KeySet.fromKeytab(
      [entry(), entry({ etype: 17 }), entry({ etype: 23 }), entry({ name: 'krbtgt', kvno: 3 })],
      `krbtgt_${N}`,
    );
    expect(set.size).toBe(1);
    expect(skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/AES256/), expect.stringMatching(/AES256/), `not krbtgt_${N}`]);
  });

  it('refuses mixing RODC numbers and a second key for the same version', () => {
    const { set } = KeySet.fromKeytab([entry()]);
    const other = KeySet.fromKeytab([entry({ name: 'krbtgt_7', kvno: ((7 << 16) | 1) >>> 0 })]).set.current();
    expect(code(() => set.add(other))).toBe('ERR_KEY_SET');
    const sameVersionOtherKey = KeySet.fromKeytab([entry({ fill: 9 })]).set.current();
    expect(code(() => set.add(sameVersionOtherKey))).toBe('ERR_KEY_SET');
    expect(set.add(set.current())).toBe(set);
  });

  it('rotate makes a new random AES256 version current and keeps the old one usable', () => {
    const empty = KeySet.empty();
    expect(code(() => empty.rotate(T0, seededRandom()))).toBe('ERR_KEY_SET');
    const v1 = empty.rotate(T0, seededRandom('a'), { rodcNumber: 4242, realm: 'DEMO.TEST' });
    expect(v1.current()).toMatchObject({ keyVersion: 1, kvno: ((4242 << 16) | 1) >>> 0, created: T0 });
    const t1 = new Date(T0.getTime() + 86400_000);
    const v2 = v1.rotate(t1, seededRandom('b'));
    expect(v2.current().keyVersion).toBe(2);
    expect(v2.current().key.etype).toBe(18);
    expect(v2.current().key.exportBytes()).not.toEqual(v1.current().key.exportBytes());
    expect(v2.byKvno(v1.current().kvno)?.keyVersion).toBe(1);
    expect(v2.supersededAt(v2.byKvno(v1.current().kvno)!)).toEqual(t1);
    expect(v2.supersededAt(v2.current())).toBeUndefined();
  });

  it('prune drops versions superseded longer ago than lifetime + renew lifetime, never the current one', () => {
    const t1 = new Date(T0.getTime() + 3600_000);
    const set = KeySet.empty().rotate(T0, seededRandom('a'), { rodcNumber: 9, realm: 'DEMO.TEST' }).rotate(t1, seededRandom('b'));
    const life = 10 * 3600;
    const renew = 7 * 86400;
    const justBefore = new Date(t1.getTime() + (life + renew) * 1000 - 1000);
    const justAfter = new Date(t1.getTime() + (life + renew) * 1000);
    expect(set.prune(justBefore, life, renew).size).toBe(2);
    expect(set.prune(justAfter, life, renew).entries.map((e) => e.keyVersion)).toEqual([2]);
    expect(set.prune(new Date('2100-01-01'), life, renew).entries.map((e) => e.keyVersion)).toEqual([2]);
  });

  it('toKeytab writes krbtgt_N@REALM entries with the 32-bit kvno and reloads identically', () => {
    const set = KeySet.empty().rotate(T0, seededRandom('a'), { rodcNumber: 0x8001, realm: 'DEMO.TEST' });
    const kt = set.toKeytab();
    expect(kt[0]).toMatchObject({ principal: { components: ['krbtgt_32769'], realm: 'DEMO.TEST' }, kvno: 0x80010001 });
    const back = KeySet.fromKeytab(kt).set;
    expect(back.current().key.exportBytes()).toEqual(set.current().key.exportBytes());
    expect(back.current().kvno).toBe(0x80010001);
    expect(Key.fromBytes(18, kt[0]!.key.keyvalue).etype).toBe(18);
  });
});

describe('parseMintingSettings', () => {
  it('reads the demo section and applies defaults', () => {
    const s = parseMintingSettings({ lifetime: '10h', renewLifetime: '7d', deniedGroups: ['Denied RODC Password Replication Group'], keys: 'keys/' }, '/etc/tgtbridge');
    expect(s).toMatchObject({ lifetimeSec: 36000, renewLifetimeSec: 604800, keysDir: '/etc/tgtbridge/keys', upnDnsInfo: true, attributesInfo: true });
    expect(parseMintingSettings({}, '/x')).toMatchObject({ lifetimeSec: 36000, renewLifetimeSec: 604800, keysDir: undefined, allowedGroups: undefined });
    expect(parseMintingSettings({ renewLifetime: 0, pac: { upnDnsInfo: false } }, '/x')).toMatchObject({ renewLifetimeSec: 0, upnDnsInfo: false });
  });

  it('rejects unknown keys, bad durations, renew shorter than lifetime, bad lists with ERR_CONFIG', () => {
    for (const raw of [{ bogus: 1 }, { lifetime: '10 hours' }, { lifetime: '2d', renewLifetime: '1d' }, { deniedGroups: 'x' }, { pac: { other: true } }, { logonServer: 'has space' }]) {
      expect(code(() => parseMintingSettings(raw, '/x'))).toBe('ERR_CONFIG');
    }
  });
});

describe('resolveGroupSids', () => {
  const groups: Record<string, string> = { 'domain admins': 'S-1-5-21-1-2-3-512', engineering: 'S-1-5-21-1-2-3-1201' };
  const find = async (n: string) => {
    const sid = groups[n.toLowerCase()] ?? Object.values(groups).find((s) => s === n);
    return sid === undefined ? undefined : { objectSid: sid };
  };

  it('maps names and SIDs through the directory; a SID the directory lacks is kept', async () => {
    expect(await resolveGroupSids(['Domain Admins', 'S-1-5-21-1-2-3-1201', 'S-1-5-32-551'], find, 'deniedGroups')).toEqual([
      'S-1-5-21-1-2-3-512',
      'S-1-5-21-1-2-3-1201',
      'S-1-5-32-551',
    ]);
  });

  it('an unknown group name is ERR_CONFIG: a silently ignored denied group would admit its members', async () => {
    await expect(resolveGroupSids(['Domain Admin'], find, 'deniedGroups')).rejects.toMatchObject({ code: 'ERR_CONFIG' });
  });
});
